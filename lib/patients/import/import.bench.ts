import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { freshDatabase, testServer } from '../../db/test-database';
import { seedSyntheticPatients } from '../synthetic';
import { runImport, type ImportJob } from './run';
import { writeSyntheticCsv } from './test-files';

/**
 * `npm run bench:import` — the HIS's patient master imported as production imports it (the code path of
 * `npm run cli -- patients import` and of the admin page, in one process), BENCH_IMPORT_ROWS rows (default
 * 1,000,000) generated into a CSV first:
 *   1. into an empty database (go-live), then
 *   2. the same file again (every row matches its record: nothing to write), and
 *   3. a raw baseline in the same run: as many patients inserted by PostgreSQL itself (INSERT … SELECT over
 *      generate_series, lib/patients/synthetic.ts, into another empty database, same tables, indexes and triggers).
 *      It writes less (no hospital code, coverage or audit row; no file to read): the floor, not a peer.
 * Prints rows per second, the time of each pass, the most expensive statements, peak RSS (sampled every 250 ms,
 * per pass), the cost of the name-word trigger per patient, and the machine's load while each part ran.
 * Target: 1,000,000 rows in under 5 minutes on a 2-core machine, memory flat whatever the file's size.
 */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const server = await testServer();
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-import-'));
const file = path.join(dir, 'his-export.csv');

type Sample = { load: number[]; rss: Map<string, number> };
function sampler() {
  const s: Sample = { load: [], rss: new Map() };
  let phase = 'start';
  const take = () => {
    s.load.push(os.loadavg()[0]!);
    s.rss.set(phase, Math.max(s.rss.get(phase) ?? 0, process.memoryUsage().rss));
  };
  const timer = setInterval(take, 250);
  return {
    s,
    phase: (p: string) => {
      take();
      phase = p;
      take();
    },
    stop: () => {
      take();
      clearInterval(timer);
    },
  };
}
const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
const load = (l: number[]) =>
  `load avg ${Math.min(...l).toFixed(1)}–${Math.max(...l).toFixed(1)} (mean ${(l.reduce((a, b) => a + b, 0) / l.length).toFixed(1)})`;
const others = () => {
  try {
    const ps = execFileSync('ps', ['-eo', 'comm='], { encoding: 'utf8' }).split('\n');
    return `${ps.filter((c) => c === 'postgres').length} postgres and ${ps.filter((c) => c.startsWith('node')).length} node processes on the machine`;
  } catch {
    return 'process count unavailable';
  }
};

async function database(name: string) {
  const url = await freshDatabase(server.serverUrl, name, { migrated: true });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const {
    rows: [f],
  } = await pool.query<{ id: string }>(
    `INSERT INTO "Facility" (code, name) VALUES ('58999', 'Cơ sở benchmark') RETURNING id::text`,
  );
  return { pool, facilityId: f!.id };
}

async function timedImport(pool: pg.Pool, facilityId: string, label: string) {
  const sample = sampler();
  const phases: [string, number][] = [];
  let phase = '';
  let at = performance.now();
  const started = at;
  const profile = new Map<string, number>();
  const job: ImportJob = await runImport(pool, {
    facilityId,
    path: file,
    fileName: path.basename(file),
    actor: { name: 'bench', facilityId },
    profile,
    onProgress: (progress, status) => {
      // Staging in two halves: memory that grew with the file would peak higher in the second.
      if (status === 'STAGING' && progress >= 23 && phase === 'STAGING') {
        phases.push([phase, performance.now() - at]);
        phase = 'STAGING, second half';
        at = performance.now();
        sample.phase(phase);
      }
      if (status === phase || (status === 'STAGING' && phase === 'STAGING, second half')) return;
      if (phase) phases.push([phase, performance.now() - at]);
      phase = status;
      at = performance.now();
      sample.phase(status);
    },
  });
  phases.push([phase, performance.now() - at]);
  sample.stop();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `\n${label}: ${ROWS.toLocaleString('en')} rows in ${seconds.toFixed(1)} s = ${Math.round(ROWS / seconds).toLocaleString('en')} rows/s`,
  );
  console.log(`  counts: ${JSON.stringify(job.counts)}`);
  console.log(`  passes: ${phases.map(([p, ms]) => `${p} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  console.log(`  peak RSS per pass: ${[...sample.s.rss].map(([p, r]) => `${p} ${mb(r)}`).join(', ')}`);
  console.log(`  ${load(sample.s.load)}`);
  const top = [...profile].sort((a, b) => b[1] - a[1]).slice(0, 6);
  console.log(
    `  most expensive statements: ${top.map(([k, ms]) => `\n    ${(ms / 1000).toFixed(1).padStart(6)} s  ${k}`).join('')}`,
  );
  return seconds;
}

/** The name-word trigger's cost per inserted patient: 20,000 inserts with it and without it, each rolled back. */
async function triggerCost(pool: pg.Pool): Promise<string> {
  const client = await pool.connect();
  const insert = `INSERT INTO "Patient" ("fullName", "normalizedName", "birthDate", "birthYear", "updatedAt")
    SELECT 'Thử ' || g, 'thu ' || md5(g::text), '1980', 1980, now() FROM generate_series(1, 20000) g`;
  const run = async (disable: boolean) => {
    await client.query('BEGIN');
    if (disable) await client.query('ALTER TABLE "Patient" DISABLE TRIGGER "Patient_nameWords_insert"');
    const t = performance.now();
    await client.query(insert);
    const ms = performance.now() - t;
    await client.query('ROLLBACK');
    return ms;
  };
  try {
    await run(false); // warm-up
    const withIt = Math.min(await run(false), await run(false));
    const without = Math.min(await run(true), await run(true));
    return `${(((withIt - without) * 1000) / 20000).toFixed(1)} µs per patient (${(withIt / 1000).toFixed(2)} s with it, ${(without / 1000).toFixed(2)} s without, for 20,000 new words)`;
  } finally {
    client.release();
  }
}

console.log(`bench:import — ${ROWS.toLocaleString('en')} rows; ${os.cpus().length} CPUs; ${others()}`);
let t = performance.now();
await writeSyntheticCsv(file, ROWS);
console.log(
  `generated ${path.basename(file)} (${mb((await stat(file)).size)}) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const target = await database('tiepdon_bench_import');
const first = await timedImport(target.pool, target.facilityId, 'import into an empty database');
const again = await timedImport(target.pool, target.facilityId, 'the same file again (everything already there)');
console.log(
  `\nname-word trigger (migration 20261125204000) at ${ROWS.toLocaleString('en')} patients: ${await triggerCost(target.pool)}`,
);
await target.pool.end();

const base = await database('tiepdon_bench_import_base');
const sample = sampler();
t = performance.now();
await seedSyntheticPatients(base.pool, ROWS);
await base.pool.query('ANALYZE "Patient", "PatientIdentifier"');
sample.stop();
const baseline = (performance.now() - t) / 1000;
console.log(
  `\nbaseline, PostgreSQL inserting ${ROWS.toLocaleString('en')} patients itself (no file, no hospital code, coverage or audit): ${baseline.toFixed(1)} s = ${Math.round(ROWS / baseline).toLocaleString('en')} rows/s; ${load(sample.s.load)}`,
);
await base.pool.end();

console.log(
  `\nsummary: import ${first.toFixed(1)} s (${(first / baseline).toFixed(2)}× the baseline), re-run ${again.toFixed(1)} s; target < 300 s: ${first < 300 ? 'met' : 'NOT met'} on this run. ${others()}`,
);
await rm(dir, { recursive: true, force: true });
await server.stop();
