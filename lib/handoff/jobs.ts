import { sql, type Tx } from '../db/pg';
import type { HandoffTargetName } from './outbox';

/**
 * Delivery is scheduled on graphile-worker (PostgreSQL job queue, LISTEN/NOTIFY for instant pick-up, safe with
 * many workers on many machines). One job per (target, patient): the job delivers that patient's messages
 * oldest first, which is what keeps the order per patient. The job key makes repeated scheduling collapse
 * into one pending job; `preserve_run_at` keeps a back-off delay that is already set.
 */
export const DELIVER_TASK = 'handoff_deliver';

export function jobKey(target: HandoffTargetName, patientId: string): string {
  return `handoff:${target}:${patientId}`;
}

/** The same `add_job` as `scheduleDelivery`, as an SQL expression over a target and a patient id (for statements that write outbox rows). */
export function addJobSql(target: string, patientId: string): string {
  return `graphile_worker.add_job('${DELIVER_TASK}', json_build_object('target', ${target}, 'patientId', ${patientId}),
     job_key => 'handoff:' || ${target} || ':' || ${patientId}, max_attempts => 5, job_key_mode => 'preserve_run_at')`;
}

let workerSchemaSeen = false;

/** True once graphile-worker's schema exists (the worker installs it at start). Cached once seen. */
export async function workerInstalled(tx: Tx): Promise<boolean> {
  if (workerSchemaSeen) return true;
  const rows = await sql(tx)<{ ok: boolean }>(`SELECT to_regproc('graphile_worker.add_job') IS NOT NULL AS ok`);
  workerSchemaSeen = rows[0]?.ok === true;
  return workerSchemaSeen;
}

/**
 * Adds (or keeps) the delivery job in the caller's transaction: it becomes visible, and wakes a worker, only
 * when the transaction commits. Before any worker has ever started there is no queue yet: the message row is
 * still written, and the worker's start-up sweep schedules it.
 */
export async function scheduleDelivery(tx: Tx, target: HandoffTargetName, patientId: string, runAt?: Date): Promise<void> {
  if (!(await workerInstalled(tx))) return;
  const key = jobKey(target, patientId);
  const payload = JSON.stringify({ target, patientId });
  await sql(tx)(`SELECT NULL AS x FROM graphile_worker.add_job($1::text, $2::json, job_key => $3::text, run_at => $4::timestamptz, max_attempts => 5, job_key_mode => 'preserve_run_at')`,
    DELIVER_TASK, payload, key, runAt ?? null);
}

/** Same, but replacing the run time (used by the worker itself after a back-off, and by staff retries). */
export async function rescheduleDelivery(tx: Tx, target: HandoffTargetName, patientId: string, runAt: Date): Promise<void> {
  if (!(await workerInstalled(tx))) return;
  const key = jobKey(target, patientId);
  const payload = JSON.stringify({ target, patientId });
  await sql(tx)(`SELECT NULL AS x FROM graphile_worker.add_job($1::text, $2::json, job_key => $3::text, run_at => $4::timestamptz, max_attempts => 5, job_key_mode => 'replace')`,
    DELIVER_TASK, payload, key, runAt);
}

/** For tests: forget the cached "schema installed" answer. */
export function resetWorkerSchemaCache(): void {
  workerSchemaSeen = false;
}
