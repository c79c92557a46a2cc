import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { createPgPool, getPgPool } from '../db/pg';
import { DEFAULT_MIGRATIONS_DIR } from '../db/migrate';
import { cachedHealth } from './health';

/**
 * Issue 10: "/api/health reuses the app's pool and caches its migration check". Every statement a pool runs is
 * counted (each of its connections' `query` is wrapped when the pool opens it), so the test sees how many times the
 * migration table and the health query are read — by count, not by timing.
 */
type Counted = { pool: pg.Pool; statements: string[] };

function countStatements(pool: pg.Pool): Counted {
  const statements: string[] = [];
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      const q = args[0];
      statements.push(typeof q === 'string' ? q : ((q as { text?: string })?.text ?? ''));
      return query(...args);
    }) as typeof client.query;
  });
  return { pool, statements };
}

const migrationReads = (c: Counted) => c.statements.filter((s) => s.includes('_prisma_migrations')).length;
const healthReads = (c: Counted) => c.statements.filter((s) => s.includes('"ProcessHeartbeat"')).length;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiepdon-health-cache-'));
const pools: pg.Pool[] = [];
const counted = () => {
  const c = countStatements(createPgPool(inject('databaseUrl'), 2));
  pools.push(c.pool);
  return c;
};

beforeAll(() => {
  process.env.DATABASE_URL = inject('databaseUrl'); // the app's pool (getPgPool) for the route
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('cachedHealth', () => {
  it('reads the migration table once it has passed, however many checks follow (answer cache off)', async () => {
    const c = counted();
    const health = cachedHealth(c.pool, { ttlMs: 0 });
    expect((await health()).problems).not.toContain('migrations-pending');
    const first = migrationReads(c);
    expect(first).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect((await health()).status).not.toBe('migrations-pending');
    // Each call checked the database again (the answer is not what is cached here) ...
    expect(healthReads(c)).toBe(11);
    // ... but never the migrations again.
    expect(migrationReads(c)).toBe(first);
  });

  it('keeps checking while migrations are pending, and stops once they are applied', async () => {
    const dir = path.join(tmp, 'migrations');
    fs.cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const pending = path.join(dir, '29991231000000_not_yet_applied');
    fs.mkdirSync(pending);
    fs.writeFileSync(path.join(pending, 'migration.sql'), 'SELECT 1;\n');
    const c = counted();
    const health = cachedHealth(c.pool, { ttlMs: 0, migrationsDir: dir });
    expect(await health()).toMatchObject({ status: 'migrations-pending', migrations: { pending: 1, failed: 0 } });
    const once = migrationReads(c);
    expect(once).toBeGreaterThan(0);
    expect((await health()).status).toBe('migrations-pending');
    expect(migrationReads(c)).toBe(2 * once); // not cached while it fails

    fs.rmSync(pending, { recursive: true }); // "applied"
    expect((await health()).problems).not.toContain('migrations-pending');
    expect(migrationReads(c)).toBe(3 * once);
    for (let i = 0; i < 5; i++) await health();
    expect(migrationReads(c)).toBe(3 * once);
  });

  it('within the answer cache, a flood of calls is one check: one health query, one migration check', async () => {
    const c = counted();
    const health = cachedHealth(c.pool, { ttlMs: 60_000 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => health()));
    for (let i = 0; i < 50; i++) answers.push(await health());
    expect(new Set(answers).size).toBe(1); // the very same answer object
    expect(healthReads(c)).toBe(1);
    expect(migrationReads(c)).toBeGreaterThan(0);
    expect(migrationReads(c)).toBeLessThanOrEqual(2); // one check: whether the table exists, then its rows
  });
});

describe('GET /api/health', () => {
  it('on the app pool: the migration table is read by the first request only, later checks skip it', async () => {
    const c = countStatements(getPgPool()); // before the route's first statement: it opens the pool's connections
    const { GET } = await import('../../app/api/health/route');
    expect((await GET()).status).toBe(200);
    const first = migrationReads(c);
    expect(first).toBeGreaterThan(0);
    expect(healthReads(c)).toBe(1);
    // Past the answer cache (1 s) twice: the health query runs again each time, the migration check does not.
    for (let i = 0; i < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await GET()).status).toBe(200);
    }
    expect(healthReads(c)).toBe(3);
    expect(migrationReads(c)).toBe(first);
  });
});
