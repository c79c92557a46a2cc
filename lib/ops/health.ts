import type pg from 'pg';
import { getPgPool } from '../db/pg';
import { migrationStatus } from '../db/migrate';
import { staleAfterMs } from './heartbeat';

/**
 * What `/api/health` and `/api/health/ready` say. Unauthenticated, so counts and ages only.
 *  - database: answers (on the app's own pool: a flood of health checks must not open connections);
 *  - migrations: all applied (checked once; an app instance does not see its migration files change);
 *  - worker: a hand-off worker's heartbeat is fresh (`lib/ops/heartbeat.ts`);
 *  - handoff: messages not yet accepted by the HIS, and the age of the oldest.
 * `problems` lists what is wrong; `/api/health` fails only for the first two (the web server cannot serve),
 * `/api/health/ready` for any.
 */
export type HealthProblem = 'database-unavailable' | 'migrations-pending' | 'worker-down' | 'handoff-backlog';

export type Health = {
  status: 'ok' | 'degraded' | 'database-unavailable' | 'migrations-pending';
  problems: HealthProblem[];
  worker?: { alive: number; lastSeenSecondsAgo: number | null };
  /** `held`: waiting for a target that is down; `waitingConfig`: for a target with no address yet. */
  handoff?: { undelivered: number; held: number; waitingConfig: number; oldestUndeliveredSeconds: number | null };
  migrations?: { pending: number; failed: number };
};

type Env = Record<string, string | undefined>;

/** A hand-off older than this is a problem (`HANDOFF_BACKLOG_WARN_SECONDS`, default 10 minutes). */
export function backlogWarnSeconds(env: Env = process.env): number {
  const n = Number(env.HANDOFF_BACKLOG_WARN_SECONDS);
  return Number.isFinite(n) && n > 0 ? n : 600;
}

/** Hand-off statuses that still have to reach the HIS (PARKED waits for staff, not for the system). */
export const UNDELIVERED_SQL = `'PENDING', 'SENDING', 'FAILED', 'WAITING_CONNECTION', 'WAITING_CONFIG'`;

export async function checkHealth(
  pool: pg.Pool,
  env: Env = process.env,
  migrationsOk: () => Promise<{ pending: number; failed: number }>,
): Promise<Health> {
  let migrations: { pending: number; failed: number };
  try {
    migrations = await migrationsOk();
  } catch {
    return { status: 'database-unavailable', problems: ['database-unavailable'] };
  }
  if (migrations.pending > 0 || migrations.failed > 0)
    return { status: 'migrations-pending', problems: ['migrations-pending'], migrations };
  let row: {
    alive: number;
    lastSeen: number | null;
    undelivered: number;
    held: number;
    waitingConfig: number;
    oldest: number | null;
  };
  try {
    const { rows } = await pool.query({
      text: `SELECT
        (SELECT count(*)::int FROM "ProcessHeartbeat" WHERE "kind" = 'WORKER' AND "lastSeenAt" > now() - make_interval(secs => $1::float8)) AS "alive",
        (SELECT extract(epoch FROM now() - max("lastSeenAt"))::float8 FROM "ProcessHeartbeat" WHERE "kind" = 'WORKER') AS "lastSeen",
        (SELECT count(*)::int FROM "HandoffMessage" WHERE "status" IN (${UNDELIVERED_SQL})) AS "undelivered",
        (SELECT count(*)::int FROM "HandoffMessage" WHERE "status" = 'WAITING_CONNECTION') AS "held",
        (SELECT count(*)::int FROM "HandoffMessage" WHERE "status" = 'WAITING_CONFIG') AS "waitingConfig",
        (SELECT extract(epoch FROM now() - min("createdAt"))::float8 FROM "HandoffMessage" WHERE "status" IN (${UNDELIVERED_SQL})) AS "oldest"`,
      values: [staleAfterMs(env) / 1000],
    });
    row = rows[0];
  } catch {
    return { status: 'database-unavailable', problems: ['database-unavailable'] };
  }
  const problems: HealthProblem[] = [];
  if (row.alive === 0) problems.push('worker-down');
  if (row.oldest !== null && row.oldest > backlogWarnSeconds(env)) problems.push('handoff-backlog');
  return {
    status: problems.length ? 'degraded' : 'ok',
    problems,
    worker: { alive: row.alive, lastSeenSecondsAgo: row.lastSeen === null ? null : Math.round(row.lastSeen) },
    handoff: {
      undelivered: row.undelivered,
      held: row.held,
      waitingConfig: row.waitingConfig,
      oldestUndeliveredSeconds: row.oldest === null ? null : Math.round(row.oldest),
    },
  };
}

/**
 * Health as the routes serve it: at most one check in flight per process, its answer reused for `ttlMs`, so a
 * flood of requests (monitoring gone wild, a reload storm) costs one query a second. The migration check runs
 * until it first passes, then never again in this process.
 */
export function cachedHealth(
  pool: pg.Pool,
  options: { ttlMs?: number; timeoutMs?: number; env?: Env; migrationsDir?: string } = {},
): () => Promise<Health> {
  const ttlMs = options.ttlMs ?? 1_000;
  let migrationsApplied = false;
  const migrationsOk = async () => {
    if (migrationsApplied) return { pending: 0, failed: 0 };
    const client = await pool.connect();
    try {
      const status = await migrationStatus(client, options.migrationsDir);
      migrationsApplied = status.pending.length === 0 && status.failed.length === 0;
      return { pending: status.pending.length, failed: status.failed.length };
    } finally {
      client.release();
    }
  };
  let last: { at: number; value: Health } | null = null;
  let inFlight: Promise<Health> | null = null;
  return () => {
    if (last && Date.now() - last.at < ttlMs) return Promise.resolve(last.value);
    inFlight ??= withTimeout(checkHealth(pool, options.env, migrationsOk), options.timeoutMs ?? 3_000)
      .then((value) => {
        last = { at: Date.now(), value };
        return value;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}

/** A database that does not answer in time (pool full, host unreachable) counts as unavailable. */
function withTimeout(check: Promise<Health>, ms: number): Promise<Health> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Health>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'database-unavailable', problems: ['database-unavailable'] }), ms);
  });
  return Promise.race([check, late]).finally(() => clearTimeout(timer));
}

const holder = globalThis as unknown as { tiepDonHealth?: () => Promise<Health> };

/** The web server's health check, on the app's pool (`getPgPool()`). */
export function appHealth(): Promise<Health> {
  holder.tiepDonHealth ??= cachedHealth(getPgPool());
  return holder.tiepDonHealth();
}
