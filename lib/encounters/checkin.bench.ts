import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { Logger, runMigrations } from 'graphile-worker';
import pg from 'pg';
import { createDb } from '../db/client';
import { withDatabase } from '../db/connection-info';
import { seedDemo, DEMO_FACILITY } from '../db/demo';
import { freshDatabase, testServer } from '../db/test-database';
import { createApiKey } from '../auth/api-keys';
import { seedSyntheticPatients } from '../patients/synthetic';

/**
 * `npm run bench:checkin` — POST /api/v1/checkins on 1,000,000 patients and 20 rooms, 8 connections, beside a
 * bare node:http + pg baseline doing the same work, in the same run. The app also queues each hand-off job
 * (graphile-worker installed, as in production; no worker runs, so deliveries do not compete for the CPU). Options (env): BENCH_PATIENTS (1000000),
 * BENCH_SECONDS (20, per run: two runs each, in the order baseline-app-app-baseline), BENCH_CONNECTIONS (8), BENCH_REUSE=1 keeps an
 * already seeded `tiepdon_bench` database.
 * Uses DATABASE_URL's server (else an embedded one) and the production build (`next build` first if missing).
 */
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const APP_PORT = 3310;
const BASE_PORT = 3311;

const server = await testServer();
const url = process.env.BENCH_REUSE === '1' ? withDatabase(server.serverUrl, 'tiepdon_bench') : await freshDatabase(server.serverUrl, 'tiepdon_bench', { migrated: true });
const db = createDb(url, 2);
await seedDemo(db);
const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
await db.room.createMany({ data: Array.from({ length: 20 }, (_, i) => ({ facilityId: facility.id, code: `B${String(i + 1).padStart(2, '0')}`, name: `Phòng khám ${i + 1}`, department: 'Khoa Khám bệnh' })), skipDuplicates: true });
const rooms = await db.room.findMany({ where: { facilityId: facility.id, code: { startsWith: 'B' } }, select: { id: true, code: true } });
const pool = new pg.Pool({ connectionString: url, max: 2 });
const have = Number((await pool.query('SELECT count(*) AS n FROM "Patient"')).rows[0].n);
if (have < PATIENTS) {
  const started = Date.now();
  process.stdout.write(`seeding ${PATIENTS - have} synthetic patients… `);
  await seedSyntheticPatients(pool, PATIENTS - have);
  console.log(`${((Date.now() - started) / 1000).toFixed(0)} s`);
}
// Settled before measuring: statistics and visibility map up to date, dirty pages written (else autovacuum and a
// checkpoint after the 1M-row seed compete with whichever server is measured first).
await pool.query('VACUUM ANALYZE');
await pool.query('CHECKPOINT');
// As in production, where the worker has installed its queue: each check-in also adds its delivery job.
await runMigrations({ connectionString: url, logger: new Logger(() => () => {}) });
const ids: string[] = (await pool.query(`SELECT value FROM "PatientIdentifier" TABLESAMPLE SYSTEM (5) WHERE system = 'PERSONAL_ID' LIMIT 200000`)).rows.map((r) => r.value);
const { key } = await createApiKey(db, { name: 'bench', role: 'RECEPTIONIST', facilityId: facility.id });
await db.$disconnect();

/** Check-ins of random (mostly returning, rarely repeated) patients into random rooms. */
function load(port: number, auth: boolean) {
  return autocannon({
    url: `http://127.0.0.1:${port}/api/v1/checkins`,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [{
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${key}` } : {}) },
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({ identifier: { system: 'PERSONAL_ID', value: ids[Math.floor(Math.random() * ids.length)] }, roomCode: rooms[Math.floor(Math.random() * rooms.length)]!.code }),
      }),
    }],
  });
}

async function waitFor(urlToCheck: string, child: ChildProcess) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('server exited');
    try { if ((await fetch(urlToCheck)).status < 500) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timeout waiting for ${urlToCheck}`);
}

// The app, as deployed: the launcher (migrations, build if needed, next start), no worker.
const app = spawn(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'lib/cli/launch.ts', 'start'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, DATABASE_URL: url, PORT: String(APP_PORT), NO_WORKER: '1', LOG_LEVEL: 'warn', NEXTAUTH_SECRET: 'bench' },
});
const baseline = fork(path.join('lib', 'encounters', 'checkin-baseline-server.ts'), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, DATABASE_URL: url, PORT: String(BASE_PORT), FACILITY_ID: facility.id, FACILITY_CODE: facility.code, ROOMS: JSON.stringify(rooms.map((r) => [r.code, r.id])) },
});
try {
  await waitFor(`http://127.0.0.1:${APP_PORT}/api/health`, app);
  await waitFor(`http://127.0.0.1:${BASE_PORT}/`, baseline).catch(() => {});
  // Warm both up (JIT, connection pools, Next's route compilation), then measure one after the other.
  await load(APP_PORT, true).then(() => undefined);
  await autocannon({ url: `http://127.0.0.1:${BASE_PORT}/`, connections: 2, duration: 3, method: 'POST', body: JSON.stringify({ identifier: { system: 'PERSONAL_ID', value: ids[0] }, roomCode: rooms[0]!.code }) });
  // Baseline, app, app, baseline (ABBA): a drift of the machine over the run weighs on both alike.
  const base1 = await load(BASE_PORT, false);
  const mine1 = await load(APP_PORT, true);
  const mine2 = await load(APP_PORT, true);
  const base2 = await load(BASE_PORT, false);
  type Row = { rps: number; p50: number; p99: number; non2xx: number; errors: number };
  const of = (r: autocannon.Result): Row => ({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
  const mean = (a: Row, b: Row): Row => ({ rps: (a.rps + b.rps) / 2, p50: (a.p50 + b.p50) / 2, p99: (a.p99 + b.p99) / 2, non2xx: a.non2xx + b.non2xx, errors: a.errors + b.errors });
  const row = (name: string, r: Row) =>
    `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(0).padStart(8)} ${r.p99.toFixed(0).padStart(8)} ${String(r.non2xx).padStart(7)} ${String(r.errors).padStart(6)}`;
  console.log(`\ncheck-ins on ${PATIENTS.toLocaleString('en')} patients, 20 rooms, ${CONNECTIONS} connections, ${SECONDS} s a run, order baseline-app-app-baseline`);
  console.log(`${'server'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non2xx'.padStart(7)} ${'errors'.padStart(6)}`);
  console.log(row('baseline, run 1', of(base1)));
  console.log(row('app, run 1', of(mine1)));
  console.log(row('app, run 2', of(mine2)));
  console.log(row('baseline, run 2', of(base2)));
  const base = mean(of(base1), of(base2));
  const mine = mean(of(mine1), of(mine2));
  console.log(row('baseline (node:http + pg), mean', base));
  console.log(row('app (POST /api/v1/checkins), mean', mine));
  console.log(`\napp / baseline: throughput ${(100 * mine.rps / base.rps).toFixed(0)} % (target ≥ 70 %), p99 ×${(mine.p99 / base.p99).toFixed(2)} (target ≤ 2)`);
} finally {
  app.kill('SIGTERM');
  baseline.kill('SIGTERM');
  await pool.end();
  await server.stop();
}
