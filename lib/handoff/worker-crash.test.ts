import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import type { Encounter } from '../db/generated/client';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from './worker';
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
const timing = { HIS_ACK_TIMEOUT_MS: '500', HANDOFF_LEASE_MS: '1500', HANDOFF_BACKOFF_BASE_MS: '100', HANDOFF_BACKOFF_MAX_MS: '300', HANDOFF_SWEEP_MS: '300' };

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
    env: { ...process.env, ...timing, DATABASE_URL: url, HIS_MLLP_URL: his.url, HANDOFF_CONCURRENCY: '2', LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  const interruptedId = await killed;
  await new Promise((resolve) => child!.once('exit', resolve));
  child = null;
  expect(await db.handoffMessage.count({ where: { messageControlId: interruptedId, status: 'SENDING' } })).toBe(1);

  his.delayMs = 0;
  survivor = await startHandoffWorker({ connectionString: url, concurrency: 2, env: { ...timing, HIS_MLLP_URL: his.url } });
  await waitFor(async () => (await db.handoffMessage.count({ where: { encounterId: { in: ids }, status: 'DELIVERED' } })) === 8, 30_000);

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
