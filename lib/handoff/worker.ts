import type { Env } from './config';
import { randomUUID } from 'node:crypto';
import { Logger, run, runMigrations, type Runner, type Task } from 'graphile-worker';
import { createDb, type Db } from '../db/client';
import { pgPoolOf } from '../db/pg';
import { log } from '../log';
import { ackTimeoutMs, leaseMs, mllpUrl, parseMllpUrl, retryPolicy } from './config';
import { deliverPatient, sweepHandoffs, type DeliverDeps } from './deliver';
import { DELIVER_TASK } from './jobs';
import { mllpTransport } from './mllp-transport';
import { fhirTransport } from './fhir-transport';
import { xml0Transport } from './xml0-transport';
import type { HandoffTargetName } from './outbox';
import type { Transport } from './transport';

export type HandoffWorkerOptions = {
  connectionString: string;
  concurrency?: number;
  /** Override transports (tests); default: MLLP (+ FHIR / BHXH when configured). */
  transports?: Partial<Record<HandoffTargetName, Transport>>;
  sweepIntervalMs?: number;
  env?: Env;
};

export type HandoffWorker = { workerId: string; stop: () => Promise<void>; db: Db };

/** Caches the MLLP target for a few seconds: an admin change applies without a restart. */
function cachedMllpTarget(db: Db, env: Env) {
  let cached: { at: number; value: ReturnType<typeof parseMllpUrl> } | null = null;
  return async () => {
    if (cached && Date.now() - cached.at < 5_000) return cached.value;
    const url = await mllpUrl(db, env);
    cached = { at: Date.now(), value: url ? parseMllpUrl(url) : null };
    return cached.value;
  };
}

export function defaultTransports(db: Db, env: Env = process.env): Partial<Record<HandoffTargetName, Transport>> {
  const timeout = ackTimeoutMs(env);
  const transports: Partial<Record<HandoffTargetName, Transport>> = { HL7V2: mllpTransport(cachedMllpTarget(db, env), timeout) };
  if (env.HIS_FHIR_URL) transports.FHIR = fhirTransport(env.HIS_FHIR_URL, timeout);
  const xml0 = xml0Transport(env, timeout);
  if (xml0) transports.BHXH_XML0 = xml0;
  return transports;
}

/** Installs graphile-worker's schema (idempotent; safe when several workers start at once). */
export async function installJobQueue(connectionString: string): Promise<void> {
  await runMigrations({ connectionString, logger: quietLogger() });
}

export async function startHandoffWorker(options: HandoffWorkerOptions): Promise<HandoffWorker> {
  const env = options.env ?? process.env;
  const concurrency = options.concurrency ?? Number(env.HANDOFF_CONCURRENCY ?? 10);
  const db = createDb(options.connectionString, concurrency + 2);
  const workerId = `handoff-${randomUUID().slice(0, 8)}`;
  const pool = pgPoolOf(db);
  const deps: DeliverDeps = {
    db,
    pool,
    transports: options.transports ?? defaultTransports(db, env),
    policy: retryPolicy(env),
    leaseMs: leaseMs(env),
    workerId,
  };
  const deliver: Task = async (payload) => {
    const { target, patientId } = payload as { target: HandoffTargetName; patientId: string };
    await deliverPatient(deps, target, patientId);
  };
  await installJobQueue(options.connectionString);
  const runner: Runner = await run({
    connectionString: options.connectionString,
    concurrency,
    noHandleSignals: true,
    pollInterval: 2_000,
    logger: quietLogger(),
    taskList: { [DELIVER_TASK]: deliver },
  });
  const sweep = async () => {
    try {
      const n = await sweepHandoffs(db);
      if (n > 0) log.info({ rescheduled: n }, 'handoff sweep rescheduled stalled messages');
    } catch (error) {
      log.error({ err: (error as Error).message }, 'handoff sweep failed');
    }
  };
  await sweep();
  const timer = setInterval(sweep, options.sweepIntervalMs ?? Number(env.HANDOFF_SWEEP_MS ?? 30_000));
  log.info({ workerId, concurrency }, 'handoff worker started');
  return {
    workerId,
    db,
    stop: async () => {
      clearInterval(timer);
      await runner.stop();
      await db.$disconnect();
      await pool.end();
    },
  };
}

function quietLogger() {
  // graphile-worker's own logs through pino; info/debug dropped.
  return new Logger(() => (level: string, message: string) => {
    if (level === 'error') log.error({ component: 'graphile-worker' }, message);
    else if (level === 'warning') log.warn({ component: 'graphile-worker' }, message);
  });
}
