import { sql, type Queryable } from '../db/pg';
import type { HandoffTarget } from '../codes';

/**
 * A message due now is found by the worker itself (feeder.ts). A delivery due *later* — a retry after a back-off, a
 * head whose lease another worker holds, what the sweep finds stranded — is a graphile-worker job (PostgreSQL job
 * queue, safe with many workers on many machines) run at that time. One job per (target, patient): it delivers that
 * patient's messages oldest first, which is what keeps the order per patient; the job key collapses repeated
 * scheduling into one job.
 */
export const DELIVER_TASK = 'handoff_deliver';

export function jobKey(target: HandoffTarget, patientId: string): string {
  return `handoff:${target}:${patientId}`;
}

let workerSchemaSeen = false;

/** True once graphile-worker's schema exists (the worker installs it at start). Cached once seen. */
export async function workerInstalled(tx: Queryable): Promise<boolean> {
  if (workerSchemaSeen) return true;
  const rows = await sql(tx)<{ ok: boolean }>(`SELECT to_regproc('graphile_worker.add_job') IS NOT NULL AS ok`);
  workerSchemaSeen = rows[0]?.ok === true;
  return workerSchemaSeen;
}

/**
 * Adds the patient's delivery job for `runAt`, or moves the one already there to it, in the caller's transaction
 * (visible only when it commits). Before any worker has ever started there is no queue yet: the message row is
 * still there, and the worker's sweep schedules it.
 */
export async function rescheduleDelivery(
  tx: Queryable,
  target: HandoffTarget,
  patientId: string,
  runAt: Date,
): Promise<void> {
  if (!(await workerInstalled(tx))) return;
  const key = jobKey(target, patientId);
  const payload = JSON.stringify({ target, patientId });
  await sql(tx)(
    `SELECT NULL AS x FROM graphile_worker.add_job($1::text, $2::json, job_key => $3::text, run_at => $4::timestamptz, max_attempts => 5, job_key_mode => 'replace')`,
    DELIVER_TASK,
    payload,
    key,
    runAt,
  );
}

/** For tests: forget the cached "schema installed" answer. */
export function resetWorkerSchemaCache(): void {
  workerSchemaSeen = false;
}
