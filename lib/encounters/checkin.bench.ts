import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { createDb } from '../db/client';
import { withDatabase } from '../db/connection-info';
import { migrate } from '../db/migrate';
import { seedDemo, DEMO_FACILITY, DEMO_ROOMS } from '../db/demo';
import { freshDatabase, testServer } from '../db/test-database';
import { createApiKey } from '../auth/api-keys';
import { seedSyntheticPatients, syntheticNewPatientCheckin } from '../patients/synthetic';
import { installJobQueue } from '../handoff/worker';
import fs from 'node:fs';
import { commandLine, machineCpuMs, postmasterPid, processCpuMs, processTree, treeCpuMs } from '../bench/cpu';
import { summarize } from '../bench/cpuprofile-summary';
import { spawnApp, stopApp, waitForHttp, workerPidOf } from '../bench/app';

/**
 * `npm run bench:checkin` — the desk and its hand-off together, as a hospital runs them: the app started as
 * `npm start` starts it (lib/cli/launch.ts: web server and hand-off worker), the worker delivering every ADT^A04
 * over MLLP to a test HIS that ACKs at once (lib/handoff/bench-his.ts, its own process), 1,000,000 seeded
 * patients (analyzed), POST /api/v1/checkins through an API key, 8 rooms, 8 connections, after a warm-up, every
 * request a different patient: returning patients (typed personal ID) and new ones (a CCCD QR with the
 * new-patient form). Beside it, in the same run, a bare node:http + pg handler doing the same essential work
 * (checkin-baseline-server.ts). Each path runs baseline-app-app-baseline, first with the worker not running,
 * then with it delivering; between the two, the desk is measured while the worker drains the backlog the first
 * half left (an outage over). CPU per check-in (from /proc) is printed beside throughput: on a busy machine it
 * moves much less.
 *
 * Options (env): BENCH_PATIENTS (1000000), BENCH_SECONDS (15 per run), BENCH_WARMUP_SECONDS (5),
 * BENCH_CONNECTIONS (8), BENCH_WORKER (both | off | on), BENCH_BACKLOG (5000: the most messages left for the
 * drain), BENCH_PORT (3310; +1 baseline, +2 HIS), BENCH_REUSE=1 keeps an already seeded `tiepdon_bench`,
 * BENCH_PROFILE=<dir>: every process of the app and the baseline writes a CPU profile there (node --cpu-prof), and
 * the web server's and the baseline's are summarized per answered request (lib/bench/cpuprofile-summary.ts).
 * Uses DATABASE_URL's server (else an embedded one).
 */
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const MODES = process.env.BENCH_WORKER === 'off' ? ['off'] : process.env.BENCH_WORKER === 'on' ? ['on'] : ['off', 'on'];
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 5_000);
const APP_PORT = Number(process.env.BENCH_PORT ?? 3310);
const BASE_PORT = APP_PORT + 1;
const HIS_PORT = APP_PORT + 2;
const PROFILE_DIR = process.env.BENCH_PROFILE ? path.resolve(process.env.BENCH_PROFILE) : null;
const profiling = PROFILE_DIR ? { CPU_PROFILE_DIR: PROFILE_DIR } : {}; // the launcher's setting (lib/cli/launch.ts)
const NEW_PREFIX = '080'; // personal IDs of the patients this benchmark creates (the seed never uses this province)

type Path = 'returning' | 'new';
const log = (text: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);

// ---------- database: seeded, analyzed, yesterday's benchmark cleared ----------
const server = await testServer();
const reuse = process.env.BENCH_REUSE === '1';
const url = reuse
  ? withDatabase(server.serverUrl, 'tiepdon_bench')
  : await freshDatabase(server.serverUrl, 'tiepdon_bench', { migrated: true });
if (reuse) await migrate(url);
const db = createDb(url, 2);
await seedDemo(db);
const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
const rooms = await db.room.findMany({
  where: { facilityId: facility.id, code: { in: DEMO_ROOMS.slice(0, 8).map((r) => r.code) } },
  select: { id: true, code: true },
});
const pool = new pg.Pool({ connectionString: url, max: 3 });
const have = Number(
  (
    await pool.query(
      `SELECT count(*) AS n FROM "PatientIdentifier" WHERE system = 'PERSONAL_ID' AND value NOT LIKE '${NEW_PREFIX}%'`,
    )
  ).rows[0].n,
);
if (have < PATIENTS) {
  const started = Date.now();
  log(`seeding ${(PATIENTS - have).toLocaleString('en')} synthetic patients…`);
  await seedSyntheticPatients(pool, PATIENTS - have);
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
// A previous run's check-ins and new patients go, so every run starts from the same state.
await pool.query(
  'TRUNCATE "HandoffAttempt", "HandoffMessage", "EncounterStatusHistory", "Encounter", "DailyCounter", "AuditEvent" CASCADE',
);
const made: string[] = (
  await pool.query(
    `SELECT coalesce(array_agg("patientId"::text), '{}') AS ids FROM "PatientIdentifier" WHERE system = 'PERSONAL_ID' AND value LIKE '${NEW_PREFIX}%'`,
  )
).rows[0].ids;
for (const table of ['"Coverage"', '"PatientIdentifier"', '"Patient"'])
  await pool.query(`DELETE FROM ${table} WHERE ${table === '"Patient"' ? 'id' : '"patientId"'} = ANY($1::uuid[])`, [
    made,
  ]);
if ((await pool.query(`SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS ok`)).rows[0].ok)
  await pool.query('DELETE FROM graphile_worker._private_jobs');
// Settled before measuring, as autovacuum would leave it: statistics and visibility map up to date, dirty pages
// written (else a checkpoint after the seed competes with whichever server is measured first).
await pool.query('VACUUM ANALYZE');
await pool.query('CHECKPOINT');
await installJobQueue(url); // as in production, where the worker has installed its queue
const { key } = await createApiKey(db, { name: 'bench', role: 'RECEPTIONIST', facilityId: facility.id });
await db.$disconnect();

// Every request a different patient: returning ones drawn without replacement from the seeded IDs.
const returningIds: string[] = (
  await pool.query(
    `SELECT value FROM "PatientIdentifier" WHERE system = 'PERSONAL_ID' AND value NOT LIKE '${NEW_PREFIX}%'`,
  )
).rows.map((r) => r.value);
for (let i = returningIds.length - 1; i > 0; i--) {
  const j = Math.floor(Math.random() * (i + 1));
  [returningIds[i], returningIds[j]] = [returningIds[j]!, returningIds[i]!];
}
let nextReturning = 0;
let nextNew = 0;
let nextRoom = 0;

function requestBody(p: Path): string {
  const roomCode = rooms[nextRoom++ % rooms.length]!.code;
  if (p === 'returning') {
    if (nextReturning === returningIds.length) log('warning: every seeded patient used once; repeats from here');
    return JSON.stringify({
      identifier: { system: 'PERSONAL_ID', value: returningIds[nextReturning++ % returningIds.length] },
      roomCode,
    });
  }
  const { raw, newPatient } = syntheticNewPatientCheckin(nextNew++, NEW_PREFIX);
  return JSON.stringify({ raw, roomCode, newPatient });
}

const answered = { app: 0, baseline: 0 }; // every answer, warm-ups included (a CPU profile covers them all)
async function load(port: number, p: Path, seconds: number) {
  const auth = port === APP_PORT ? { authorization: `Bearer ${key}` } : {};
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/api/v1/checkins`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        setupRequest: (req) => ({ ...req, body: requestBody(p) }),
      },
    ],
  });
  answered[port === APP_PORT ? 'app' : 'baseline'] += result.requests.total;
  return result;
}

// ---------- the processes: test HIS, baseline, the app (started as `npm start` starts it) ----------
const tsxArgs = ['--import', 'tsx'];
const baselineArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, ...tsxArgs] : tsxArgs;
const his = fork(path.join('lib', 'handoff', 'bench-his.ts'), [], {
  execArgv: tsxArgs,
  env: { ...process.env, PORT: String(HIS_PORT) },
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
await new Promise((resolve, reject) => {
  his.once('message', resolve);
  his.once('exit', () => reject(new Error('test HIS exited')));
});
const hisStats = () =>
  new Promise<{ received: number; duplicates: number; connections: number }>((resolve) => {
    his.once('message', resolve as never);
    his.send('stats');
  });
const baseline = fork(path.join('lib', 'encounters', 'checkin-baseline-server.ts'), [], {
  execArgv: baselineArgs,
  env: {
    ...process.env,
    DATABASE_URL: url,
    PORT: String(BASE_PORT),
    FACILITY_ID: facility.id,
    FACILITY_CODE: facility.code,
    ROOMS: JSON.stringify(rooms.map((r) => [r.code, r.id])),
  },
});
const postmaster = await postmasterPid(pool);

let app: ChildProcess | null = null;
async function startApp(withWorker: boolean) {
  app = spawnApp({
    ...process.env,
    ...profiling,
    DATABASE_URL: url,
    PORT: String(APP_PORT),
    LOG_LEVEL: 'warn',
    NEXTAUTH_SECRET: 'bench',
    HIS_MLLP_URL: `mllp://127.0.0.1:${HIS_PORT}`,
    ...(withWorker ? {} : { NO_WORKER: '1' }),
  });
  await waitForHttp(`http://127.0.0.1:${APP_PORT}/api/health`, app);
  if (withWorker) {
    for (let i = 0; i < 100 && workerPid() === null; i++) await new Promise((r) => setTimeout(r, 200));
    if (workerPid() === null) throw new Error('the app started no hand-off worker');
  }
}
const workerPid = () => workerPidOf(app?.pid);
/** With BENCH_PROFILE: each web server started (its pid) and the answers it gave, for the profiles' summary. */
const profiled: { label: string; pid: number; answered: number }[] = [];
async function stopAppProfiled(mode: string) {
  const web = app?.pid ? processTree(app.pid).find((pid) => commandLine(pid).includes('web-server')) : undefined;
  if (PROFILE_DIR && web) profiled.push({ label: `web server, worker ${mode}`, pid: web, answered: answered.app });
  const wpid = workerPid();
  if (PROFILE_DIR && wpid) {
    const delivered = Number(
      (
        await pool.query(
          `SELECT count(*) AS n FROM "HandoffMessage" WHERE "deliveredAt" IS NOT NULL AND "lastAckCode" IS DISTINCT FROM 'BENCH'`,
        )
      ).rows[0].n,
    );
    profiled.push({ label: 'hand-off worker (per delivered message)', pid: wpid, answered: delivered });
  }
  answered.app = 0;
  await stopApp(app);
}

// ---------- measuring ----------
type Cpu = {
  web: number;
  worker: number;
  pg: number;
  baseline: number;
  his: number;
  generator: number;
  machineBusy: number;
  machineTotal: number;
};
function cpuNow(): Cpu {
  const wpid = workerPid();
  const worker = wpid ? (treeCpuMs(wpid) ?? 0) : 0;
  const own = process.cpuUsage();
  const machine = machineCpuMs();
  return {
    web: (app?.pid ? (treeCpuMs(app.pid) ?? 0) : 0) - worker,
    worker,
    pg: postmaster ? (treeCpuMs(postmaster) ?? 0) : 0,
    baseline: treeCpuMs(baseline.pid!) ?? 0,
    his: processCpuMs(his.pid!) ?? 0,
    generator: (own.user + own.system) / 1000,
    machineBusy: machine?.busy ?? 0,
    machineTotal: machine?.total ?? 0,
  };
}
const minus = (a: Cpu, b: Cpu): Cpu =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Cpu] - b[k as keyof Cpu]])) as Cpu;
const dbNow = async (): Promise<Date> => (await pool.query('SELECT now() AS t')).rows[0].t;
const pendingCount = async (): Promise<number> =>
  Number((await pool.query(`SELECT count(*) AS n FROM "HandoffMessage" WHERE status <> 'DELIVERED'`)).rows[0].n);
const deliveredCount = async (): Promise<number> =>
  Number((await pool.query(`SELECT count(*) AS n FROM "HandoffMessage" WHERE "deliveredAt" IS NOT NULL`)).rows[0].n);
async function drained(timeoutMs: number): Promise<boolean> {
  for (const until = Date.now() + timeoutMs; Date.now() < until;) {
    if ((await pendingCount()) === 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

type Run = {
  label: string;
  server: 'app' | 'baseline';
  path: Path;
  mode: string;
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  cpu: Cpu;
  /** app runs with the worker delivering: the run's messages, commit → ACK recorded, and the worker's CPU until they were all delivered */
  ack?: {
    p50: number;
    p95: number;
    p99: number;
    delivered: number;
    queued: number;
    workerMs: number;
    deliveredInWindow: number;
  };
};
const runs: Run[] = [];

async function measure(server: 'app' | 'baseline', p: Path, mode: string, label = ''): Promise<Run> {
  const beforeCpu = cpuNow();
  const t0 = await dbNow();
  const deliveredBefore = mode === 'on' && server === 'app' ? await deliveredCount() : 0;
  const result = await load(server === 'app' ? APP_PORT : BASE_PORT, p, SECONDS);
  const t1 = await dbNow();
  const cpu = minus(cpuNow(), beforeCpu);
  const ok = result['2xx'];
  const run: Run = {
    label: label || `${server}, ${p}, worker ${mode === 'on' ? 'delivering' : 'not running'}`,
    server,
    path: p,
    mode,
    rps: ok / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    cpu,
  };
  if (mode === 'on' && server === 'app') {
    await drained(120_000);
    const after = cpuNow();
    const stats = (
      await pool.query(
        `SELECT count(*) AS queued, count("deliveredAt") AS delivered,
        percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM "deliveredAt" - "createdAt") * 1000) AS p
      FROM "HandoffMessage" WHERE "createdAt" >= $1 AND "createdAt" <= $2 AND target = 'HL7V2'`,
        [t0, t1],
      )
    ).rows[0];
    const p3 = (stats.p ?? [NaN, NaN, NaN]) as number[];
    run.ack = {
      p50: p3[0]!,
      p95: p3[1]!,
      p99: p3[2]!,
      queued: Number(stats.queued),
      delivered: Number(stats.delivered),
      workerMs: after.worker - beforeCpu.worker,
      deliveredInWindow: (await deliveredCount()) - deliveredBefore,
    };
  }
  runs.push(run);
  log(
    `${run.label.padEnd(44)} ${run.rps.toFixed(0).padStart(5)}/s  p50 ${run.p50} ms  p99 ${run.p99} ms  non-2xx ${run.non2xx}  errors ${run.errors}` +
      (run.ack ? `  commit→ACK p95 ${run.ack.p95.toFixed(0)} ms (${run.ack.delivered}/${run.ack.queued})` : ''),
  );
  return run;
}

let drain: { backlog: number; run: Run; left: number; seconds: number } | null = null;
try {
  await waitForHttp(`http://127.0.0.1:${BASE_PORT}/`, baseline).catch(() => {});
  for (const mode of MODES) {
    log(`starting the app (${mode === 'on' ? 'with its hand-off worker' : 'NO_WORKER=1'})…`);
    if (mode === 'on') {
      // What the worker-off half left is the backlog after an outage: at most BACKLOG of it stays queued.
      await pool.query(
        `UPDATE "HandoffMessage" SET status = 'DELIVERED', "deliveredAt" = now(), "lastAckCode" = 'BENCH'
        WHERE status <> 'DELIVERED' AND id <= (SELECT coalesce(max(id), 0) - $1 FROM "HandoffMessage")`,
        [BACKLOG],
      );
    }
    await startApp(mode === 'on');
    if (mode === 'on') {
      await load(APP_PORT, 'returning', 3); // the web server's first requests load and compile its routes
      const backlog = await pendingCount();
      if (backlog > 0) {
        const started = Date.now();
        const run = await measure('app', 'returning', 'drain', `app, returning, worker draining ${backlog}`);
        const left = await pendingCount();
        await drained(900_000);
        drain = { backlog, run, left, seconds: (Date.now() - started) / 1000 };
      }
    }
    log('warming up…');
    for (const p of ['returning', 'new'] as const) {
      await load(APP_PORT, p, WARMUP);
      await load(BASE_PORT, p, Math.min(WARMUP, 3));
    }
    if (mode === 'on') await drained(300_000);
    for (const p of ['returning', 'new'] as const) {
      await measure('baseline', p, mode);
      await measure('app', p, mode);
      await measure('app', p, mode);
      await measure('baseline', p, mode);
    }
    await stopAppProfiled(mode);
    app = null;
  }
  await report();
} finally {
  await stopApp(app);
  const baselineExited = new Promise((r) => baseline.once('exit', r));
  baseline.kill('SIGTERM');
  his.kill('SIGTERM');
  if (PROFILE_DIR) {
    await baselineExited;
    profiled.push({ label: 'raw baseline', pid: baseline.pid!, answered: answered.baseline });
    console.log(`\nCPU profiles (${PROFILE_DIR}), per answered request (warm-ups included):`);
    for (const p of profiled) {
      const file = fs.readdirSync(PROFILE_DIR).find((f) => f.includes(`.${p.pid}.`) && f.endsWith('.cpuprofile'));
      if (!file) {
        console.log(`  ${p.label}: no profile written`);
        continue;
      }
      const { busyMs, categories, functions } = summarize(
        JSON.parse(fs.readFileSync(path.join(PROFILE_DIR, file), 'utf8')),
      );
      console.log(
        `\n${p.label} (${file}): ${busyMs.toFixed(0)} ms busy, ${p.answered} answers, ${(busyMs / Math.max(1, p.answered)).toFixed(3)} ms each`,
      );
      for (const [k, ms] of categories)
        console.log(
          `  ${k.padEnd(30)} ${(ms / Math.max(1, p.answered)).toFixed(3).padStart(7)} ms ${((100 * ms) / busyMs).toFixed(1).padStart(5)} %`,
        );
      for (const [k, ms] of functions.slice(0, 15))
        console.log(`    ${(ms / Math.max(1, p.answered)).toFixed(3).padStart(7)} ms  ${k}`);
    }
  }
  await pool.end();
  await server.stop();
}

async function report() {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const pick = (server: string, p: Path, mode: string) =>
    runs.filter((r) => r.server === server && r.path === p && r.mode === mode);
  const cpuPer = (rs: Run[], parts: (keyof Cpu)[]) =>
    mean(rs.map((r) => parts.reduce((a, k) => a + r.cpu[k], 0) / Math.max(1, r.ok)));
  console.log(
    `\nCheck-in: ${PATIENTS.toLocaleString('en')} patients (analyzed), ${rooms.length} rooms, ${CONNECTIONS} connections, API key, every request a different patient;`,
  );
  console.log(
    `${SECONDS} s a run, baseline-app-app-baseline per line; the app as \`npm start\` runs it, the worker delivering to a test HIS over MLLP.\n`,
  );
  console.log('| path | app | raw baseline | ratio | p99 app / baseline | CPU per check-in app / baseline |');
  console.log('|---|---|---|---|---|---|');
  for (const mode of MODES)
    for (const p of ['returning', 'new'] as const) {
      const a = pick('app', p, mode);
      const b = pick('baseline', p, mode);
      if (!a.length || !b.length) continue;
      const appParts: (keyof Cpu)[] = ['web', 'worker', 'pg', 'his'];
      console.log(
        `| ${p === 'returning' ? 'returning patient' : 'new patient'}, worker ${mode === 'on' ? '**delivering**' : '**not** running'} ` +
          `| ${mean(a.map((r) => r.rps)).toFixed(0)} /s | ${mean(b.map((r) => r.rps)).toFixed(0)} /s | ${(mean(a.map((r) => r.rps)) / mean(b.map((r) => r.rps))).toFixed(2)} ` +
          `| ${mean(a.map((r) => r.p99)).toFixed(0)} ms / ${mean(b.map((r) => r.p99)).toFixed(0)} ms ` +
          `| ${cpuPer(a, appParts).toFixed(2)} ms / ${cpuPer(b, ['baseline', 'pg']).toFixed(2)} ms |`,
      );
    }
  console.log(
    '\nCPU per check-in = CPU time of the server (app: web server + worker + test HIS; baseline: its process) and of PostgreSQL, per 2xx answer.',
  );
  const on = runs.filter((r) => r.ack);
  if (on.length) {
    const acks = on.map((r) => r.ack!);
    const workerPerMsg =
      acks.reduce((a, x) => a + x.workerMs, 0) /
      Math.max(
        1,
        acks.reduce((a, x) => a + x.deliveredInWindow, 0),
      );
    console.log(`\nHand-off while the desk is under that load (app runs, worker delivering):`);
    console.log(
      `  commit → ACK recorded: p50 ${mean(acks.map((x) => x.p50)).toFixed(0)} ms, p95 ${mean(acks.map((x) => x.p95)).toFixed(0)} ms (target < 500), p99 ${mean(acks.map((x) => x.p99)).toFixed(0)} ms;` +
        ` delivered ${acks.reduce((a, x) => a + x.delivered, 0)} of ${acks.reduce((a, x) => a + x.queued, 0)}`,
    );
    const h = await hisStats();
    console.log(
      `  the test HIS received ${h.received} messages (${h.duplicates} with an MSH-10 it had seen) over ${h.connections} connections`,
    );
    console.log(
      `  worker CPU per delivered message: ${workerPerMsg.toFixed(3)} ms (the worker process, from the run's start until its messages were delivered)`,
    );
    const off = (p: Path) => pick('app', p, 'off');
    for (const p of ['returning', 'new'] as const) {
      if (!off(p).length || !pick('app', p, 'on').length) continue;
      const delta = cpuPer(pick('app', p, 'on'), ['pg', 'his']) - cpuPer(off(p), ['pg', 'his']);
      console.log(`  PostgreSQL + test HIS CPU added per check-in by delivery (${p}): ${delta.toFixed(3)} ms`);
    }
  }
  if (drain) {
    const steady = pick('app', 'returning', 'on');
    console.log(
      `\nDesk while the worker drains a backlog of ${drain.backlog} messages (the worker-off half's, as after an outage):`,
    );
    console.log(
      `  returning patients ${drain.run.rps.toFixed(0)} /s, p99 ${drain.run.p99} ms (worker delivering, no backlog: ${steady.length ? mean(steady.map((r) => r.p99)).toFixed(0) : '–'} ms);` +
        ` ${drain.left} messages still queued after the run; all delivered after ${drain.seconds.toFixed(0)} s`,
    );
  }
  const his = runs.map((r) => r.cpu);
  const ours = his.reduce((a, c) => a + c.web + c.worker + c.pg + c.baseline + c.his + c.generator, 0);
  const busy = his.reduce((a, c) => a + c.machineBusy, 0);
  const total = his.reduce((a, c) => a + c.machineTotal, 0);
  if (total > 0) {
    console.log(
      `\nNoise: during the runs the machine was ${((100 * busy) / total).toFixed(0)} % busy; other processes (not the app, baseline, PostgreSQL, HIS or load generator) used ${((100 * Math.max(0, busy - ours)) / total).toFixed(0)} % of it.`,
    );
  }
  console.log('\nAll runs:');
  console.log(
    `${'run'.padEnd(46)} ${'req/s'.padStart(6)} ${'p50'.padStart(5)} ${'p99'.padStart(5)} ${'non2xx'.padStart(6)} ${'err'.padStart(4)}  CPU ms/check-in: web worker  pg   base  his   gen | others %`,
  );
  for (const r of runs) {
    const per = (k: keyof Cpu) => (r.cpu[k] / Math.max(1, r.ok)).toFixed(2).padStart(5);
    const others =
      r.cpu.machineTotal > 0
        ? (
            (100 *
              Math.max(
                0,
                r.cpu.machineBusy -
                  (r.cpu.web + r.cpu.worker + r.cpu.pg + r.cpu.baseline + r.cpu.his + r.cpu.generator),
              )) /
            r.cpu.machineTotal
          ).toFixed(0)
        : '–';
    console.log(
      `${r.label.padEnd(46)} ${r.rps.toFixed(0).padStart(6)} ${String(r.p50).padStart(5)} ${String(r.p99).padStart(5)} ${String(r.non2xx).padStart(6)} ${String(r.errors).padStart(4)}                  ${per('web')} ${per('worker')} ${per('pg')} ${per('baseline')} ${per('his')} ${per('generator')} | ${others}`,
    );
  }
}
