import { afterEach, describe, expect, it } from 'vitest';
import { hostileHttpPeer, hostileMllpPeer, type HostilePeer } from '../http/test-hostile-peer';
import { MAX_ACK_BYTES, mllpTransport } from './mllp-transport';
import { fhirTransport, MAX_FHIR_RESPONSE_BYTES } from './fhir-transport';
import { xml0Transport } from './xml0-transport';
import type { HandoffMessageToSend } from './transport';

/**
 * A broken or hostile HIS / FHIR server / BHXH gateway answering with 1 GB must not take the worker's memory:
 * each client stops reading past its cap. "Written" is what the peer got into the connection before it was cut
 * (kernel buffers on loopback hold a few MB); a client without a cap reads the whole gigabyte.
 */
const GB = 1024 * 1024 * 1024;
const CUT_OFF = 32 * 1024 * 1024;

const message = (target: HandoffMessageToSend['target'], payload: string): HandoffMessageToSend => ({
  id: 1n,
  encounterId: '00000000-0000-4000-8000-000000000001',
  facilityId: null,
  target,
  event: 'A04',
  messageControlId: 'CAP-1',
  payload,
});
const ADT =
  'MSH|^~\\&|RECEPTION|58999|HIS|58999|20260101000000+0700||ADT^A04^ADT_A01|CAP-1|P|2.5.1\rPID|1||BN1^^^58999^MR';

let peer: HostilePeer | null = null;
afterEach(async () => {
  await peer?.close();
  peer = null;
});

describe('response size caps', () => {
  it('MLLP: a HIS that never ends its ACK frame is cut off past MAX_ACK_BYTES', async () => {
    peer = await hostileMllpPeer(GB);
    const started = Date.now();
    const outcome = await mllpTransport(async () => ({ host: '127.0.0.1', port: peer!.port }), 20_000).send(
      message('HL7V2', ADT),
    );
    expect(outcome).toMatchObject({
      kind: 'refused',
      retry: true,
      text: expect.stringContaining(`quá lớn (trên ${MAX_ACK_BYTES} byte)`),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(peer.written()).toBeLessThan(CUT_OFF);
  });

  it('FHIR: an endless transaction-response (chunked, or 1 GB declared) is not read', async () => {
    peer = await hostileHttpPeer({ offerBytes: GB });
    const outcome = await fhirTransport(peer.url, 20_000).send(message('FHIR', '{"resourceType":"Bundle"}'));
    expect(outcome).toMatchObject({
      kind: 'refused',
      ackCode: '200',
      retry: true,
      text: expect.stringContaining(`quá lớn (trên ${MAX_FHIR_RESPONSE_BYTES} byte)`),
    });
    expect(peer.written()).toBeLessThan(CUT_OFF);
    await peer.close();

    peer = await hostileHttpPeer({ offerBytes: GB, declareLength: true, status: 500 });
    expect(await fhirTransport(peer.url, 20_000).send(message('FHIR', '{}'))).toMatchObject({
      kind: 'refused',
      ackCode: '500',
      retry: true,
    });
    expect(peer.written()).toBeLessThan(CUT_OFF);
  });

  it('BHXH XML0: a gateway flooding its token or check-in answer is not read', async () => {
    const env = (url: string) => ({
      BHXH_XML0_SENDER: 'app',
      BHXH_SIGNING_P12: '/nonexistent.p12',
      BHXH_GATEWAY_URL: url,
      BHXH_GATEWAY_USER: 'u',
      BHXH_GATEWAY_PASSWORD: 'p',
    });
    const xml = '<X><MA_CSKCB>58999</MA_CSKCB></X>';
    peer = await hostileHttpPeer({ offerBytes: GB });
    const onToken = await xml0Transport(env(peer.url), 20_000)!.send(message('BHXH_XML0', xml));
    expect(onToken).toMatchObject({ kind: 'unreachable', text: expect.stringContaining('quá lớn') });
    expect(peer.written()).toBeLessThan(CUT_OFF);
    await peer.close();

    // The token is fine; the check-in receipt is the flood.
    peer = await hostileHttpPeer({
      offerBytes: GB,
      normal: (req, res) => {
        if (!req.url?.startsWith('/api/token/take')) return false;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ maKetQua: '200', APIKey: { access_token: 'a', id_token: 'b', expires_in: 3600 } }));
        return true;
      },
    });
    const onReceipt = await xml0Transport(env(peer.url), 20_000)!.send(message('BHXH_XML0', xml));
    expect(onReceipt).toMatchObject({ kind: 'unreachable', text: expect.stringContaining('quá lớn') });
    expect(peer.connections()).toBe(1);
    expect(peer.written()).toBeLessThan(CUT_OFF);
  });
});
