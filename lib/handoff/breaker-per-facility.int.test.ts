import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import type { Encounter } from '../db/generated/client';
import type { Principal } from '../auth/roles';
import { MLLP_SETTING_PREFIX, saveHisConnection, type Env } from './config';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from './worker';
import { TestHis } from './test-his';
import { testEncounter, testPatient, testRoom, waitFor } from './test-fixtures';
import { targetSummaries } from './status';

/**
 * The circuit breaker is per destination: each facility sends to its own HIS (its MLLP setting), so one facility's
 * HIS outage holds that facility's messages only. The other facility keeps delivering (real TCP, two test HIS peers).
 */
const db = testDb();
const url = inject('databaseUrl');
const admin = (facility: { id: string; code: string }): Principal => ({
  kind: 'USER',
  id: '00000000-0000-4000-8000-000000000001',
  name: 'quantri-test',
  role: 'ADMIN',
  facilityId: facility.id,
  facilityCode: facility.code,
});
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
const hisUp = new TestHis();
let hisDown: TestHis | null = null;
let worker: HandoffWorker | null = null;

async function checkIns(facilityId: string, roomId: string, n: number): Promise<Encounter[]> {
  const list: Encounter[] = [];
  for (let i = 0; i < n; i++) list.push(await testEncounter(db, facilityId, roomId, (await testPatient(db)).patient));
  return list;
}
const messagesOf = (list: Encounter[]) =>
  db.handoffMessage.findMany({ where: { encounterId: { in: list.map((e) => e.id) } }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  await installJobQueue(url);
});

afterEach(async () => {
  await worker?.stop();
  worker = null;
  await hisUp.stop();
  await hisDown?.stop();
  await db.handoffTargetState.deleteMany({});
  await db.setting.deleteMany({ where: { key: { startsWith: MLLP_SETTING_PREFIX } } });
});

afterAll(async () => {
  await db.$disconnect();
});

it("one facility's HIS down holds only its messages: the other facility's A04s are delivered and ACKed at once; the down HIS back, its messages follow", async () => {
  const up = await testFacility(db);
  const down = await testFacility(db);
  const upRoom = (await testRoom(db, up.id)).id;
  const downRoom = (await testRoom(db, down.id)).id;
  await hisUp.start();
  const downPort = (await new TestHis().start().then(async (h) => (await h.stop(), h))).port; // nothing listens there
  await saveHisConnection(db, hisUp.url, admin(up));
  await saveHisConnection(db, `mllp://127.0.0.1:${downPort}`, admin(down));
  worker = await startHandoffWorker({ connectionString: url, concurrency: 4, env: timing }); // no HIS_MLLP_URL

  // The down facility's circuit opens (3 refused connections) and its messages wait, nothing counted.
  const waiting = await checkIns(down.id, downRoom, 5);
  await waitFor(async () => (await messagesOf(waiting)).every((m) => m.status === 'WAITING_CONNECTION'), 20_000, 100);

  // Meanwhile the other facility's check-ins go straight through to its own HIS, acknowledged.
  const started = Date.now();
  const flowing = await checkIns(up.id, upRoom, 6);
  await waitFor(async () => (await messagesOf(flowing)).every((m) => m.status === 'DELIVERED'), 5_000, 50);
  expect(Date.now() - started).toBeLessThan(5_000);
  const delivered = await messagesOf(flowing);
  expect(delivered.map((m) => m.lastAckCode)).toEqual(delivered.map(() => 'AA'));
  expect(delivered.every((m) => m.attempts === 1)).toBe(true);
  expect(hisUp.received.map((r) => r.visit).sort()).toEqual(flowing.map((e) => e.number).sort());
  expect(hisUp.received.every((r) => r.event === 'A04')).toBe(true);

  // Still the down facility's messages wait (probes only), none parked, none sent anywhere else.
  await new Promise((r) => setTimeout(r, 1_500));
  // (a probe may be on its way at this instant: that one message is PENDING or SENDING for a few milliseconds)
  const held = await messagesOf(waiting);
  expect(held.filter((m) => m.status !== 'WAITING_CONNECTION').length).toBeLessThanOrEqual(1);
  expect(held.every((m) => ['WAITING_CONNECTION', 'PENDING', 'SENDING'].includes(m.status))).toBe(true);
  expect(held.filter((m) => m.status === 'WAITING_CONNECTION').every((m) => m.attempts === 0)).toBe(true);
  const circuits = await db.handoffTargetState.findMany({ where: { target: 'HL7V2' } });
  expect(circuits.filter((c) => c.state === 'OPEN').map((c) => c.facilityId)).toEqual([down.id]);
  expect(circuits.find((c) => c.facilityId === up.id)?.state ?? 'CLOSED').toBe('CLOSED');
  // Each facility's hand-off page shows its own HIS's circuit, not the other's.
  expect(await targetSummaries(db, down.id)).toEqual([
    expect.objectContaining({ target: 'HL7V2', circuit: 'OPEN', openedAt: expect.any(Date) }),
  ]);
  expect((await targetSummaries(db, down.id))[0]!.held).toBeGreaterThanOrEqual(4);
  expect(await targetSummaries(db, up.id)).toEqual([]); // nothing held, nothing parked

  // A check-in at the down facility while its circuit is open is written held; one at the other is not.
  const [late] = await checkIns(down.id, downRoom, 1);
  expect((await messagesOf([late!]))[0]!.status).toBe('WAITING_CONNECTION');
  const [more] = await checkIns(up.id, upRoom, 1);
  await waitFor(async () => (await messagesOf([more!]))[0]!.status === 'DELIVERED', 5_000, 50);

  // Its HIS comes back: the next probe closes its circuit and every held message is delivered there, once.
  hisDown = await new TestHis().start(downPort);
  const all = [...waiting, late!];
  await waitFor(async () => (await messagesOf(all)).every((m) => m.status === 'DELIVERED'), 20_000, 100);
  expect(hisDown.received.map((r) => r.visit).sort()).toEqual(all.map((e) => e.number).sort());
  expect(hisUp.received.some((r) => all.some((e) => r.visit === e.number))).toBe(false);
  expect(
    (await db.handoffTargetState.findMany({ where: { target: 'HL7V2' } })).every((c) => c.state === 'CLOSED'),
  ).toBe(true);
});

it("an administrator saving a new HIS address for their facility starts its circuit afresh: held messages go to the new address without waiting for the next probe, the other facility's circuit untouched", async () => {
  const moved = await testFacility(db);
  const other = await testFacility(db);
  const room = (await testRoom(db, moved.id)).id;
  const downPort = (await new TestHis().start().then(async (h) => (await h.stop(), h))).port;
  await saveHisConnection(db, `mllp://127.0.0.1:${downPort}`, admin(moved));
  const probeHourly = { ...timing, HANDOFF_BREAKER_PROBE_MS: '3600000' };
  worker = await startHandoffWorker({ connectionString: url, concurrency: 2, env: probeHourly });
  const waiting = await checkIns(moved.id, room, 4);
  await waitFor(async () => (await messagesOf(waiting)).every((m) => m.status === 'WAITING_CONNECTION'), 20_000, 100);
  // Another facility's open circuit (its HIS down too) stays as it is.
  await db.handoffTargetState.create({
    data: { key: `HL7V2@${other.id}`, target: 'HL7V2', facilityId: other.id, state: 'OPEN', failures: 3 },
  });
  await new Promise((r) => setTimeout(r, 5_500)); // the worker's cached address of the old HIS (5 s) has expired

  hisUp.received = []; // (the first test's messages)
  await hisUp.start();
  await saveHisConnection(db, hisUp.url, admin(moved));
  await waitFor(async () => (await messagesOf(waiting)).every((m) => m.status === 'DELIVERED'), 10_000, 100);
  expect(hisUp.received.map((r) => r.visit).sort()).toEqual(waiting.map((e) => e.number).sort());
  expect(await db.handoffTargetState.findUnique({ where: { key: `HL7V2@${moved.id}` } })).toBeNull();
  expect((await db.handoffTargetState.findUniqueOrThrow({ where: { key: `HL7V2@${other.id}` } })).state).toBe('OPEN');
});

it('HIS_MLLP_URL removed while its shared circuit was open: the workers forget that circuit and each facility sends to its own HIS', async () => {
  const facility = await testFacility(db);
  const room = (await testRoom(db, facility.id)).id;
  // Left by workers that sent every facility to one HIS (HIS_MLLP_URL), down when they stopped.
  await db.handoffTargetState.create({
    data: {
      key: 'HL7V2',
      target: 'HL7V2',
      state: 'OPEN',
      failures: 3,
      openedAt: new Date(),
      nextProbeAt: new Date(Date.now() + 3_600_000),
    },
  });
  const waiting = await checkIns(facility.id, room, 3);
  expect((await messagesOf(waiting)).map((m) => m.status)).toEqual(waiting.map(() => 'WAITING_CONNECTION'));

  hisUp.received = [];
  await hisUp.start();
  await saveHisConnection(db, hisUp.url, admin(facility));
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 2,
    env: { ...timing, HANDOFF_BREAKER_PROBE_MS: '3600000' }, // no HIS_MLLP_URL: per facility
  });
  await waitFor(async () => (await messagesOf(waiting)).every((m) => m.status === 'DELIVERED'), 10_000, 100);
  expect(hisUp.received.map((r) => r.visit).sort()).toEqual(waiting.map((e) => e.number).sort());
  expect(await db.handoffTargetState.findUnique({ where: { key: 'HL7V2' } })).toBeNull();
});
