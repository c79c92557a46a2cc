import { afterAll, expect, inject, it } from 'vitest';
import pg from 'pg';
import { freshDatabase } from '../db/test-database';
import { seedSyntheticPatients } from './synthetic';

/**
 * "Which records are merged into this one?" — asked by PostgreSQL itself before deleting a patient (the
 * mergedIntoId foreign key) and by merge look-ups — is an index look-up, not a scan of every patient
 * (migration 20261201300000: a partial index on the merged records only).
 */
let pool: pg.Pool | null = null;
afterAll(async () => {
  await pool?.end();
});

it('finds the records merged into a patient through the partial index', async () => {
  pool = new pg.Pool({
    connectionString: await freshDatabase(inject('serverUrl'), 'tiepdon_test_merged_into', { migrated: true }),
    max: 2,
  });
  await seedSyntheticPatients(pool, 2_000);
  const [survivor, ...merged] = (
    await pool.query<{ id: string }>('SELECT id FROM "Patient" ORDER BY id LIMIT 4')
  ).rows.map((r) => r.id);
  await pool.query('UPDATE "Patient" SET "mergedIntoId" = $1::uuid WHERE id = ANY($2::uuid[])', [survivor, merged]);
  await pool.query('ANALYZE "Patient"');

  const plan = async (query: string) =>
    (await pool!.query(`EXPLAIN ${query}`, [survivor])).rows.map((r) => r['QUERY PLAN']).join('\n');
  // The foreign key's check, as PostgreSQL's referential-integrity trigger words it, and a merge look-up.
  for (const query of [
    'SELECT 1 FROM ONLY "public"."Patient" x WHERE $1::uuid OPERATOR(pg_catalog.=) "mergedIntoId" FOR KEY SHARE OF x',
    'SELECT id FROM "Patient" WHERE "mergedIntoId" = $1::uuid',
  ]) {
    const text = await plan(query);
    expect(text).toContain('Patient_mergedIntoId_idx');
    expect(text).not.toContain('Seq Scan');
  }
  expect(
    (await pool.query('SELECT count(*)::int AS n FROM "Patient" WHERE "mergedIntoId" = $1::uuid', [survivor])).rows[0]
      .n,
  ).toBe(3);

  // Only merged records are in it: the live ones cost no index entry.
  const [{ partial }] = (
    await pool.query(
      `SELECT x.indpred IS NOT NULL AS partial FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE i.relname = 'Patient_mergedIntoId_idx'`,
    )
  ).rows;
  expect(partial).toBe(true);
});
