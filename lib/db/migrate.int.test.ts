import { describe, expect, inject, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freshDatabase } from './test-database';
import { migrate, migrationStatus, readMigrations } from './migrate';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migration runner', () => {
  it('applies every migration once and records it the way Prisma Migrate does', async () => {
    const url = await freshDatabase(inject('serverUrl'), 'tiepdon_migrate_a');
    const files = readMigrations();
    expect(await migrate(url)).toEqual(files.map((f) => f.name));
    expect(await migrate(url)).toEqual([]); // idempotent

    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date;
      applied_steps_count: number;
      id: string;
    }>(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(files[i]!.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('is safe when several instances start at once', async () => {
    const url = await freshDatabase(inject('serverUrl'), 'tiepdon_migrate_b');
    const results = await Promise.all([migrate(url), migrate(url), migrate(url), migrate(url)]);
    const total = results.flat();
    expect(total).toEqual(readMigrations().map((f) => f.name)); // each applied exactly once, by one of them
    const rows = await query<{ n: string }>(url, 'SELECT count(*) AS n FROM "_prisma_migrations"');
    expect(Number(rows[0]!.n)).toBe(readMigrations().length);
  });

  it('rolls a failing migration back whole and reports it', async () => {
    const url = await freshDatabase(inject('serverUrl'), 'tiepdon_migrate_c');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migr-'));
    fs.mkdirSync(path.join(dir, '20260101000000_ok'));
    fs.writeFileSync(path.join(dir, '20260101000000_ok', 'migration.sql'), 'CREATE TABLE "A" (id int);');
    fs.mkdirSync(path.join(dir, '20260102000000_bad'));
    fs.writeFileSync(
      path.join(dir, '20260102000000_bad', 'migration.sql'),
      'CREATE TABLE "B" (id int);\nSELECT no_such_function();',
    );
    await expect(migrate(url, dir)).rejects.toThrow(/20260102000000_bad failed and was rolled back/);
    const tables = await query<{ t: string | null }>(url, `SELECT to_regclass('"B"')::text AS t`);
    expect(tables[0]!.t).toBeNull(); // nothing half-applied
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const status = await migrationStatus(client, dir);
    await client.end();
    expect(status).toEqual({
      applied: ['20260101000000_ok'],
      pending: ['20260102000000_bad'],
      modified: [],
      failed: [],
    });
  });
});
