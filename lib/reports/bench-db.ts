import pg from 'pg';
import { withDatabase } from '../db/connection-info';
import { migrate } from '../db/migrate';
import { testServer } from '../db/test-database';

/**
 * A benchmark database of its own (kept between runs, so the volume is inserted once): BENCH_DATABASE on
 * DATABASE_URL's server, or on an embedded server. Migrated on every run (a no-op when up to date).
 */
export async function benchDatabase(
  defaultName: string,
): Promise<{ url: string; pool: pg.Pool; stop: () => Promise<void> }> {
  const server = await testServer();
  const name = process.env.BENCH_DATABASE ?? defaultName;
  const admin = new pg.Client({ connectionString: withDatabase(server.serverUrl, 'postgres') });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = withDatabase(server.serverUrl, name);
  await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    url,
    pool,
    stop: async () => {
      await pool.end();
      await server.stop();
    },
  };
}

export function percentiles(samples: number[]): { p50: number; p95: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), n: s.length };
}

export async function timeEach<T>(items: T[], run: (item: T) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) {
    const start = performance.now();
    await run(item);
    out.push(performance.now() - start);
  }
  return out;
}

export function printRow(label: string, ms: number[]) {
  const p = percentiles(ms);
  console.log(
    `${label.padEnd(48)} p50 ${p.p50.toFixed(2).padStart(8)} ms   p95 ${p.p95.toFixed(2).padStart(8)} ms   (n=${p.n})`,
  );
}
