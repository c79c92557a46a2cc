import type pg from 'pg';
import { prepared, sql } from '../db/pg';
import { log } from '../log';
import type { HandoffTarget } from '../codes';

/**
 * How a new message reaches the worker: the worker looks for it, every few milliseconds while there is work and at
 * most every `idleMs` when there is none. The check-in adds no job: a job per check-in (graphile-worker's `add_job`
 * and its NOTIFY, which takes a lock every committing check-in queues on) was measured as the largest cost that
 * delivery put on the desk's statement. Only the head of each patient's queue is taken (later messages go after it,
 * in the same `deliverPatient` call); a head another worker is sending is SENDING, so it is not taken again until
 * its lease has run out (a worker killed mid-send), and if two workers do race for one, the head's row lock and
 * lease decide (deliver.ts). Retries at a later time still go through graphile-worker jobs.
 */
const IS_HEAD = `NOT EXISTS (SELECT 1 FROM "HandoffMessage" p
    WHERE p."patientId" = m."patientId" AND p."target" = m."target" AND p."status" <> 'DELIVERED' AND p."id" < m."id")`;
/**
 * A look reads at most `$2` due PENDING messages, oldest first, and takes up to `$1` heads among them (twice as
 * many read as taken: the patients being sent have later messages there too). A message behind a head that waits
 * for long — parked for staff, a retry after its back-off, held for the target — is not a head and will not be one
 * until that head moves; left due, every look would read it again (measured: 5,000 such messages made each look
 * cost 32 ms of PostgreSQL, 10–100 looks a second). The feeder sets its `nextAttemptAt` later instead (half its age,
 * 5 s to 10 min), so it is read again rarely. Nothing waits on that time: the `deliverPatient` call that moves the
 * head goes on down the patient's queue, and a PENDING message is claimed whatever its `nextAttemptAt`
 * (deliver.ts); the time only keeps the feeder from reading it.
 */
const DUE = prepared(
  'handoff-due',
  `
  (SELECT m."id"::text AS "id", m."target"::text AS "target", m."patientId"::text AS "patientId",
     (SELECT p."status"::text FROM "HandoffMessage" p
       WHERE p."patientId" = m."patientId" AND p."target" = m."target" AND p."status" <> 'DELIVERED' AND p."id" < m."id"
       ORDER BY p."id" LIMIT 1) AS "headStatus"
   FROM "HandoffMessage" m
   WHERE m."status" = 'PENDING' AND m."nextAttemptAt" <= now()
   ORDER BY m."nextAttemptAt" LIMIT $2)
  UNION ALL
  -- A send whose worker died or lost the database mid-send: due again once its lease has run out.
  (SELECT m."id"::text, m."target"::text, m."patientId"::text, NULL FROM "HandoffMessage" m
   WHERE m."status" = 'SENDING' AND m."leaseUntil" <= now() AND ${IS_HEAD}
   LIMIT $1)`,
);
const SET_ASIDE = prepared(
  'handoff-set-aside',
  `UPDATE "HandoffMessage"
   SET "nextAttemptAt" = now() + LEAST(interval '10 minutes', GREATEST(interval '5 seconds', (now() - "createdAt") / 2))
   WHERE "id" = ANY($1::bigint[]) AND "status" = 'PENDING'`,
);
/** Heads that wait for long: what is behind them is set aside (see above). */
const LONG_WAITS = new Set(['PARKED', 'FAILED', 'WAITING_CONNECTION', 'WAITING_CONFIG']);

export type Feeder = { stop: () => Promise<void> };

export type FeederOptions = {
  /** at most this many patients' deliveries at once */
  slots: number;
  /** the longest wait between looks when there is nothing to send */
  idleMs?: number;
  /** the wait between looks while there is work */
  busyMs?: number;
};

export function startFeeder(
  pool: pg.Pool,
  deliver: (target: HandoffTarget, patientId: string) => Promise<unknown>,
  { slots, idleMs = 100, busyMs = 10 }: FeederOptions,
): Feeder {
  type Head = { target: HandoffTarget; patientId: string };
  const keyOf = (h: Head) => `${h.target}:${h.patientId}`;
  // Heads found and not yet started (a look fetches more than the free slots: a slot that frees starts the next
  // at once instead of waiting for the next look), and the patients being sent now.
  const queue: Head[] = [];
  const queued = new Set<string>();
  const inFlight = new Map<string, Promise<void>>();
  // Patients whose delivery ended while a look was under way: that look may have read their head before it was
  // sent, so its answer for them is stale (the next look reads them afresh).
  const endedDuringLook = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let waitMs = busyMs;
  let failing = false;

  const pump = () => {
    while (!stopped && inFlight.size < slots && queue.length > 0) {
      const head = queue.shift()!;
      const key = keyOf(head);
      queued.delete(key);
      if (inFlight.has(key)) continue;
      const sending = deliver(head.target, head.patientId)
        .then(
          () => {},
          // The message stays PENDING (or SENDING until its lease ends): a later look, or the sweep, takes it again.
          (error) => log.error({ err: error, target: head.target }, 'hand-off delivery failed; it will be tried again'),
        )
        .finally(() => {
          inFlight.delete(key);
          endedDuringLook.add(key);
          pump();
        });
      inFlight.set(key, sending);
    }
  };

  const look = async () => {
    timer = null;
    if (stopped) return;
    let found = 0;
    try {
      if (queue.length < slots) {
        endedDuringLook.clear();
        const rows = await sql(pool)<Head & { id: string; headStatus: string | null }>(DUE, slots * 4, slots * 8);
        const setAside = rows.filter((r) => r.headStatus !== null && LONG_WAITS.has(r.headStatus)).map((r) => r.id);
        if (setAside.length > 0) await sql(pool)(SET_ASIDE, setAside);
        for (const row of rows) {
          if (row.headStatus !== null) continue; // not the head of its patient's queue
          if (found >= slots * 4) break;
          const head: Head = { target: row.target, patientId: row.patientId };
          const key = keyOf(head);
          if (inFlight.has(key) || queued.has(key) || endedDuringLook.has(key)) continue;
          queue.push(head);
          queued.add(key);
          found++;
        }
      }
      pump();
      if (failing) log.info('hand-off feeder: database answering again');
      failing = false;
      waitMs = found > 0 || queue.length > 0 ? busyMs : Math.min(idleMs, waitMs * 2);
    } catch (error) {
      if (!failing) log.warn({ err: error }, 'hand-off feeder: cannot read new messages; trying again');
      failing = true;
      waitMs = Math.min(1_000, Math.max(idleMs, waitMs * 2));
    }
    if (!stopped) timer = setTimeout(look, waitMs);
  };
  timer = setTimeout(look, 0);

  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all(inFlight.values());
    },
  };
}
