import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import type { Encounter } from '../db/generated/client';
import type { Principal } from '../auth/roles';
import { MLLP_SETTING_PREFIX, saveHisConnection, type Env } from './config';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from './worker';
import { TestHis } from './test-his';
import { jobKey } from './jobs';
import { testEncounter, testEvent, testPatient, testRoom, waitFor } from './test-fixtures';

/**
 * "The HIS is down" and "no HIS configured yet" are not "the message failed": messages are held in order, no
 * attempt counts against their limit (here 2), nothing is parked, the worker does not keep trying each one, and
 * everything flows, in order, once the HIS answers or an address is saved.
 */
const db = testDb();
const url = inject('databaseUrl');
let facility: { id: string; code: string };
let roomId: string;
let his: TestHis | null = null;
let worker: HandoffWorker | null = null;
const admin: Principal = {
  kind: 'USER',
  id: '00000000-0000-4000-8000-000000000001',
  name: 'quantri-test',
  role: 'ADMIN',
  facilityId: '',
  facilityCode: '',
};

const timing: Env = {
  HIS_ACK_TIMEOUT_MS: '800',
  HANDOFF_BACKOFF_BASE_MS: '100',
  HANDOFF_BACKOFF_MAX_MS: '300',
  HANDOFF_MAX_ATTEMPTS: '2',
  HANDOFF_SWEEP_MS: '300',
  HEARTBEAT_MS: '200',
  HANDOFF_BREAKER_THRESHOLD: '3',
  HANDOFF_BREAKER_PROBE_MS: '1000',
};

async function encounters(n: number): Promise<Encounter[]> {
  const list: Encounter[] = [];
  for (let i = 0; i < n; i++) {
    const { patient } = await testPatient(db);
    const e = await testEncounter(db, facility.id, roomId, patient);
    if (i % 3 === 0) await testEvent(db, e, 'A08'); // some patients have two messages: order must hold
    list.push(e);
  }
  return list;
}
const statuses = async (list: Encounter[]) => {
  const rows = await db.handoffMessage.groupBy({
    by: ['status'],
    where: { encounterId: { in: list.map((e) => e.id) } },
    _count: true,
  });
  return Object.fromEntries(rows.map((r) => [r.status, r._count]));
};

/** Messages held with `status`, or queued (PENDING, no attempt) behind a held one of the same patient: nothing else. */
async function held(list: Encounter[], status: 'WAITING_CONNECTION' | 'WAITING_CONFIG'): Promise<number> {
  const rows = await db.handoffMessage.findMany({
    where: { encounterId: { in: list.map((e) => e.id) } },
    orderBy: { id: 'asc' },
  });
  return rows.filter(
    (m) =>
      m.status === status ||
      (m.status === 'PENDING' &&
        m.attempts === 0 &&
        rows.some((h) => h.patientId === m.patientId && h.id < m.id && h.status === status)),
  ).length;
}

beforeAll(async () => {
  await installJobQueue(url);
  facility = await testFacility(db);
  roomId = (await testRoom(db, facility.id)).id;
  admin.facilityId = facility.id;
  admin.facilityCode = facility.code;
});

afterEach(async () => {
  await worker?.stop();
  worker = null;
  await his?.stop();
  his = null;
  await db.handoffTargetState.deleteMany({});
  await db.setting.deleteMany({ where: { key: { startsWith: MLLP_SETTING_PREFIX } } });
});

afterAll(async () => {
  await db.$disconnect();
});

it('HIS down: the circuit opens after 3 connection failures, messages wait (no attempts counted, none parked), one probe per interval; HIS back: all delivered in order', async () => {
  his = await new TestHis().start();
  const port = his.port;
  await his.stop(); // nothing listens: connection refused
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 4,
    env: { ...timing, HIS_MLLP_URL: `mllp://127.0.0.1:${port}` },
  });
  const list = await encounters(12);
  const total = 12 + 4;
  // Held (a message queued behind a held one may stay PENDING: it has no job, and goes with its head).
  await waitFor(async () => (await held(list, 'WAITING_CONNECTION')) === total, 20_000, 100);
  const state = await db.handoffTargetState.findUniqueOrThrow({ where: { key: 'HL7V2' } });
  expect(state.state).toBe('OPEN');
  const messages = await db.handoffMessage.findMany({ where: { encounterId: { in: list.map((e) => e.id) } } });
  expect(messages.every((m) => m.attempts === 0)).toBe(true); // refused connections count nothing
  // While it stays down: a probe a second, not a retry per message.
  const before = await db.handoffAttempt.count({ where: { encounterId: { in: list.map((e) => e.id) } } });
  await new Promise((r) => setTimeout(r, 3_000));
  const during = (await db.handoffAttempt.count({ where: { encounterId: { in: list.map((e) => e.id) } } })) - before;
  expect(during).toBeLessThanOrEqual(4);
  // A probe takes one patient's messages out for a moment (released, taken by the worker, refused, held again):
  // between probes every message is held, none failed or parked. (A check at one instant could land in a probe.)
  await waitFor(async () => (await held(list, 'WAITING_CONNECTION')) === total, 5_000, 20);
  expect((await statuses(list)).PARKED ?? 0).toBe(0);

  his = await new TestHis().start(port);
  await waitFor(async () => (await statuses(list)).DELIVERED === total, 20_000, 100);
  expect((await db.handoffTargetState.findUniqueOrThrow({ where: { key: 'HL7V2' } })).state).toBe('CLOSED');
  for (const e of list) {
    const events = his.received.filter((r) => r.visit.startsWith(e.number)).map((r) => r.event);
    expect(events.filter((ev, i) => ev !== events[i - 1])).toEqual(
      list.indexOf(e) % 3 === 0 ? ['A04', 'A08'] : ['A04'],
    );
  }
});

it('no HIS address: messages are held (WAITING_CONFIG, nothing counted or parked); saving an address on the admin page delivers them all', async () => {
  worker = await startHandoffWorker({ connectionString: url, concurrency: 4, env: timing }); // no HIS_MLLP_URL, no setting
  const list = await encounters(6);
  const total = 6 + 2;
  await waitFor(async () => (await held(list, 'WAITING_CONFIG')) === total, 20_000, 100);
  await new Promise((r) => setTimeout(r, 1_000));
  expect(await held(list, 'WAITING_CONFIG')).toBe(total);
  const messages = await db.handoffMessage.findMany({ where: { encounterId: { in: list.map((e) => e.id) } } });
  expect(messages.every((m) => m.attempts === 0)).toBe(true);

  // Another facility's visits wait for their own facility's HIS address (the setting is per facility).
  const other = await testFacility(db);
  const foreign = await testEncounter(db, other.id, (await testRoom(db, other.id)).id, (await testPatient(db)).patient);
  await waitFor(async () => (await held([foreign], 'WAITING_CONFIG')) === 1, 20_000, 100);

  his = await new TestHis().start();
  await saveHisConnection(db, his.url, admin);
  await waitFor(async () => (await statuses(list)).DELIVERED === total, 20_000, 100);
  expect(new Set(his.received.map((r) => r.controlId)).size).toBeGreaterThanOrEqual(total);
  await new Promise((r) => setTimeout(r, 1_000)); // several heartbeats: none releases the other facility's message
  expect(await statuses([foreign])).toEqual({ WAITING_CONFIG: 1 });
  expect(his.received.some((r) => r.visit.startsWith(foreign.number))).toBe(false);

  // Its own administrator's address sends it there.
  const otherHis = await new TestHis().start();
  try {
    await saveHisConnection(db, otherHis.url, { ...admin, facilityId: other.id, facilityCode: other.code });
    await waitFor(async () => (await statuses([foreign])).DELIVERED === 1, 20_000, 100);
    expect(otherHis.received.map((r) => r.visit)).toContain(foreign.number);
  } finally {
    await otherHis.stop();
  }
});

it('a real rejection (AE) still parks; staff retry all parked messages of a target at once, only their facility, audited once', async () => {
  his = await new TestHis().start();
  his.mode = 'AE';
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 4,
    env: { ...timing, HIS_MLLP_URL: his.url },
  });
  const list = await encounters(5);
  const other = await testFacility(db);
  const otherRoom = await testRoom(db, other.id);
  const foreign = await testEncounter(db, other.id, otherRoom.id, (await testPatient(db)).patient);
  const all = [...list, foreign];
  await waitFor(
    async () =>
      (await db.handoffMessage.count({ where: { encounterId: { in: all.map((e) => e.id) }, status: 'PARKED' } })) === 6,
    20_000,
    100,
  );
  expect((await db.handoffTargetState.findUnique({ where: { key: 'HL7V2' } }))?.state ?? 'CLOSED').toBe('CLOSED'); // the HIS answered

  his.mode = 'AA';
  const { retryParked } = await import('./retry');
  expect(await retryParked(db, 'HL7V2', admin)).toBe(5);
  await waitFor(async () => (await statuses(list)).DELIVERED === 5 + 2, 20_000, 100);
  expect((await db.handoffMessage.findFirstOrThrow({ where: { encounterId: foreign.id } })).status).toBe('PARKED');
  const audits = await db.auditEvent.findMany({ where: { action: 'HANDOFF_RETRY_ALL', facilityId: facility.id } });
  expect(audits).toHaveLength(1);
  expect(audits[0]!.details).toMatchObject({ target: 'HL7V2', messages: 5 });
});

it("while the circuit is open, a check-in's message is written held and queues no job (the worker has nothing to do per check-in); the HIS back: released and delivered", async () => {
  await db.handoffTargetState.create({
    data: {
      key: 'HL7V2', // HIS_MLLP_URL: one HIS, one circuit for every facility
      target: 'HL7V2',
      state: 'OPEN',
      failures: 3,
      openedAt: new Date(),
      nextProbeAt: new Date(Date.now() + 3_600_000),
    },
  });
  const { patient } = await testPatient(db);
  const e = await testEncounter(db, facility.id, roomId, patient);
  const message = await db.handoffMessage.findFirstOrThrow({ where: { encounterId: e.id } });
  expect(message.status).toBe('WAITING_CONNECTION');
  const jobs = async () =>
    Number(
      (
        await db.$queryRawUnsafe<{ n: bigint }[]>(
          `SELECT count(*) AS n FROM graphile_worker.jobs WHERE key = $1`,
          jobKey('HL7V2', patient.id),
        )
      )[0]!.n,
    );
  expect(await jobs()).toBe(0);

  // The probe is accepted: the circuit closes and releases it (with its job); a worker delivers it.
  his = await new TestHis().start();
  await db.handoffTargetState.update({ where: { key: 'HL7V2' }, data: { nextProbeAt: new Date() } });
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 2,
    env: { ...timing, HIS_MLLP_URL: his.url },
  });
  await waitFor(
    async () => (await db.handoffMessage.findUniqueOrThrow({ where: { id: message.id } })).status === 'DELIVERED',
    20_000,
    100,
  );
  expect(his.received.filter((r) => r.controlId === message.messageControlId)).toHaveLength(1);
  expect((await db.handoffTargetState.findUniqueOrThrow({ where: { key: 'HL7V2' } })).state).toBe('CLOSED');
});
