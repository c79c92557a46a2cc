import net from 'node:net';
import { Hl7Message } from '@medplum/core';
import { afterEach, describe, expect, it } from 'vitest';
import { mllpTransport } from './mllp-transport';
import { TestHis } from './test-his';
import type { HandoffMessageToSend } from './transport';

/** The MLLP client keeps its connections: one per message in flight, not one per message. */
const adt = (n: number): HandoffMessageToSend => ({
  id: BigInt(n),
  encounterId: '00000000-0000-4000-8000-000000000001',
  facilityId: null,
  target: 'HL7V2',
  event: 'A04',
  messageControlId: `KEEP-${n}`,
  payload: `MSH|^~\\&|RECEPTION|58999|HIS|58999|20260101000000+0700||ADT^A04^ADT_A01|KEEP-${n}|P|2.5.1\rPID|1||BN${n}^^^58999^MR\rPV1|1|O|||||||||||||||||V${n}`,
});

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('MLLP transport', () => {
  it('sends one message after another over one kept connection, each ACK matched to its MSH-10', async () => {
    const his = await new TestHis().start();
    const transport = mllpTransport(async () => ({ host: '127.0.0.1', port: his.port }), 5_000);
    closers.push(
      () => his.stop(),
      () => transport.close(),
    );
    for (let n = 1; n <= 10; n++)
      expect(await transport.send(adt(n))).toMatchObject({ kind: 'accepted', ackCode: 'AA' });
    expect(his.received.map((m) => m.controlId)).toEqual(Array.from({ length: 10 }, (_, i) => `KEEP-${i + 1}`));
    expect(his.connections).toBe(1);

    // As many connections as messages in flight at once, then kept.
    const results = await Promise.all([11, 12, 13].map((n) => transport.send(adt(n))));
    expect(results.every((r) => r.kind === 'accepted')).toBe(true);
    expect(his.connections).toBe(3);
  });

  it("two facilities' HISes: each message reaches its facility's, over that HIS's kept connection", async () => {
    const [hisA, hisB] = [await new TestHis().start(), await new TestHis().start()];
    const port: Record<string, number> = { A: hisA.port, B: hisB.port };
    const transport = mllpTransport(
      async (facilityId) => (facilityId ? { host: '127.0.0.1', port: port[facilityId]! } : null),
      5_000,
    );
    closers.push(
      () => hisA.stop(),
      () => hisB.stop(),
      () => transport.close(),
    );
    for (let n = 1; n <= 6; n++)
      expect(await transport.send({ ...adt(n), facilityId: n % 2 ? 'A' : 'B' })).toMatchObject({ kind: 'accepted' });
    expect(hisA.received.map((m) => m.controlId)).toEqual(['KEEP-1', 'KEEP-3', 'KEEP-5']);
    expect(hisB.received.map((m) => m.controlId)).toEqual(['KEEP-2', 'KEEP-4', 'KEEP-6']);
    expect([hisA.connections, hisB.connections]).toEqual([1, 1]);
    expect(await transport.send(adt(7))).toMatchObject({ kind: 'unconfigured' }); // no facility, no HIS
  });

  it('a HIS that closes the connection after each ACK: every message accepted, then one connection per message', async () => {
    const got: string[] = [];
    const server = net.createServer((socket) => {
      socket.on('data', (chunk) => {
        const text = chunk.toString('utf8');
        const controlId = Hl7Message.parse(text.slice(text.indexOf('MSH'), text.indexOf('\x1c')))
          .getSegment('MSH')!
          .getField(10)
          .toString();
        got.push(controlId);
        socket.end(
          `\x0bMSH|^~\\&|HIS|58999|RECEPTION|58999|20260101000000||ACK^A04^ACK|H${got.length}|P|2.5.1\rMSA|AA|${controlId}\x1c\r`,
        );
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = mllpTransport(
      async () => ({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }),
      5_000,
    );
    closers.push(
      () => new Promise((r) => server.close(r)),
      () => transport.close(),
    );
    for (let n = 1; n <= 5; n++) expect(await transport.send(adt(n))).toMatchObject({ kind: 'accepted' });
    // Only the second message may have raced the first connection's close (its FIN not yet read): it then goes
    // again, same MSH-10, on a new connection. Once the HIS has shown it closes after an ACK, nothing is reused.
    expect([...new Set(got)]).toEqual(['KEEP-1', 'KEEP-2', 'KEEP-3', 'KEEP-4', 'KEEP-5']);
    expect(got.filter((id) => id !== 'KEEP-2')).toEqual(['KEEP-1', 'KEEP-3', 'KEEP-4', 'KEEP-5']);
  });

  it('no ACK in time: a timeout, and the next message goes on a new connection (a late ACK never answers it)', async () => {
    const his = await new TestHis().start();
    const transport = mllpTransport(async () => ({ host: '127.0.0.1', port: his.port }), 300);
    closers.push(
      () => his.stop(),
      () => transport.close(),
    );
    expect(await transport.send(adt(1))).toMatchObject({ kind: 'accepted' });
    his.mode = 'silent';
    expect(await transport.send(adt(2))).toMatchObject({ kind: 'timeout' });
    his.mode = 'AA';
    expect(await transport.send(adt(3))).toMatchObject({ kind: 'accepted' });
    expect(his.connections).toBe(2);
  });
});
