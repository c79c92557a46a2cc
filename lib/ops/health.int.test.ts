import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPgPool, getPgPool } from '../db/pg';
import { testDb, testFacility } from '../db/test-helpers';
import { testEncounter, testPatient, testRoom } from '../handoff/test-fixtures';
import { freePort } from '../db/scratch-cluster';
import { cachedHealth, checkHealth } from './health';

const db = testDb();
const pool = createPgPool(inject('databaseUrl'), 2);
const applied = async () => ({ pending: 0, failed: 0 });

beforeAll(() => {
  process.env.DATABASE_URL = inject('databaseUrl'); // the app's pool (getPgPool) for the route
});

afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe('/api/health', () => {
  it('a flood of 400 concurrent requests all answer 200 on one pooled connection (no connection per request)', async () => {
    const { GET } = await import('../../app/api/health/route');
    const before = await db.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`;
    const responses = await Promise.all(Array.from({ length: 400 }, () => GET()));
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(getPgPool().totalCount).toBeLessThanOrEqual(1);
    const after = await db.$queryRaw<
      { n: number }[]
    >`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`;
    expect(after[0]!.n - before[0]!.n).toBeLessThanOrEqual(1);
    const body = await responses[0]!.json();
    expect(body.status === 'ok' || body.status === 'degraded').toBe(true);
  });

  it('a database that does not answer: 503 with Retry-After, within the time-out', async () => {
    const dead = createPgPool(`postgresql://postgres@127.0.0.1:${await freePort()}/none`, 1);
    const started = Date.now();
    const health = await cachedHealth(dead, { timeoutMs: 2_000 })();
    expect(health.status).toBe('database-unavailable');
    expect(Date.now() - started).toBeLessThan(3_000);
    await dead.end();
  });

  it('reports pending migrations', async () => {
    const health = await checkHealth(pool, {}, async () => ({ pending: 2, failed: 0 }));
    expect(health).toMatchObject({ status: 'migrations-pending', problems: ['migrations-pending'] });
  });
});

describe('worker heartbeat and hand-off backlog', () => {
  it('no fresh worker heartbeat → worker-down; a fresh one → alive', async () => {
    await db.$executeRaw`DELETE FROM "ProcessHeartbeat" WHERE "kind" = 'WORKER'`;
    const down = await checkHealth(pool, { HANDOFF_BACKLOG_WARN_SECONDS: '1000000000' }, applied);
    expect(down.problems).toContain('worker-down');
    expect(down.status).toBe('degraded');
    await db.$executeRaw`INSERT INTO "ProcessHeartbeat" ("id", "kind", "host", "pid", "lastSeenAt") VALUES ('w-old', 'WORKER', 'h', 1, now() - interval '1 minute')`;
    const stale = await checkHealth(
      pool,
      { HEARTBEAT_MS: '5000', HANDOFF_BACKLOG_WARN_SECONDS: '1000000000' },
      applied,
    );
    expect(stale.problems).toContain('worker-down');
    expect(stale.worker).toEqual({ alive: 0, lastSeenSecondsAgo: 60 });
    await db.$executeRaw`INSERT INTO "ProcessHeartbeat" ("id", "kind", "host", "pid") VALUES ('w-new', 'WORKER', 'h', 2)`;
    const up = await checkHealth(pool, { HEARTBEAT_MS: '5000', HANDOFF_BACKLOG_WARN_SECONDS: '1000000000' }, applied);
    expect(up).toMatchObject({ status: 'ok', problems: [], worker: { alive: 1, lastSeenSecondsAgo: 0 } });
    await db.$executeRaw`DELETE FROM "ProcessHeartbeat" WHERE "id" IN ('w-old', 'w-new')`;
  });

  it('an undelivered hand-off older than the threshold is a problem; its age is reported', async () => {
    const facility = await testFacility(db);
    const room = await testRoom(db, facility.id);
    const { patient } = await testPatient(db);
    const encounter = await testEncounter(db, facility.id, room.id, patient);
    await db.handoffMessage.updateMany({
      where: { encounterId: encounter.id },
      data: { createdAt: new Date(Date.now() - 365 * 86400_000) },
    });
    await db.$executeRaw`INSERT INTO "ProcessHeartbeat" ("id", "kind", "host", "pid") VALUES ('w-live', 'WORKER', 'h', 3)`;
    const health = await checkHealth(pool, { HANDOFF_BACKLOG_WARN_SECONDS: String(364 * 86400) }, applied);
    expect(health.problems).toEqual(['handoff-backlog']);
    expect(health.handoff!.oldestUndeliveredSeconds).toBeGreaterThanOrEqual(365 * 86400 - 60);
    expect(health.handoff!.undelivered).toBeGreaterThanOrEqual(1);
    await db.handoffMessage.updateMany({ where: { encounterId: encounter.id }, data: { status: 'DELIVERED' } });
    await db.$executeRaw`DELETE FROM "ProcessHeartbeat" WHERE "id" = 'w-live'`;
  });
});
