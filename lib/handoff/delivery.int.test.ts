import { Hl7Message } from '@medplum/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import type { Principal } from '../auth/roles';
import type { Env } from './config';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from './worker';
import { retryHandoff } from './retry';
import { TestHis } from './test-his';
import type { Encounter } from '../db/generated/client';
import { testEncounter, testEvent, testPatient, testRoom, waitFor } from './test-fixtures';
import { checkIn } from '../encounters/check-in';
import { jobKey } from './jobs';
import { vnTimestamp } from './snapshot';

/** Real PostgreSQL, real graphile-worker, real MLLP sockets to a test HIS on 127.0.0.1. */
const db = testDb();
const url = inject('databaseUrl');
let facility: { id: string; code: string };
let roomId: string;
let his: TestHis;
const workers: HandoffWorker[] = [];

function env(extra: Record<string, string> = {}): Env {
  return {
    HIS_MLLP_URL: his.url,
    HIS_ACK_TIMEOUT_MS: '800',
    HANDOFF_BACKOFF_BASE_MS: '100',
    HANDOFF_BACKOFF_MAX_MS: '400',
    HANDOFF_MAX_ATTEMPTS: '50',
    HANDOFF_SWEEP_MS: '500',
    HEARTBEAT_MS: '250',
    HANDOFF_BREAKER_PROBE_MS: '300',
    ...extra,
  };
}

async function worker(extra: Record<string, string> = {}, concurrency = 4) {
  const w = await startHandoffWorker({ connectionString: url, concurrency, env: env(extra) });
  workers.push(w);
  return w;
}

const messagesOf = (encounterId: string) =>
  db.handoffMessage.findMany({ where: { encounterId }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  await installJobQueue(url);
  facility = await testFacility(db);
  roomId = (await testRoom(db, facility.id)).id;
});

afterEach(async () => {
  while (workers.length) await workers.pop()!.stop();
  await his?.stop();
  await db.handoffTargetState.deleteMany({}); // no test inherits an open circuit
});

afterAll(async () => {
  await db.$disconnect();
});

describe('hand-off over MLLP to a test HIS', () => {
  it('delivers an A04 written in the check-in transaction, with PID/PV1/IN1, and stores the ACK reference', async () => {
    his = await new TestHis().start();
    await worker();
    const { patient, coverage, personalId, card } = await testPatient(db, { bhyt: true });
    const encounter = await testEncounter(db, facility.id, roomId, patient, { coverageId: coverage!.id });
    const [message] = await waitFor(async () => {
      const rows = await messagesOf(encounter.id);
      return rows[0]?.status === 'DELIVERED' ? rows : null;
    });
    expect(message!.externalRef).toMatch(/^HIS\d+$/);
    expect(message!.lastAckCode).toBe('AA');
    const got = his.received.find((r) => r.controlId === message!.messageControlId)!;
    expect(got.event).toBe('A04');
    expect(got.raw).toContain(`${personalId}^^^BCA^NNVNM`);
    expect(got.raw).toContain(`${card}^^^BHXH^SB`);
    expect(got.raw).toMatch(/\rPV1\|1\|O\|/);
    expect(got.visit).toContain(encounter.number);
    expect(got.raw).toMatch(new RegExp(`\\rIN1\\|1\\|BHYT.*\\|${card}$`));
    const log = await db.handoffAttempt.findMany({ where: { encounterId: encounter.id } });
    expect(log.map((l) => l.outcome)).toEqual(['ACCEPTED']);
  });

  it("a desk check-in's one statement adds no job; the worker finds the message and renders the HL7 from the snapshot frozen at check-in, not from later data", async () => {
    his = await new TestHis().start();
    const { patient, personalId } = await testPatient(db);
    const room = await db.room.findUniqueOrThrow({ where: { id: roomId } });
    const desk: Principal = {
      kind: 'API_KEY',
      id: '00000000-0000-4000-8000-000000000002',
      name: 'desk',
      role: 'RECEPTIONIST',
      facilityId: facility.id,
      facilityCode: facility.code,
    };
    const r = await checkIn(
      db,
      desk,
      { identifier: { system: 'PERSONAL_ID', value: personalId }, roomCode: room.code },
      new Date(Date.now() - 60_000),
    );
    if (r.status !== 'created') throw new Error(r.status);
    const [queued] = await messagesOf(r.encounter.id);
    // No job (its add_job and NOTIFY were the largest cost delivery put on the check-in): the worker's feeder
    // finds the PENDING message itself.
    const jobs = await db.$queryRawUnsafe<{ key: string }[]>(
      `SELECT key FROM graphile_worker.jobs WHERE key = $1`,
      jobKey('HL7V2', patient.id),
    );
    expect(jobs).toHaveLength(0);
    expect(queued!.status).toBe('PENDING');
    // The patient is renamed after check-in: the A04 still says what was registered.
    await db.patient.update({
      where: { id: patient.id },
      data: { fullName: 'Tên Đổi Sau', normalizedName: 'ten doi sau' },
    });
    await worker();
    const [message] = await waitFor(async () => {
      const rows = await messagesOf(r.encounter.id);
      return rows[0]?.status === 'DELIVERED' ? rows : null;
    });
    const got = his.received.find((m) => m.controlId === queued!.messageControlId)!;
    expect(got.raw).toContain('Nguyễn^Văn Thử');
    expect(got.raw).not.toContain('Đổi');
    expect(got.visit).toContain(r.encounter.number);
    // MSH-7 is when the message was written (so a re-render is byte-identical); the bytes sent are kept.
    expect(Hl7Message.parse(got.raw).getSegment('MSH')!.getField(7).toString()).toBe(
      `${vnTimestamp(queued!.createdAt)}+0700`,
    );
    expect(message!.payload).toBe(got.raw.replace(/\n/g, '\r'));
  });

  it('a rolled-back check-in leaves no message behind', async () => {
    const { patient } = await testPatient(db);
    const before = await db.handoffMessage.count();
    await expect(
      db.$transaction(async (tx) => {
        const e = await tx.encounter.create({
          data: {
            number: `RB-${Date.now()}`,
            facilityId: facility.id,
            patientId: patient.id,
            roomId,
            localDate: new Date('2026-11-25'),
            queueNumber: 999_999_1,
            identificationMethod: 'TYPED_ID',
            trustLevel: 'TYPED',
          },
        });
        const { enqueueHandoff } = await import('./outbox');
        await enqueueHandoff(tx, { encounterId: e.id, event: 'A04', targets: ['HL7V2'] });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await db.handoffMessage.count()).toBe(before);
  });

  it('AE parks the message at once with the HIS text, holds later messages of the patient, and a staff retry sends it again (same MSH-10)', async () => {
    his = await new TestHis().start();
    his.mode = 'AE';
    const startedAt = Date.now();
    await worker();
    const { patient } = await testPatient(db);
    const encounter = await testEncounter(db, facility.id, roomId, patient);
    await testEvent(db, encounter, 'A08');
    const parked = await waitFor(async () => {
      const rows = await messagesOf(encounter.id);
      return rows[0]?.status === 'PARKED' ? rows : null;
    });
    expect(parked[0]!.lastError).toContain('Sai mã thẻ BHYT');
    expect(parked[0]!.attempts).toBe(1);
    await new Promise((r) => setTimeout(r, 600));
    const behind = (await messagesOf(encounter.id))[1]!;
    expect(behind.status).toBe('PENDING'); // held behind the parked A04
    // …and set aside by the feeder (not read at every look): its next look is at least 5 s after it was set aside.
    expect(behind.nextAttemptAt.getTime()).toBeGreaterThan(startedAt + 4_500);
    expect(his.received.filter((r) => r.patientKey).map((r) => r.controlId)).not.toContain(parked[1]!.messageControlId);

    his.mode = 'AA';
    const principal: Principal = {
      kind: 'USER',
      id: '00000000-0000-0000-0000-000000000001',
      name: 'quanly',
      role: 'MANAGER',
      facilityId: facility.id,
      facilityCode: facility.code,
    };
    const retriedAt = Date.now();
    expect(await retryHandoff(db, parked[0]!.id, principal)).toEqual({ ok: true });
    await expect(retryHandoff(db, parked[0]!.id, principal)).rejects.toMatchObject({ code: 'NOT_RETRYABLE' });
    const done = await waitFor(
      async () => {
        const rows = await messagesOf(encounter.id);
        return rows.every((r) => r.status === 'DELIVERED') ? rows : null;
      },
      20_000,
      20,
    );
    // The A08 went right after its head, not when the feeder would have looked at it again.
    expect(Date.now() - retriedAt).toBeLessThan(3_000);
    const sends = his.received.filter((r) => r.controlId === done[0]!.messageControlId);
    expect(sends).toHaveLength(2); // AE'd once, accepted on retry, same MSH-10
    const order = his.received.filter((r) => r.visit.startsWith(encounter.number)).map((r) => r.event);
    expect(order).toEqual(['A04', 'A04', 'A08']);
    const audits = await db.auditEvent.findMany({ where: { action: 'HANDOFF_RETRY', entityId: String(done[0]!.id) } });
    expect(audits).toHaveLength(1);
    const log = await db.handoffAttempt.findMany({ where: { messageId: done[0]!.id }, orderBy: { id: 'asc' } });
    expect(log.map((l) => l.outcome)).toEqual(['REFUSED_PARKED', 'RETRY_REQUESTED', 'ACCEPTED']);
  });

  it('AR is retried with back-off and parked after the configured number of failures', async () => {
    his = await new TestHis().start();
    his.mode = 'AR';
    await worker({ HANDOFF_MAX_ATTEMPTS: '3' });
    const { patient } = await testPatient(db);
    const encounter = await testEncounter(db, facility.id, roomId, patient);
    const [m] = await waitFor(async () => {
      const rows = await messagesOf(encounter.id);
      return rows[0]?.status === 'PARKED' ? rows : null;
    });
    expect(m!.attempts).toBe(3);
    expect(m!.lastAckCode).toBe('AR');
    expect(m!.lastError).toContain('bảo trì');
    const times = his.received.filter((r) => r.controlId === m!.messageControlId).map((r) => r.at);
    expect(times).toHaveLength(3);
    // back-off: base 100 ms, equal jitter → ≥ 50 ms then ≥ 100 ms between tries
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(50);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(100);
  });

  it('no ACK in time → retried; every try carries the same MSH-10', async () => {
    his = await new TestHis().start();
    const { patient, personalId } = await testPatient(db);
    // Silent for this patient's first two sends only (the worker also delivers other test files' messages).
    let silentLeft = 2;
    his.modeFor = (r) => (r.raw.includes(personalId) && silentLeft-- > 0 ? 'silent' : undefined);
    await worker({ HIS_ACK_TIMEOUT_MS: '300' });
    const encounter = await testEncounter(db, facility.id, roomId, patient);
    const [m] = await waitFor(async () => {
      const rows = await messagesOf(encounter.id);
      return rows[0]?.status === 'DELIVERED' ? rows : null;
    });
    expect(m!.attempts).toBe(3);
    expect(his.received.filter((r) => r.controlId === m!.messageControlId)).toHaveLength(3);
    const log = await db.handoffAttempt.findMany({ where: { messageId: m!.id }, orderBy: { id: 'asc' } });
    expect(log.map((l) => l.outcome)).toEqual(['TIMEOUT', 'TIMEOUT', 'ACCEPTED']);
  });

  it('HIS down for a while then back: every message is delivered after, in order per patient', async () => {
    his = await new TestHis().start();
    const port = his.port;
    await his.stop();
    await worker();
    const patients = await Promise.all([1, 2, 3].map(() => testPatient(db)));
    const encounters: Encounter[] = [];
    for (const { patient } of patients) {
      const e = await testEncounter(db, facility.id, roomId, patient);
      await testEvent(db, e, 'A08');
      await testEvent(db, e, 'A11');
      encounters.push(e);
    }
    // Failed, or held once the circuit opened (breaker.ts): either way not delivered, and none parked.
    await waitFor(
      async () =>
        (await db.handoffMessage.count({
          where: { encounterId: { in: encounters.map((e) => e.id) }, status: { in: ['FAILED', 'WAITING_CONNECTION'] } },
        })) >= 3,
    );
    his = await new TestHis().start(port);
    await waitFor(
      async () =>
        (await db.handoffMessage.count({
          where: { encounterId: { in: encounters.map((e) => e.id) }, status: 'DELIVERED' },
        })) === 9,
      30_000,
    );
    for (const e of encounters) {
      expect(his.received.filter((r) => r.visit.startsWith(e.number)).map((r) => r.event)).toEqual([
        'A04',
        'A08',
        'A11',
      ]);
    }
    const failed = await db.handoffAttempt.count({
      where: { encounterId: { in: encounters.map((e) => e.id) }, outcome: 'UNREACHABLE' },
    });
    expect(failed).toBeGreaterThanOrEqual(3);
  });

  it('two workers at once: no message sent twice, none concurrently, order per patient kept', async () => {
    his = await new TestHis().start();
    his.delayMs = 5;
    await worker({}, 4);
    await worker({}, 4);
    const list: Encounter[] = [];
    const patients: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { patient } = await testPatient(db);
      const e = await testEncounter(db, facility.id, roomId, patient);
      list.push(e);
      patients.push(patient.id);
    }
    // interleave follow-up events across patients
    for (const event of ['A08', 'A08', 'A11'] as const) for (const e of list) await testEvent(db, e, event);
    const ids = list.map((e) => e.id);
    await waitFor(
      async () => (await db.handoffMessage.count({ where: { encounterId: { in: ids }, status: 'DELIVERED' } })) === 32,
      30_000,
    );
    const mine = his.received.filter((r) => list.some((e) => r.visit.startsWith(e.number)));
    expect(mine).toHaveLength(32);
    expect(new Set(mine.map((r) => r.controlId)).size).toBe(32);
    expect(his.maxConcurrentPerControlId).toBe(1);
    expect(his.maxConcurrentPerPatient).toBe(1);
    const actors = await db.handoffAttempt.findMany({
      where: { encounterId: { in: ids } },
      distinct: ['actor'],
      select: { actor: true },
    });
    expect(actors).toHaveLength(2); // both workers took part
    // Both feeders find the same heads; the one that finds a head already claimed leaves it to the other (no
    // job for the lease's end: nothing is due later when every message was accepted).
    const jobs = await db.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = ANY($1::text[])`,
      patients.map((p) => jobKey('HL7V2', p)),
    );
    expect(Number(jobs[0]!.n)).toBe(0);
    for (const e of list) {
      const sent = mine.filter((r) => r.visit.startsWith(e.number)).map((r) => r.controlId);
      const stored = (await messagesOf(e.id)).map((m) => m.messageControlId);
      expect(sent).toEqual(stored);
    }
  });
});
