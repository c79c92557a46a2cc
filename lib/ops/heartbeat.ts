import os from 'node:os';
import type pg from 'pg';
import { log } from '../log';

/**
 * Every running hand-off worker and web server writes a `ProcessHeartbeat` row every few seconds. It is how the
 * rest of the system knows a process is alive: health (`/api/health`), the `tiepdon_worker_up` metric, the
 * admin page, and the release of job locks a killed worker left behind (lib/handoff/worker.ts). A process that
 * stops cleanly deletes its row; a killed one leaves it to go stale.
 */
export type ProcessKind = 'WORKER' | 'WEB';

type Env = Record<string, string | undefined>;

/** How often a process beats (`HEARTBEAT_MS`, default 5 s). */
export function heartbeatMs(env: Env = process.env): number {
  const n = Number(env.HEARTBEAT_MS);
  return Number.isFinite(n) && n > 0 ? n : 5_000;
}

/** A heartbeat older than four beats means the process is gone (or cut off from the database). */
export function staleAfterMs(env: Env = process.env): number {
  return 4 * heartbeatMs(env);
}

export type Heartbeat = { id: string; stop: () => Promise<void> };

/**
 * Starts writing this process's heartbeat. `details()` is stored with each beat (e.g. the hand-off targets'
 * connection state); `onBeat` runs after each successful beat (housekeeping that must not outpace it).
 * The launcher tells a restarted child how many restarts came before it and how the last one ended
 * (`TIEPDON_RESTARTS`, `TIEPDON_LAST_EXIT`), so the admin page can show it.
 */
export function startHeartbeat(
  pool: pg.Pool,
  options: {
    id: string;
    kind: ProcessKind;
    everyMs?: number;
    jobPoolId?: () => string | null;
    details?: () => unknown;
    onBeat?: () => Promise<void>;
    onFailure?: () => void;
  },
): Heartbeat {
  const everyMs = options.everyMs ?? heartbeatMs();
  const restarts = Number(process.env.TIEPDON_RESTARTS ?? 0) || 0;
  const lastExit = process.env.TIEPDON_LAST_EXIT || null;
  let failing = false;
  let running: Promise<void> | null = null;
  const beat = async () => {
    try {
      await pool.query(
        `INSERT INTO "ProcessHeartbeat" ("id", "kind", "host", "pid", "jobPoolId", "restarts", "lastExit", "details", "lastSeenAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
         ON CONFLICT ("id") DO UPDATE SET "jobPoolId" = EXCLUDED."jobPoolId", "details" = EXCLUDED."details", "lastSeenAt" = now()`,
        [
          options.id,
          options.kind,
          os.hostname(),
          process.pid,
          options.jobPoolId?.() ?? null,
          restarts,
          lastExit,
          options.details ? JSON.stringify(options.details()) : null,
        ],
      );
      if (failing) log.info({ process: options.id }, 'database reachable again: heartbeat resumed');
      failing = false;
    } catch (error) {
      if (!failing)
        log.warn(
          { process: options.id, err: (error as Error).message },
          'heartbeat failed (database unreachable?); retrying',
        );
      failing = true;
      options.onFailure?.();
      return;
    }
    try {
      await options.onBeat?.();
    } catch (error) {
      log.warn({ process: options.id, err: (error as Error).message }, 'heartbeat housekeeping failed');
    }
  };
  const tick = () => {
    if (!running)
      running = beat().finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    id: options.id,
    stop: async () => {
      clearInterval(timer);
      await running;
      await pool.query(`DELETE FROM "ProcessHeartbeat" WHERE "id" = $1`, [options.id]).catch(() => {});
    },
  };
}

export type ProcessView = {
  id: string;
  kind: ProcessKind;
  host: string;
  pid: number;
  restarts: number;
  lastExit: string | null;
  details: unknown;
  startedAt: Date;
  lastSeenAt: Date;
  ageSeconds: number;
  alive: boolean;
};

/** Processes seen in the last day, newest first, with whether each is alive now (by the database's clock). */
export async function listProcesses(pool: pg.Pool | pg.PoolClient, staleMs = staleAfterMs()): Promise<ProcessView[]> {
  const { rows } = await pool.query<Omit<ProcessView, 'ageSeconds' | 'alive'> & { ageSeconds: number }>(
    `SELECT "id", "kind", "host", "pid", "restarts", "lastExit", "details", "startedAt", "lastSeenAt",
            extract(epoch FROM now() - "lastSeenAt")::float8 AS "ageSeconds"
     FROM "ProcessHeartbeat" WHERE "lastSeenAt" > now() - interval '1 day' ORDER BY "kind", "startedAt" DESC`,
  );
  return rows.map((r) => ({ ...r, alive: r.ageSeconds * 1000 < staleMs }));
}

/** Forget processes not seen for a day (kept that long so the admin page can say a worker died). */
export async function pruneHeartbeats(pool: pg.Pool): Promise<void> {
  await pool.query(`DELETE FROM "ProcessHeartbeat" WHERE "lastSeenAt" < now() - interval '1 day'`);
}
