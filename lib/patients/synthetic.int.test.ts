import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { freshDatabase } from '../db/test-database';
import { seedSyntheticPatients } from './synthetic';

/** A bulk load leaves the planner's statistics up to date (this PostgreSQL may run without autovacuum). */
let pool: pg.Pool | null = null;
afterAll(async () => {
  await pool?.end();
});

it('seeding patients ANALYZEs the tables it filled', async () => {
  pool = new pg.Pool({
    connectionString: await freshDatabase(inject('serverUrl'), 'tiepdon_test_seed', { migrated: true }),
    max: 2,
  });
  const made = await seedSyntheticPatients(pool, 500);
  expect(made).toBeGreaterThan(490);
  const stats =
    await pool.query(`SELECT c.relname, c.reltuples, s.last_analyze IS NOT NULL OR s.last_autoanalyze IS NOT NULL AS analyzed
    FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname IN ('Patient', 'PatientIdentifier', 'PatientNameWord') ORDER BY c.relname`);
  expect(stats.rows.map((r) => [r.relname, r.analyzed])).toEqual([
    ['Patient', true],
    ['PatientIdentifier', true],
    ['PatientNameWord', true],
  ]);
  expect(Number(stats.rows[0].reltuples)).toBe(made); // the planner knows how many patients there are
});
