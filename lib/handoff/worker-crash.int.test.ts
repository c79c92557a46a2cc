import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import type { Encounter } from '../db/generated/client';
import { pgPoolOf } from '../db/pg';
import { installJobQueue, releaseDeadWorkerLocks, startHandoffWorker, type HandoffWorker } from './worker';
import { jobKey, rescheduleDelivery } from './jobs';
import { TestHis } from './test-his';
import { testEncounter, testEvent, testPatient, testRoom, waitFor } from './test-fixtures';

/**
 * The worker process (lib/handoff/worker-main.ts, as `npm run worker` starts it) is killed with SIGKILL while
 * the HIS holds a message unanswered. A second worker takes over after the lease: nothing is lost, and the
 * only duplicate the HIS ever sees carries the same MSH-10.
 */
const db = testDb();
const url = inject('databaseUrl');
let his: TestHis;
let child: ChildProcess | null = null;
let survivor: HandoffWorker | null = null;
// A busy machine can miss a 500 ms ACK three times in a row: the circuit then opens, and its probe must come
// within the test's time, not after the default 30 s.
const timing = {
  HIS_ACK_TIMEOUT_MS: '500',
  HANDOFF_BREAKER_PROBE_MS: '500',
  HANDOFF_LEASE_MS: '1500',
  HANDOFF_BACKOFF_BASE_MS: '100',
  HANDOFF_BACKOFF_MAX_MS: '300',
  HANDOFF_SWEEP_MS: '300',
  HEARTBEAT_MS: '250',
};

beforeAll(async () => {
  await installJobQueue(url);
  his = await new TestHis().start();
});

afterAll(async () => {
  child?.kill('SIGKILL');
  await survivor?.stop();
  await his.stop();
  await db.$disconnect();
});

it('SIGKILL mid-delivery: every message delivered after, duplicates only with the same MSH-10, order kept', async () => {
  const facility = await testFacility(db);
  const room = await testRoom(db, facility.id);
  const encounters: Encounter[] = [];
  for (let i = 0; i < 4; i++) {
    const { patient } = await testPatient(db);
    const e = await testEncounter(db, facility.id, room.id, patient);
    await testEvent(db, e, 'A08');
    encounters.push(e);
  }
  const ids = encounters.map((e) => e.id);
  const ours = (visit: string) => encounters.some((e) => visit.startsWith(e.number));

  // The HIS answers slowly; the first of our messages to arrive triggers the kill before its ACK goes out.
  his.delayMs = 300;
  const killed = new Promise<string>((resolve) => {
    his.onMessage = (m) => {
      if (!ours(m.visit) || !child) return;
      child.kill('SIGKILL');
      his.onMessage = () => {};
      resolve(m.controlId);
    };
  });
  child = spawn(process.execPath, ['--import', 'tsx', 'lib/handoff/worker-main.ts'], {
    env: {
      ...process.env,
      ...timing,
      DATABASE_URL: url,
      HIS_MLLP_URL: his.url,
      HANDOFF_CONCURRENCY: '2',
      LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  const interruptedId = await killed;
  await new Promise((resolve) => child!.once('exit', resolve));
  child = null;
  // The message the dead worker was sending stays SENDING until its lease ends; then the survivor's sweep takes it.
  expect(await db.handoffMessage.count({ where: { messageControlId: interruptedId, status: 'SENDING' } })).toBe(1);

  his.delayMs = 0;
  survivor = await startHandoffWorker({
    connectionString: url,
    concurrency: 2,
    env: { ...timing, HIS_MLLP_URL: his.url },
  });
  await waitFor(
    async () => (await db.handoffMessage.count({ where: { encounterId: { in: ids }, status: 'DELIVERED' } })) === 8,
    30_000,
  );

  const received = his.received.filter((r) => ours(r.visit));
  const counts = new Map<string, number>();
  for (const r of received) counts.set(r.controlId, (counts.get(r.controlId) ?? 0) + 1);
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  expect(duplicated).toContain(interruptedId);
  // Only messages that were in flight at the kill (concurrency 2) can be duplicated, each under its own MSH-10.
  expect(duplicated.length).toBeLessThanOrEqual(2);
  expect(counts.size).toBe(8);
  for (const e of encounters) {
    const events = received.filter((r) => r.visit.startsWith(e.number)).map((r) => r.event);
    expect(events.filter((ev, i) => ev !== events[i - 1])).toEqual(['A04', 'A08']); // repeats only adjacent
  }
  const interrupted = await db.handoffAttempt.findMany({ where: { encounterId: { in: ids }, outcome: 'INTERRUPTED' } });
  expect(interrupted.length).toBeGreaterThanOrEqual(1);
});

it("a retry job locked by a worker that died is released (graphile-worker would wait 4 h); a live worker's lock is kept", async () => {
  // The first test's worker would release the lock on its next heartbeat, before the call below does.
  await survivor?.stop();
  survivor = null;
  const pool = pgPoolOf(db);
  const later = new Date(Date.now() + 3_600_000);
  const [dead, live] = [(await testPatient(db)).patient, (await testPatient(db)).patient];
  const pools = { [dead.id]: `dead-${dead.id.slice(0, 8)}`, [live.id]: `live-${live.id.slice(0, 8)}` };
  for (const patient of [dead, live]) {
    await rescheduleDelivery(pool, 'HL7V2', patient.id, later);
    // As graphile-worker locks a job it runs, an hour ago.
    await pool.query(
      `UPDATE graphile_worker._private_jobs SET locked_by = $2, locked_at = now() - interval '1 hour' WHERE key = $1`,
      [jobKey('HL7V2', patient.id), pools[patient.id]],
    );
  }
  await db.processHeartbeat.create({
    data: { id: pools[live.id]!, kind: 'WORKER', host: 'test', pid: 1, jobPoolId: pools[live.id]! },
  });
  const released = await releaseDeadWorkerLocks(pool, 10_000);
  expect(released).toContain(pools[dead.id]);
  expect(released).not.toContain(pools[live.id]);
  const lockOf = async (patientId: string) =>
    (
      await pool.query<{ locked_by: string | null }>(`SELECT locked_by FROM graphile_worker.jobs WHERE key = $1`, [
        jobKey('HL7V2', patientId),
      ])
    ).rows[0]!.locked_by;
  expect(await lockOf(dead.id)).toBeNull();
  expect(await lockOf(live.id)).toBe(pools[live.id]);
  await db.processHeartbeat.delete({ where: { id: pools[live.id]! } });
});
