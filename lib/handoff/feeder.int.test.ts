import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import { pgPoolOf } from '../db/pg';
import { startFeeder, type Feeder } from './feeder';
import { testEncounter, testEvent, testPatient, testRoom, waitFor } from './test-fixtures';
import type { HandoffTarget } from '../codes';

/**
 * The feeder (feeder.ts) against real rows, with a recording `deliver` that sends nothing: which patients it hands
 * out, how many at once, and never one patient twice at the same time. Messages other files left in this shared
 * database are handed out too; the assertions look at this file's patients only.
 */
const db = testDb();
const pool = pgPoolOf(db);
let facility: { id: string; code: string };
let roomId: string;
let feeder: Feeder | null = null;
/** Deliveries the test holds open; a failed test's are let go so `stop` does not wait for them. */
const release: (() => void)[] = [];

beforeAll(async () => {
  // Messages earlier files left undelivered out of the way: the feeder would hand them out first (oldest first).
  await db.handoffMessage.updateMany({ where: { status: { not: 'DELIVERED' } }, data: { status: 'PARKED' } });
  facility = await testFacility(db);
  roomId = (await testRoom(db, facility.id)).id;
});
afterEach(async () => {
  for (const resolve of release.splice(0)) resolve();
  await feeder?.stop();
  feeder = null;
  await db.handoffMessage.updateMany({
    where: { status: { not: 'DELIVERED' }, encounter: { facilityId: facility.id } },
    data: { status: 'PARKED' },
  });
});
afterAll(() => db.$disconnect());

/** A patient with a check-in (A04) and, with `events`, later messages. */
async function patientWithMessages(events: ('A08' | 'A11')[] = []) {
  const { patient } = await testPatient(db);
  const encounter = await testEncounter(db, facility.id, roomId, patient);
  for (const event of events) await testEvent(db, encounter, event);
  return { patient, encounter };
}

it("hands out each patient once at a time, at most `slots` at once, and only due heads (a dead worker's send once its lease ran out)", async () => {
  const ours = new Set<string>();
  const waiting = await patientWithMessages(['A08']);
  const others = await Promise.all([1, 2, 3, 4].map(() => patientWithMessages()));
  // Behind a parked head: not handed out (the head waits for staff).
  const behindParked = await patientWithMessages(['A08']);
  await db.handoffMessage.updateMany({
    where: { encounterId: behindParked.encounter.id, event: 'A04' },
    data: { status: 'PARKED' },
  });
  // A retry due in an hour: not handed out (its job will run it).
  const later = await patientWithMessages();
  await db.handoffMessage.updateMany({
    where: { encounterId: later.encounter.id },
    data: { status: 'FAILED', nextAttemptAt: new Date(Date.now() + 3_600_000) },
  });
  // Being sent by a live worker (lease ahead): not handed out; a dead worker's send (lease run out): handed out.
  const sending = await patientWithMessages();
  const interrupted = await patientWithMessages();
  for (const [p, lease] of [
    [sending, 60_000],
    [interrupted, -1_000],
  ] as const) {
    await db.handoffMessage.updateMany({
      where: { encounterId: p.encounter.id },
      data: { status: 'SENDING', attempts: 1, leaseUntil: new Date(Date.now() + lease) },
    });
  }
  const due = [waiting, ...others, interrupted];
  for (const p of [...due, behindParked, later, sending]) ours.add(p.patient.id);

  const calls: string[] = [];
  let running = 0;
  let most = 0;
  const deliver = async (target: HandoffTarget, patientId: string) => {
    if (!ours.has(patientId)) return;
    calls.push(patientId);
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => release.push(resolve));
    // As a delivery ends: the patient's messages are no longer waiting.
    await pool.query(
      `UPDATE "HandoffMessage" SET "status" = 'DELIVERED', "deliveredAt" = now()
       WHERE "patientId" = $1::uuid AND "target" = $2::"HandoffTarget" AND "status" IN ('PENDING', 'SENDING')`,
      [patientId, target],
    );
    running--;
  };
  feeder = startFeeder(pool, deliver, { slots: 2, busyMs: 5, idleMs: 20 });
  await waitFor(async () => calls.length === 2, 10_000, 10);
  // Their heads stay PENDING while "being sent", so every look finds them again: not handed out twice.
  await new Promise((r) => setTimeout(r, 300));
  expect(calls).toHaveLength(2);
  // A slot that frees takes the next patient.
  for (let n = 3; n <= due.length; n++) {
    release.shift()!();
    await waitFor(async () => calls.length === n, 10_000, 10);
  }
  for (const resolve of release.splice(0)) resolve();
  await waitFor(async () => running === 0, 10_000, 10);
  await new Promise((r) => setTimeout(r, 200));
  expect(most).toBe(2);
  expect(calls).toHaveLength(due.length);
  expect(new Set(calls)).toEqual(new Set(due.map((p) => p.patient.id)));
});

it('stop waits for the deliveries under way, and starts none after', async () => {
  const { patient } = await patientWithMessages();
  let finished = false;
  let started = 0;
  let unblock!: () => void;
  const blocked = new Promise<void>((resolve) => (unblock = resolve));
  feeder = startFeeder(
    pool,
    async (_t, patientId) => {
      if (patientId !== patient.id) return;
      started++;
      await blocked;
      finished = true;
    },
    { slots: 1, busyMs: 5, idleMs: 20 },
  );
  await waitFor(async () => started === 1, 10_000, 10);
  const stopping = feeder.stop();
  feeder = null;
  setTimeout(unblock, 100);
  await stopping;
  expect(finished).toBe(true);
  await new Promise((r) => setTimeout(r, 100));
  expect(started).toBe(1);
});

it('messages waiting behind a parked, failed or held head are set aside, not read at every look, and do not hide newer heads', async () => {
  // 100 patients whose head waits for long (more than one look reads: 8 × slots), each with a later message.
  const blockers = ['PARKED', 'FAILED', 'WAITING_CONNECTION', 'WAITING_CONFIG'] as const;
  const waiting: string[] = [];
  for (let i = 0; i < 100; i++) {
    const { encounter } = await patientWithMessages(['A08']);
    await db.handoffMessage.updateMany({
      where: { encounterId: encounter.id, event: 'A04' },
      data: { status: blockers[i % 4], nextAttemptAt: new Date(Date.now() + 3_600_000) },
    });
    waiting.push(encounter.id);
  }
  // Behind a head being sent now: its sender goes on with it, so it is neither handed out nor set aside.
  const behindSending = await patientWithMessages(['A08']);
  await db.handoffMessage.updateMany({
    where: { encounterId: behindSending.encounter.id, event: 'A04' },
    data: { status: 'SENDING', attempts: 1, leaseUntil: new Date(Date.now() + 60_000) },
  });
  const fresh = await patientWithMessages(); // newer than all of them
  const calls: string[] = [];
  const startedAt = Date.now();
  feeder = startFeeder(pool, async (_t, patientId) => void calls.push(patientId), { slots: 4, busyMs: 5, idleMs: 20 });
  await waitFor(async () => calls.includes(fresh.patient.id), 10_000, 10);

  const set = await db.handoffMessage.findMany({ where: { encounterId: { in: waiting }, event: 'A08' } });
  expect(set).toHaveLength(100);
  for (const m of set) {
    expect(m.status).toBe('PENDING');
    expect(m.nextAttemptAt.getTime()).toBeGreaterThan(startedAt + 4_500); // set aside: 5 s at least
  }
  const [sendingFollower] = await db.handoffMessage.findMany({
    where: { encounterId: behindSending.encounter.id, event: 'A08' },
  });
  expect(sendingFollower!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  const ourWaiting = new Set(set.map((m) => m.patientId));
  expect(calls.filter((p) => ourWaiting.has(p) || p === behindSending.patient.id)).toEqual([]);
});
