import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { newPgClient } from './pool';

/**
 * Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, without Prisma's schema engine.
 * Bookkeeping matches Prisma Migrate so `prisma migrate status/deploy` agree on a machine that has the engine:
 * same `_prisma_migrations` table, SHA-256 checksum of the file, `applied_steps_count = 1`, and the same
 * advisory lock key (72707369), so our runner, Prisma's and a second app instance never run at once.
 * Each migration runs in its own transaction together with its bookkeeping row: it is applied whole or not at all.
 */
export const PRISMA_ADVISORY_LOCK_KEY = 72707369;
export const DEFAULT_MIGRATIONS_DIR = path.join(process.cwd(), 'prisma', 'migrations');

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationFile = { name: string; sql: string; checksum: string };

export function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const bytes = fs.readFileSync(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    });
}

type AppliedRow = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

async function appliedRows(client: pg.ClientBase): Promise<AppliedRow[]> {
  const exists = await client.query(`SELECT to_regclass('"_prisma_migrations"') AS t`);
  if (!exists.rows[0].t) return [];
  const { rows } = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
  );
  return rows;
}

export type MigrationStatus = { applied: string[]; pending: string[]; modified: string[]; failed: string[] };

/** What is applied, pending, modified since applied (checksum differs) or failed, like `prisma migrate status`. */
export async function migrationStatus(client: pg.ClientBase, dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationStatus> {
  const files = readMigrations(dir);
  const rows = (await appliedRows(client)).filter((r) => !r.rolled_back_at);
  const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]));
  return {
    applied: files.filter((f) => done.has(f.name)).map((f) => f.name),
    pending: files.filter((f) => !done.has(f.name)).map((f) => f.name),
    modified: files.filter((f) => done.has(f.name) && done.get(f.name) !== f.checksum).map((f) => f.name),
    failed: rows.filter((r) => !r.finished_at).map((r) => r.migration_name),
  };
}

/** Applies pending migrations; returns the names applied now. Safe to call from several processes at once. */
export async function migrate(databaseUrl: string, dir = DEFAULT_MIGRATIONS_DIR): Promise<string[]> {
  const client = newPgClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(CREATE_TABLE);
    const status = await migrationStatus(client, dir);
    if (status.failed.length > 0) {
      throw new Error(
        `Migration(s) left failed by another tool: ${status.failed.join(', ')}. Resolve with \`prisma migrate resolve\` first.`,
      );
    }
    const applied: string[] = [];
    for (const file of readMigrations(dir).filter((f) => status.pending.includes(f.name))) {
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
          [randomUUID(), file.checksum, file.name],
        );
        await client.query('COMMIT');
        applied.push(file.name);
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${file.name} failed and was rolled back: ${(error as Error).message}`);
      }
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
