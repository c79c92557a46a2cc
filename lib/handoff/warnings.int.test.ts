import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import { log } from '../log';
import { mllpSettingKey, type Env } from './config';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from './worker';
import { TestHis } from './test-his';
import { testEncounter, testPatient, testRoom, waitFor } from './test-fixtures';

/**
 * Issue 12, "health that tells the truth": the worker says in the log, once (not every beat), when no HIS is
 * configured, when messages wait longer than the backlog threshold, and when a target's circuit opens and closes.
 */
const db = testDb();
const url = inject('databaseUrl');
let facility: { id: string; code: string };
let roomId: string;
let worker: HandoffWorker | null = null;
let his: TestHis | null = null;
const timing: Env = {
  HEARTBEAT_MS: '100',
  HANDOFF_SWEEP_MS: '300',
  HIS_ACK_TIMEOUT_MS: '800',
  HANDOFF_BREAKER_THRESHOLD: '2',
  HANDOFF_BREAKER_PROBE_MS: '500',
};

const warned = (spy: ReturnType<typeof vi.spyOn>, text: string): unknown[][] =>
  spy.mock.calls.filter((c: unknown[]) => c.some((a) => typeof a === 'string' && a.includes(text)));
/** Of those, the ones about the HL7 v2 target: other files leave FHIR messages waiting in this shared database. */
const hl7 = (calls: unknown[][]) => calls.filter((c) => (c[0] as { target?: string }).target === 'HL7V2');

beforeAll(async () => {
  await installJobQueue(url);
  facility = await testFacility(db);
  roomId = (await testRoom(db, facility.id)).id;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await worker?.stop();
  worker = null;
  await his?.stop();
  his = null;
  await db.handoffTargetState.deleteMany({});
  // This file's undelivered messages out of the next test's way.
  await db.handoffMessage.updateMany({
    where: { status: { not: 'DELIVERED' }, encounter: { facilityId: facility.id } },
    data: { status: 'PARKED' },
  });
});
afterAll(() => db.$disconnect());

it('no HIS configured, and a backlog past HANDOFF_BACKLOG_WARN_SECONDS: each said once, with the target', async () => {
  await db.setting.deleteMany({ where: { key: mllpSettingKey(facility.id) } });
  // As other files leave them in this shared database: a FHIR message long overdue, so a FHIR backlog line comes at
  // once. It must not stand in for the HL7 v2 one (CI failed once when the wait below accepted any target's line).
  const fhir = await testEncounter(db, facility.id, roomId, (await testPatient(db)).patient, { targets: ['FHIR'] });
  await db.handoffMessage.updateMany({
    where: { encounterId: fhir.id },
    data: {
      status: 'FAILED',
      createdAt: new Date(Date.now() - 3_600_000),
      nextAttemptAt: new Date(Date.now() + 3_600_000),
    },
  });
  const warn = vi.spyOn(log, 'warn');
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 2,
    env: { ...timing, HANDOFF_BACKLOG_WARN_SECONDS: '1' },
  });
  await testEncounter(db, facility.id, roomId, (await testPatient(db)).patient);
  // Wait for this target's lines: other files' FHIR messages make a FHIR backlog line at once, which is not ours.
  await waitFor(
    async () =>
      hl7(warned(warn, 'no HIS address configured')).length > 0 && hl7(warned(warn, 'hand-off backlog')).length > 0,
    20_000,
    100,
  );
  await new Promise((r) => setTimeout(r, 1_000)); // ten more heartbeats
  expect(hl7(warned(warn, 'no HIS address configured: check-ins are kept'))).toHaveLength(1);
  // Once per target: other test files leave messages for other targets (FHIR) waiting in this shared database.
  const backlog = hl7(warned(warn, 'hand-off backlog'));
  expect(backlog).toHaveLength(1);
  expect(backlog[0]![0]).toMatchObject({ target: 'HL7V2' });
  expect((backlog[0]![0] as { oldestSeconds: number }).oldestSeconds).toBeGreaterThanOrEqual(1);
});

it('the HIS goes away and comes back: the circuit opening and closing are each logged once', async () => {
  his = await new TestHis().start();
  const port = his.port;
  await his.stop();
  const warn = vi.spyOn(log, 'warn');
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 2,
    env: { ...timing, HIS_MLLP_URL: `mllp://127.0.0.1:${port}` },
  });
  for (let i = 0; i < 3; i++) await testEncounter(db, facility.id, roomId, (await testPatient(db)).patient);
  await waitFor(async () => warned(warn, 'circuit opened').length > 0, 20_000, 100);
  expect(warned(warn, 'circuit opened')[0]![0]).toMatchObject({ target: 'HL7V2', failures: 2 });
  expect(warned(warn, 'circuit closed')).toHaveLength(0);
  await new Promise((r) => setTimeout(r, 1_500)); // probes fail meanwhile: no new "opened" line
  expect(warned(warn, 'circuit opened')).toHaveLength(1);
  his = await new TestHis().start(port);
  await waitFor(async () => warned(warn, 'circuit closed').length > 0, 20_000, 100);
  expect(warned(warn, 'circuit closed')[0]![0]).toMatchObject({ target: 'HL7V2' });
  expect(warned(warn, 'circuit closed')).toHaveLength(1);
});
