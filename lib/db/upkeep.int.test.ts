import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { freshDatabase } from './test-database';
import { upkeepTables } from './upkeep';

/**
 * Issue 14: with autovacuum off (this machine, some servers), nothing else analyzes a table that started empty,
 * and plans made for an empty table stay cached (the hand-off claim scanned the whole attempt log per message).
 */
let pool: pg.Pool;
const stats = async () =>
  (
    await pool.query<{ reltuples: number; n_dead_tup: string; n_mod_since_analyze: string }>(
      `SELECT c.reltuples, s.n_dead_tup, s.n_mod_since_analyze FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
       WHERE c.relname = 'upkeep_probe'`,
    )
  ).rows[0]!;
/** This session's table statistics, as the server's other sessions see them (PostgreSQL 15 flushes them lazily). */
const flush = async (client: pg.PoolClient) => {
  await client.query('SELECT pg_stat_force_next_flush()');
  await client.query('SELECT 1');
};

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: await freshDatabase(inject('serverUrl'), 'tiepdon_upkeep'), max: 2 });
  await pool.query('CREATE TABLE upkeep_probe (id int PRIMARY KEY, note text)');
  await pool.query('ANALYZE upkeep_probe'); // analyzed while empty, as a new installation's tables are
});
afterAll(async () => {
  await pool.end();
});

it('analyzes a table that grew past 50 rows + 10 % since its last ANALYZE, and only then', async () => {
  const client = await pool.connect();
  try {
    await client.query(`INSERT INTO upkeep_probe SELECT g, 'x' FROM generate_series(1, 40) g`);
    await flush(client);
    expect((await upkeepTables(pool)).analyzed).not.toContain('public.upkeep_probe'); // 40 rows: not yet
    await client.query(`INSERT INTO upkeep_probe SELECT g, 'x' FROM generate_series(41, 2000) g`);
    await flush(client);
  } finally {
    client.release();
  }
  expect((await stats()).reltuples).toBeLessThanOrEqual(0);
  expect((await upkeepTables(pool)).analyzed).toContain('public.upkeep_probe');
  expect((await stats()).reltuples).toBe(2000);
  expect((await upkeepTables(pool)).analyzed).not.toContain('public.upkeep_probe'); // nothing changed since
});

it('with autovacuum off, vacuums a table whose dead rows passed 50 + 20 %', async () => {
  // Off for this table whatever the server's setting (this machine's is off; a default server's is on).
  await pool.query('ALTER TABLE upkeep_probe SET (autovacuum_enabled = false)');
  const client = await pool.connect();
  try {
    await client.query('DELETE FROM upkeep_probe WHERE id > 1000');
    await flush(client);
  } finally {
    client.release();
  }
  expect(Number((await stats()).n_dead_tup)).toBe(1000);
  const done = await upkeepTables(pool);
  expect(done.vacuumed).toEqual(['public.upkeep_probe']);
  expect(done.analyzed).toContain('public.upkeep_probe'); // 1000 changes on 2000 rows: past the threshold too
  expect(Number((await stats()).n_dead_tup)).toBe(0);
  expect((await stats()).reltuples).toBe(1000);
});
