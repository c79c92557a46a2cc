import type { Env } from './config';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { Logger, run, runMigrations, type Runner, type Task, type WorkerEvents } from 'graphile-worker';
import { createDb, type Db } from '../db/client';
import { pgPoolOf } from '../db/pg';
import { withSessionSetting } from '../db/connection-info';
import { upkeepTables } from '../db/upkeep';
import { log } from '../log';
import { heartbeatMs, staleAfterMs, startHeartbeat } from '../ops/heartbeat';
import { ackTimeoutMs, leaseMs, mllpUrl, parseMllpUrl, retryPolicy } from './config';
import { deliverPatient, sweepHandoffs, type DeliverDeps } from './deliver';
import { DELIVER_TASK } from './jobs';
import { startFeeder } from './feeder';
import { breakerPolicy, releaseHeld, TargetBreakers } from './breaker';
import { backlogWarnSeconds } from '../ops/health';
import { flushSharedCounters } from '../ops/shared-counters';
import { mllpTransport } from './mllp-transport';
import { fhirTransport } from './fhir-transport';
import { xml0Transport } from './xml0-transport';
import type { HandoffTarget } from '../codes';
import type { Transport } from './transport';

export type HandoffWorkerOptions = {
  connectionString: string;
  concurrency?: number;
  /** Override transports (tests); default: MLLP (+ FHIR / BHXH when configured). */
  transports?: Partial<Record<HandoffTarget, Transport>>;
  sweepIntervalMs?: number;
  env?: Env;
};

export type HandoffWorker = { workerId: string; stop: () => Promise<void>; db: Db };

/** Caches each facility's MLLP target for a few seconds: an admin change applies without a restart. */
function cachedMllpTarget(db: Db, env: Env) {
  const cached = new Map<string | null, { at: number; value: ReturnType<typeof parseMllpUrl> }>();
  return async (facilityId: string | null) => {
    const hit = cached.get(facilityId);
    if (hit && Date.now() - hit.at < 5_000) return hit.value;
    const url = await mllpUrl(db, facilityId, env);
    const value = url ? parseMllpUrl(url) : null;
    cached.set(facilityId, { at: Date.now(), value });
    return value;
  };
}

export function defaultTransports(db: Db, env: Env = process.env): Partial<Record<HandoffTarget, Transport>> {
  const timeout = ackTimeoutMs(env);
  const transports: Partial<Record<HandoffTarget, Transport>> = {
    HL7V2: mllpTransport(cachedMllpTarget(db, env), timeout),
  };
  if (env.HIS_FHIR_URL) transports.FHIR = fhirTransport(env.HIS_FHIR_URL, timeout);
  const xml0 = xml0Transport(env, timeout);
  if (xml0) transports.BHXH_XML0 = xml0;
  return transports;
}

/** Installs graphile-worker's schema (idempotent; safe when several workers start at once). */
export async function installJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: quietLogger() });
}

/**
 * (Jobs are what is due later — retries after a back-off; new messages come through the feeder, feeder.ts.)
 * graphile-worker's job-completion and job-failure writes run after the task, and 0.17 does not await them when
 * they are not batched: when PostgreSQL restarts (57P01) or refuses connections at that moment, the rejection is
 * unhandled and Node exits. Batched, they are retried with back-off for about five minutes, then the pool shuts
 * down, which `startHandoffWorker` notices and answers with a fresh runner. Batching (completions within 5 ms go
 * in one statement) and a local queue (the pool locks and fetches up to `concurrency + 1` due jobs in one query
 * and hands them to its workers) cut the job queue's round trips per delivered message from two to well under
 * one under load; a job that was done but not yet marked done when the worker died runs again and finds
 * nothing to send (the message's lease and attempt number decide, not the job).
 */
function jobQueuePreset(concurrency: number) {
  // After a fetch that did not fill the local queue, the next waits about 20 ms (or until as many new jobs are
  // announced) instead of following every job's NOTIFY: under load a fetch takes several jobs. Measured on the
  // check-in benchmark: the worker's CPU per delivered message 0.54 → 0.46 ms, commit → ACK p95 25 ms. Kept at
  // `concurrency + 1` (16 saved no more): releasing a runner, graphile-worker 0.17 can fail to return its cached
  // jobs ("Cannot background something when the queue is already released"); they stay locked until
  // releaseDeadWorkerLocks, so the fewer cached, the fewer patients wait.
  const size = concurrency + 1;
  const refetchDelay = { durationMs: 20, threshold: size - 1, maxAbortThreshold: size };
  return { worker: { completeJobBatchDelay: 5, failJobBatchDelay: 0, localQueue: { size, refetchDelay } } };
}

/**
 * graphile-worker 0.17 can reject outside any promise we hold while a runner whose database went away is being
 * released: returning its local queue's jobs to the database fails ("Error occurred whilst returning jobs from
 * local queue to database queue: terminating connection…"; seen in about 1 of 8 PostgreSQL restarts). That runner
 * is being replaced already, and the jobs it held are unlocked by the heartbeat (`releaseDeadWorkerLocks`): such
 * an error is no reason to stop the process. Anything else is.
 */
export function isReleasedRunnerError(reason: unknown): boolean {
  if (reason instanceof AggregateError) return reason.errors.length > 0 && reason.errors.every(isReleasedRunnerError);
  return (
    reason instanceof Error &&
    reason.message.startsWith('Error occurred whilst returning jobs from local queue to database queue') &&
    (reason.stack ?? '').includes('graphile-worker')
  );
}

/**
 * The worker's sessions commit without waiting for the WAL flush (`synchronous_commit=off`): a claim, an ACK
 * recorded, a job fetched or completed. Measured on the check-in benchmark, these flushes (two to four per
 * delivered message, against the check-in's one) were what the desk's commits queued behind. What a crash of
 * PostgreSQL can lose is the last fraction of a second of such commits, which the design already survives: the
 * message goes again with the same MSH-10 (as after a worker killed between send and record), and a job runs
 * again and finds nothing to send. Check-ins, merges and every other write keep synchronous commits.
 * HANDOFF_SYNCHRONOUS_COMMIT=on turns this off.
 */
export function workerConnectionString(connectionString: string, env: Env): string {
  return env.HANDOFF_SYNCHRONOUS_COMMIT === 'on'
    ? connectionString
    : withSessionSetting(connectionString, 'synchronous_commit', 'off');
}

export async function startHandoffWorker(options: HandoffWorkerOptions): Promise<HandoffWorker> {
  const env = options.env ?? process.env;
  const connectionString = workerConnectionString(options.connectionString, env);
  // Bounded: each slot is a connection to the HIS and to PostgreSQL. With kept connections one slot delivers
  // hundreds of messages a second to a HIS that answers at once; more slots only take the desk's CPU.
  const concurrency = options.concurrency ?? Number(env.HANDOFF_CONCURRENCY ?? 4);
  const db = createDb(connectionString, concurrency + 2);
  const workerId = `handoff-${randomUUID().slice(0, 8)}`;
  const pool = pgPoolOf(db);
  const deps: DeliverDeps = {
    db,
    pool,
    transports: options.transports ?? defaultTransports(db, env),
    policy: retryPolicy(env),
    leaseMs: leaseMs(env),
    workerId,
    breakers: new TargetBreakers(pool, breakerPolicy(env), 1_000, env),
  };
  const deliver: Task = async (payload) => {
    const { target, patientId } = payload as { target: HandoffTarget; patientId: string };
    await deliverPatient(deps, target, patientId);
  };
  await installJobQueue(options.connectionString);

  // The job runner. graphile-worker does not recover by itself from every loss of the database: its pool may
  // stop (then we start a new one, with back-off) or stay wedged after failed bookkeeping writes. So after any
  // loss of the database (its LISTEN connection failed, or our heartbeat did) the runner is replaced once the
  // database answers again; jobs the old pool still had locked are released by `releaseDeadWorkerLocks`.
  let stopping = false;
  let runner: Runner | null = null;
  let generation = 0;
  let jobPoolId: string | null = null;
  let disrupted = false;
  let restartTimer: NodeJS.Timeout | null = null;
  const startRunner = async (): Promise<Runner> => {
    const events = new EventEmitter() as WorkerEvents;
    events.on('pool:create', ({ workerPool }) => {
      jobPoolId = workerPool.id;
    });
    events.on('pool:listen:error', () => {
      disrupted = true;
    });
    const r = await run({
      connectionString,
      concurrency,
      noHandleSignals: true,
      pollInterval: 2_000,
      logger: quietLogger(),
      events,
      preset: jobQueuePreset(concurrency),
      taskList: { [DELIVER_TASK]: deliver },
    });
    const mine = ++generation;
    runner = r;
    r.promise
      .then(
        () => 'stopped',
        (error: Error) => error?.message ?? String(error),
      )
      .then((why) => {
        if (!stopping && generation === mine) scheduleRunner(`job runner stopped by itself (${why})`, 0);
      });
    return r;
  };
  const scheduleRunner = (why: string, failures: number) => {
    const delay = Math.min(30_000, 1_000 * 2 ** failures);
    log.error({ workerId, why, retryInMs: delay }, 'starting a new job runner');
    runner = null;
    restartTimer = setTimeout(() => {
      startRunner().then(
        () => log.info({ workerId }, 'job runner running again'),
        (error) => {
          if (!stopping) scheduleRunner(`could not start: ${(error as Error).message}`, failures + 1);
        },
      );
    }, delay);
  };
  const replaceRunner = async () => {
    const old = runner;
    if (!old) return; // a new one is already on its way
    generation++; // the old runner's end is expected now
    runner = null;
    log.warn({ workerId }, 'database back after an interruption: replacing the job runner');
    const stopped = await Promise.race([
      old.stop().then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((r) => setTimeout(() => r(false), 5_000)),
    ]);
    if (!stopped) await old.kill().catch(() => {});
    if (!stopping)
      await startRunner().catch((error) => scheduleRunner(`could not start: ${(error as Error).message}`, 1));
  };
  await startRunner();

  const sweep = async () => {
    try {
      const n = await sweepHandoffs(db);
      if (n > 0) log.info({ rescheduled: n }, 'handoff sweep rescheduled stalled messages');
    } catch (error) {
      log.error({ err: (error as Error).message }, 'handoff sweep failed');
    }
  };
  await sweep();
  const warnings = new Map<string, number>();
  const timer = setInterval(sweep, options.sweepIntervalMs ?? Number(env.HANDOFF_SWEEP_MS ?? 30_000));
  // Statistics (and, with autovacuum off, vacuum) for the tables a check-in and a delivery write: lib/db/upkeep.ts.
  let upkeepRunning = false;
  const upkeep = setInterval(
    () => {
      if (upkeepRunning) return;
      upkeepRunning = true;
      upkeepTables(pool)
        .then(
          (done) => {
            if (done.vacuumed.length) log.info(done, 'tables vacuumed (autovacuum is off)');
          },
          (error) => log.warn({ err: (error as Error).message }, 'table upkeep failed'),
        )
        .finally(() => (upkeepRunning = false));
    },
    Number(env.UPKEEP_MS ?? 10_000),
  );
  const heartbeat = startHeartbeat(pool, {
    id: workerId,
    kind: 'WORKER',
    everyMs: heartbeatMs(env),
    jobPoolId: () => jobPoolId,
    onFailure: () => {
      disrupted = true;
    },
    onBeat: async () => {
      if (disrupted && !stopping) {
        disrupted = false;
        await replaceRunner();
      }
      const released = await releaseDeadWorkerLocks(pool, staleAfterMs(env));
      if (released.length)
        log.warn({ workers: released }, 'released job locks of workers that stopped without finishing (killed?)');
      await watchHeld(deps, warnings, backlogWarnSeconds(env));
      await flushSharedCounters(pool); // deliveries and parked messages, for /api/metrics
    },
  });
  const feeder = startFeeder(pool, (target, patientId) => deliverPatient(deps, target, patientId), {
    slots: concurrency,
  });
  log.info({ workerId, concurrency }, 'handoff worker started');
  return {
    workerId,
    db,
    stop: async () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      generation++;
      clearInterval(timer);
      clearInterval(upkeep);
      await heartbeat.stop();
      await feeder.stop();
      await flushSharedCounters(pool).catch(() => {});
      await runner?.stop().catch(() => {});
      for (const transport of Object.values(deps.transports)) transport.close?.();
      await db.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Releases the graphile-worker job locks held by worker pools whose process is gone: no live heartbeat has
 * their pool id (a `kill -9`, a power cut). graphile-worker would wait 4 hours. Locks younger than
 * `staleMs` are left alone (a pool that just started may not have beaten yet). Returns the pool ids released.
 */
export async function releaseDeadWorkerLocks(pool: pg.Pool, staleMs: number): Promise<string[]> {
  const { rows } = await pool.query<{ ids: string[] | null }>(
    `
    WITH dead AS (
      SELECT DISTINCT j.locked_by FROM graphile_worker.jobs j
      WHERE j.locked_by IS NOT NULL AND j.locked_at < now() - make_interval(secs => $1::float8)
        AND NOT EXISTS (SELECT 1 FROM "ProcessHeartbeat" h
                        WHERE h."jobPoolId" = j.locked_by AND h."lastSeenAt" > now() - make_interval(secs => $1::float8))
    ), unlocked AS (
      SELECT graphile_worker.force_unlock_workers(ARRAY(SELECT locked_by FROM dead)) FROM (SELECT 1) x WHERE EXISTS (SELECT 1 FROM dead)
    )
    SELECT (SELECT array_agg(locked_by) FROM dead) AS ids, (SELECT count(*) FROM unlocked) AS n`,
    [staleMs / 1000],
  );
  return rows[0]?.ids ?? [];
}

const WARN_EVERY_MS = 5 * 60_000;

/**
 * Every heartbeat: probes and releases held messages (breaker.ts), releases WAITING_CONFIG messages once their
 * target has an address, and says in the log — every few minutes, not every beat — when messages are held for
 * want of an address, or when the oldest undelivered message is older than the backlog threshold.
 */
async function watchHeld(deps: DeliverDeps, warned: Map<string, number>, backlogSeconds: number): Promise<void> {
  const warn = (key: string, fields: object, message: string) => {
    if (Date.now() - (warned.get(key) ?? 0) < WARN_EVERY_MS) return;
    warned.set(key, Date.now());
    log.warn(fields, message);
  };
  const { rows } = await deps.pool.query<{
    target: HandoffTarget;
    held: number;
    waitingConfig: number;
    undelivered: number;
    oldest: number | null;
  }>(`
    SELECT "target"::text AS "target",
           count(*) FILTER (WHERE "status" = 'WAITING_CONNECTION')::int AS "held",
           count(*) FILTER (WHERE "status" = 'WAITING_CONFIG')::int AS "waitingConfig",
           count(*)::int AS "undelivered",
           extract(epoch FROM now() - min("createdAt"))::float8 AS "oldest"
    FROM "HandoffMessage" WHERE "status" IN ('PENDING', 'SENDING', 'FAILED', 'WAITING_CONNECTION', 'WAITING_CONFIG')
    GROUP BY "target"`);
  for (const target of new Set([...Object.keys(deps.transports), ...rows.map((r) => r.target)]) as Set<HandoffTarget>) {
    await deps.breakers.tick(target);
  }
  for (const row of rows) {
    if (row.waitingConfig > 0) {
      // Per facility: saving one facility's address releases that facility's messages only.
      const { rows: facilities } = await deps.pool.query<{ facilityId: string | null }>(
        `
        SELECT DISTINCT COALESCE(e."facilityId", m."facilityId")::text AS "facilityId"
        FROM "HandoffMessage" m LEFT JOIN "Encounter" e ON e."id" = m."encounterId"
        WHERE m."target" = $1::"HandoffTarget" AND m."status" = 'WAITING_CONFIG'`,
        [row.target],
      );
      const transport = deps.transports[row.target];
      const unconfigured: (string | null)[] = [];
      for (const { facilityId } of facilities) {
        if (transport && (await transport.configured?.(facilityId)) !== false) {
          const released = await releaseHeld(deps.pool, row.target, 'WAITING_CONFIG', undefined, facilityId);
          if (released)
            log.info({ target: row.target, facilityId, released }, 'HIS address configured: held messages released');
        } else {
          unconfigured.push(facilityId);
        }
      }
      if (unconfigured.length > 0) {
        warn(
          `config:${row.target}`,
          { target: row.target, held: row.waitingConfig, facilities: unconfigured },
          'no HIS address configured: check-ins are kept and their messages held until one is set (admin page /quan-tri of each facility, or HIS_MLLP_URL / HIS_FHIR_URL)',
        );
      }
    }
    if (row.oldest !== null && row.oldest > backlogSeconds) {
      warn(
        `backlog:${row.target}`,
        { target: row.target, undelivered: row.undelivered, oldestSeconds: Math.round(row.oldest) },
        'hand-off backlog: the oldest undelivered message is older than the threshold',
      );
    } else {
      warned.delete(`backlog:${row.target}`);
    }
  }
}

function quietLogger() {
  // graphile-worker's own logs through pino; info/debug dropped.
  return new Logger(() => (level: string, message: string) => {
    if (level === 'error') log.error({ component: 'graphile-worker' }, message);
    else if (level === 'warning') log.warn({ component: 'graphile-worker' }, message);
  });
}
