import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { testDb, testFacility } from '@/lib/db/test-helpers';
import { callRoute, testCaller, useTestDatabaseForRoutes, type Caller } from '@/lib/db/test-api';
import { installJobQueue, startHandoffWorker, type HandoffWorker } from '@/lib/handoff/worker';
import { TestHis } from '@/lib/handoff/test-his';
import { testPatient, testRoom, waitFor } from '@/lib/handoff/test-fixtures';
import { checkBhytCard } from '@/lib/insurance/gateway-client';
import { startGatewaySimulator, type GatewaySimulator } from '@/lib/insurance/simulator';
import { DEMO_CARDS, DEMO_PEOPLE } from '@/lib/insurance/demo-cards';
import { GET as metricsRoute } from './route';
import { POST as checkinRoute } from '../v1/checkins/route';
import { GET as meRoute } from '../v1/me/route';

/**
 * Issue 12, "metrics are scraped in a test and change as check-ins and deliveries happen": GET /api/metrics
 * through its route handler with a MONITOR key, check-ins through theirs, deliveries by a real worker to a test
 * HIS over MLLP, BHYT checks against the gateway simulator over HTTP.
 */
useTestDatabaseForRoutes();
const db = testDb();
const url = inject('databaseUrl');
let monitor: Caller;
let desk: Caller;
let admin: Caller;
let roomCode: string;
let his: TestHis;
let worker: HandoffWorker;
let workerStopped = false;
let sim: GatewaySimulator;

beforeAll(async () => {
  await installJobQueue(url);
  const facility = await testFacility(db);
  roomCode = (await testRoom(db, facility.id)).code;
  monitor = await testCaller(db, facility.id, 'MONITOR', 'prometheus');
  desk = await testCaller(db, facility.id, 'RECEPTIONIST', 'desk-metrics');
  admin = await testCaller(db, facility.id, 'ADMIN', 'admin-metrics');
  // Files share one database: messages an earlier file left undelivered (held for want of an address, say) would
  // be delivered by this worker, which reaches every facility, and counted here (CI: 5 delivered where 3 were sent).
  await db.handoffMessage.updateMany({
    where: { status: { notIn: ['DELIVERED', 'PARKED'] } },
    data: { status: 'PARKED', lastError: 'left by an earlier test file' },
  });
  his = await new TestHis().start();
  worker = await startHandoffWorker({
    connectionString: url,
    concurrency: 2,
    env: {
      HIS_MLLP_URL: his.url,
      HEARTBEAT_MS: '200',
      HANDOFF_MAX_ATTEMPTS: '1',
      HIS_ACK_TIMEOUT_MS: '2000',
      HANDOFF_SWEEP_MS: '500',
    },
  });
  sim = await startGatewaySimulator({
    account: { username: 'metrics', password: 'Synthetic#Pass2' },
    cards: DEMO_CARDS,
  });
});
afterAll(async () => {
  if (!workerStopped) await worker.stop();
  await his.stop();
  await sim.close();
  await db.$disconnect();
});

/** The value of one series in Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

const scrape = async (caller = monitor) => {
  const r = await callRoute(metricsRoute, caller, 'GET', '/api/metrics');
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return r.text;
};

it('a MONITOR key reads /api/metrics and nothing else; other roles but ADMIN get 403', async () => {
  expect((await callRoute(metricsRoute, desk, 'GET', '/api/metrics')).status).toBe(403);
  expect((await callRoute(meRoute, monitor, 'GET', '/api/v1/me')).status).toBe(403);
  expect(
    (
      await callRoute(checkinRoute, monitor, 'POST', '/api/v1/checkins', {
        body: { identifier: { system: 'PERSONAL_ID', value: '079012345678' }, roomCode },
      })
    ).status,
  ).toBe(403);
  const text = await scrape(admin);
  for (const name of [
    'tiepdon_handoff_pending',
    'tiepdon_handoff_oldest_pending_seconds',
    'tiepdon_handoff_delivered_total',
    'tiepdon_handoff_parked_total',
    'tiepdon_worker_up',
    'tiepdon_checkins_total',
    'tiepdon_http_request_duration_seconds',
    'tiepdon_bhxh_gateway_requests_total',
    'tiepdon_backup_last_success_timestamp_seconds',
  ]) {
    expect(text).toContain(`# TYPE ${name} `);
  }
});

it('check-ins, deliveries, a parked message, gateway requests and a backup show in the next scrapes', async () => {
  const before = await scrape();
  const hl7 = { target: 'HL7V2' };
  const created = { method: 'TYPED_ID', outcome: 'created' };
  const route = { route: '/api/v1/checkins', method: 'POST', status: '201' };

  // Three check-ins delivered, one not found.
  for (let i = 0; i < 3; i++) {
    const { personalId } = await testPatient(db);
    expect(
      (
        await callRoute(checkinRoute, desk, 'POST', '/api/v1/checkins', {
          body: { identifier: { system: 'PERSONAL_ID', value: personalId }, roomCode },
        })
      ).status,
    ).toBe(201);
  }
  expect(
    (
      await callRoute(checkinRoute, desk, 'POST', '/api/v1/checkins', {
        body: { identifier: { system: 'PERSONAL_ID', value: '079099999999' }, roomCode },
      })
    ).status,
  ).toBe(404);
  const during = await scrape();
  expect(sample(during, 'tiepdon_checkins_total', created) - sample(before, 'tiepdon_checkins_total', created)).toBe(3);
  expect(
    sample(during, 'tiepdon_checkins_total', { method: 'TYPED_ID', outcome: 'not-found' }) -
      sample(before, 'tiepdon_checkins_total', { method: 'TYPED_ID', outcome: 'not-found' }),
  ).toBe(1);
  expect(
    sample(during, 'tiepdon_http_request_duration_seconds_count', route) -
      sample(before, 'tiepdon_http_request_duration_seconds_count', route),
  ).toBe(3);

  const delivered = await waitFor(
    async () => {
      const t = await scrape();
      return sample(t, 'tiepdon_handoff_delivered_total', hl7) -
        sample(before, 'tiepdon_handoff_delivered_total', hl7) >=
        3
        ? t
        : null;
    },
    30_000,
    500,
  );
  expect(
    sample(delivered, 'tiepdon_handoff_delivered_total', hl7) - sample(before, 'tiepdon_handoff_delivered_total', hl7),
  ).toBe(3);
  expect(sample(delivered, 'tiepdon_handoff_pending', hl7)).toBe(0);
  expect(sample(delivered, 'tiepdon_worker_up')).toBeGreaterThanOrEqual(1);

  // The HIS rejects one: parked (one attempt allowed here), counted once.
  his.mode = 'AE';
  const { personalId } = await testPatient(db);
  expect(
    (
      await callRoute(checkinRoute, desk, 'POST', '/api/v1/checkins', {
        body: { identifier: { system: 'PERSONAL_ID', value: personalId }, roomCode },
      })
    ).status,
  ).toBe(201);
  const parked = await waitFor(
    async () => {
      const t = await scrape();
      return sample(t, 'tiepdon_handoff_parked_total', hl7) > sample(before, 'tiepdon_handoff_parked_total', hl7)
        ? t
        : null;
    },
    30_000,
    500,
  );
  expect(
    sample(parked, 'tiepdon_handoff_parked_total', hl7) - sample(before, 'tiepdon_handoff_parked_total', hl7),
  ).toBe(1);
  his.mode = 'AA';

  // The BHXH gateway, over HTTP: a valid card and an unknown one.
  const settings = {
    baseUrl: sim.url,
    username: 'metrics',
    password: 'Synthetic#Pass2',
    checkTimeoutMs: 2000,
    tokenTimeoutMs: 2000,
    bodyFormat: 'json' as const,
  };
  const person = DEMO_PEOPLE.find((p) => p.resultCode === '000')!;
  const staff = { fullName: 'Lê Thị Tân', staffIdNumber: '058190000001' };
  expect(
    (
      await checkBhytCard(
        { cardNumber: person.cardCode, fullName: person.fullName, dateOfBirth: person.dateOfBirth, staff },
        { settings },
      )
    ).status,
  ).toBe('VERIFIED');
  await checkBhytCard(
    { cardNumber: 'GD4799999999999', fullName: person.fullName, dateOfBirth: person.dateOfBirth, staff },
    { settings },
  );

  // A backup recorded by whichever process made it.
  await db.databaseBackup.deleteMany({});
  const finishedAt = new Date(Date.now() + 60_000);
  await db.databaseBackup.create({
    data: { file: 'tiepdon-test.tdbak', kind: 'MANUAL', host: 'test', startedAt: finishedAt, finishedAt },
  });
  const after = await waitFor(
    async () => {
      const t = await scrape();
      return sample(t, 'tiepdon_backup_last_success_timestamp_seconds') === finishedAt.getTime() / 1000 ? t : null;
    },
    15_000,
    500,
  );
  const gateway = (outcome: string) =>
    sample(after, 'tiepdon_bhxh_gateway_requests_total', { outcome }) -
    sample(before, 'tiepdon_bhxh_gateway_requests_total', { outcome });
  expect(gateway('verified')).toBe(1);
  expect(gateway('verified') + gateway('rejected') + gateway('unavailable')).toBe(2);
  await db.databaseBackup.deleteMany({ where: { file: 'tiepdon-test.tdbak' } });
}, 90_000);

it("circuits: one series per destination (a facility's own HIS, by its code); the target counts as down while any of its destinations is", async () => {
  // This file's worker sends every facility to HIS_MLLP_URL: its sweep would forget per-facility circuits.
  await worker.stop();
  workerStopped = true;
  const down = await testFacility(db);
  const up = await testFacility(db);
  await db.handoffTargetState.deleteMany({});
  await db.handoffTargetState.createMany({
    data: [
      {
        key: `HL7V2@${down.id}`,
        target: 'HL7V2',
        facilityId: down.id,
        state: 'OPEN',
        failures: 3,
        openedAt: new Date(),
        nextProbeAt: new Date(Date.now() + 3_600_000),
      },
      { key: `HL7V2@${up.id}`, target: 'HL7V2', facilityId: up.id, state: 'CLOSED', failures: 1 },
    ],
  });
  try {
    const series = (text: string, facility: string) =>
      new RegExp(`^tiepdon_handoff_destination_circuit_open\\{[^}]*facility="${facility}"[^}]*\\} (\\d+)$`, 'm').exec(
        text,
      )?.[1];
    const text = await waitFor(
      async () => {
        const t = await scrape();
        return series(t, down.code) === '1' ? t : null;
      },
      15_000,
      500,
    );
    expect(series(text, up.code)).toBe('0');
    expect(sample(text, 'tiepdon_handoff_circuit_open', { target: 'HL7V2' })).toBe(1);
    expect(sample(text, 'tiepdon_handoff_circuit_open', { target: 'FHIR' })).toBe(0);
  } finally {
    await db.handoffTargetState.deleteMany({});
  }
});
