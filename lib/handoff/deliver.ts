import type pg from 'pg';
import type { Db } from '../db/client';
import { sql } from '../db/pg';
import { log } from '../log';
import { backoffDelayMs, type RetryPolicy } from './config';
import { rescheduleDelivery } from './jobs';
import { buildPayload, type HandoffEvent, type HandoffTargetName } from './outbox';
import { toSnapshot, type SnapshotJson } from './snapshot';
import { errorText, type HandoffMessageToSend, type SendOutcome, type Transport } from './transport';

/**
 * Delivers one patient's messages for one target, oldest first (per-patient order). The head message is
 * claimed with a row lock and a lease, so two workers never send the same message at the same time; the
 * send happens outside any transaction; the result is written only if the lease is still ours (fencing on
 * the attempt number).
 *
 * Ordering rule: a PARKED message holds the later messages of the same patient and target until staff
 * retry it — sending an A08 or A11 for a visit the HIS never accepted would be refused anyway.
 */
/** `pool` (plain pg, same database as `db`) carries the per-message hot path; `db` (Prisma) the rare ones. */
export type DeliverDeps = { db: Db; pool: pg.Pool; transports: Partial<Record<HandoffTargetName, Transport>>; policy: RetryPolicy; leaseMs: number; workerId: string };

type Head = {
  id: bigint;
  encounterId: string;
  status: 'PENDING' | 'SENDING' | 'FAILED' | 'PARKED';
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  event: string;
  messageControlId: string;
  payload: string | null;
  snapshot: SnapshotJson | null;
  createdAt: Date;
};

type Claim =
  | { kind: 'idle' }
  | { kind: 'held' }
  | { kind: 'later'; until: Date }
  /** `rendered`: the payload was rendered from the snapshot for this attempt (stored with its outcome). */
  | { kind: 'send'; message: HandoffMessageToSend; attempt: number; attemptLogId: bigint; rendered: boolean; renderError?: string };

/**
 * One statement (one round trip): lock the head row, claim it if due (or if its lease ran out: a dead
 * worker's send, logged as INTERRUPTED), and open its attempt-log row. The hot path must stay cheap at
 * 100 check-ins per second.
 */
async function claimHead(deps: DeliverDeps, target: HandoffTargetName, patientId: string): Promise<Claim> {
  const rows = await sql(deps.pool)<Head & { claimedAttempt: number | null; logId: bigint | null }>(`
    WITH head AS (
      SELECT "id", "encounterId", "status", "attempts", "nextAttemptAt", "leaseUntil", "event", "messageControlId", "payload", "snapshot", "createdAt"
      FROM "HandoffMessage"
      WHERE "patientId" = $1::uuid AND "target" = $2::"HandoffTarget" AND "status" <> 'DELIVERED'
      ORDER BY "id" LIMIT 1 FOR UPDATE
    ), claimed AS (
      UPDATE "HandoffMessage" m SET "status" = 'SENDING', "attempts" = m."attempts" + 1,
        "leaseUntil" = now() + make_interval(secs => $3::float8)
      FROM head
      WHERE m."id" = head."id"
        AND ((head."status" IN ('PENDING', 'FAILED') AND head."nextAttemptAt" <= now())
          OR (head."status" = 'SENDING' AND head."leaseUntil" <= now()))
      RETURNING m."id", m."attempts"
    ), interrupted AS (
      UPDATE "HandoffAttempt" a SET "outcome" = 'INTERRUPTED', "finishedAt" = now(),
        "detail" = 'Tiến trình gửi bị dừng giữa chừng; gửi lại với cùng MSH-10'
      FROM head, claimed
      WHERE head."status" = 'SENDING' AND a."messageId" = head."id" AND a."attempt" = head."attempts" AND a."finishedAt" IS NULL
    ), logged AS (
      INSERT INTO "HandoffAttempt" ("messageId", "encounterId", "attempt", "outcome", "actor")
      SELECT claimed."id", head."encounterId", claimed."attempts", 'SENDING', $4 FROM claimed, head
      RETURNING "id"
    )
    SELECT head."id", head."encounterId"::text AS "encounterId", head."status"::text AS "status", head."attempts", head."nextAttemptAt",
           head."leaseUntil", head."event", head."messageControlId", head."payload", head."snapshot", head."createdAt",
           claimed."attempts" AS "claimedAttempt", (SELECT "id" FROM logged) AS "logId"
    FROM head LEFT JOIN claimed ON true`, patientId, target, deps.leaseMs / 1000, deps.workerId);
  const head = rows[0];
  if (!head) return { kind: 'idle' };
  if (head.status === 'PARKED') return { kind: 'held' };
  if (head.claimedAttempt === null || head.logId === null) {
    return { kind: 'later', until: head.status === 'SENDING' && head.leaseUntil ? head.leaseUntil : head.nextAttemptAt };
  }
  // First attempt: render the bytes from the snapshot the check-in froze (deterministic, see outbox.ts).
  const rendered = head.payload === null;
  let payload = head.payload ?? '';
  let renderError: string | undefined;
  try {
    if (rendered) payload = renderPayload(target, head);
  } catch (error) {
    renderError = errorText(error); // a bug, not a network problem: parked for staff, never retried blindly
  }
  return {
    kind: 'send',
    attempt: head.claimedAttempt,
    attemptLogId: head.logId,
    rendered: rendered && !renderError,
    renderError,
    message: { id: head.id, encounterId: head.encounterId, target, event: head.event, messageControlId: head.messageControlId, payload },
  };
}

/** The bytes of a message from the snapshot its row keeps; the HL7 message time is the row's creation time. */
function renderPayload(target: HandoffTargetName, head: Head): string {
  if (!head.snapshot) throw new Error(`handoff message ${head.id} has neither payload nor snapshot`);
  const event = (head.event === 'XML0' ? 'A04' : head.event) as HandoffEvent;
  return buildPayload(target, toSnapshot(head.snapshot), event, head.messageControlId, head.createdAt);
}

const OUTCOME_LOG: Record<SendOutcome['kind'], string> = { accepted: 'ACCEPTED', refused: 'REFUSED', timeout: 'TIMEOUT', unreachable: 'UNREACHABLE' };

/** Writes the result of an attempt; returns what the loop should do next. */
async function recordOutcome(
  deps: DeliverDeps,
  target: HandoffTargetName,
  patientId: string,
  claim: Extract<Claim, { kind: 'send' }>,
  outcome: SendOutcome,
): Promise<'next' | 'stop'> {
  if (outcome.kind === 'accepted') {
    // Hot path, one round trip: the message and its log row, fenced on our claim.
    const detail = outcome.externalRef ? `Mã tham chiếu HIS: ${outcome.externalRef}` : null;
    const done = await sql(deps.pool)<{ id: bigint; more: boolean }>(`
      WITH upd AS (
        UPDATE "HandoffMessage" SET "status" = 'DELIVERED', "deliveredAt" = now(), "externalRef" = $1, "payload" = COALESCE("payload", $9),
          "lastAckCode" = $2, "lastError" = NULL, "leaseUntil" = NULL
        WHERE "id" = $3 AND "attempts" = $4 AND "status" = 'SENDING'
        RETURNING "id"
      ), logged AS (
        UPDATE "HandoffAttempt" SET "outcome" = 'ACCEPTED', "ackCode" = $2, "detail" = $5, "finishedAt" = now()
        WHERE "id" = $6 AND EXISTS (SELECT 1 FROM upd)
      )
      SELECT "id", EXISTS (SELECT 1 FROM "HandoffMessage" n WHERE n."patientId" = $7::uuid AND n."target" = $8::"HandoffTarget"
        AND n."status" <> 'DELIVERED' AND n."id" <> $3) AS "more" FROM upd`,
      outcome.externalRef ?? null, outcome.ackCode, claim.message.id, claim.attempt, detail, claim.attemptLogId, patientId, target,
      claim.rendered ? claim.message.payload : null);
    if (done.length === 0) log.warn({ messageId: String(claim.message.id) }, 'handoff result dropped: lease lost');
    // Nothing else queued for this patient: no need to look again (a message enqueued from now on adds its own
    // job — graphile-worker makes a new one when the keyed job is running).
    return done[0]?.more === false ? 'stop' : 'next';
  }
  // Failure paths (rare): a transaction, because a retry also reschedules the job.
  return deps.db.$transaction(async (tx) => {
    const now = new Date();
    const ackCode = outcome.kind === 'refused' ? outcome.ackCode : null;
    const retryable = outcome.kind !== 'refused' || outcome.retry;
    const park = !retryable || claim.attempt >= deps.policy.maxAttempts;
    const nextAttemptAt = new Date(now.getTime() + backoffDelayMs(claim.attempt, deps.policy));
    const payload = claim.rendered ? { payload: claim.message.payload } : {};
    const { count } = await tx.handoffMessage.updateMany({
      where: { id: claim.message.id, attempts: claim.attempt, status: 'SENDING' },
      data: park
        ? { status: 'PARKED', lastError: outcome.text, lastAckCode: ackCode, leaseUntil: null, ...payload }
        : { status: 'FAILED', lastError: outcome.text, lastAckCode: ackCode, leaseUntil: null, nextAttemptAt, ...payload },
    });
    if (count === 0) {
      // Our lease ran out and another worker took the message over: its result counts, not ours.
      log.warn({ messageId: String(claim.message.id) }, 'handoff result dropped: lease lost');
      return 'next' as const;
    }
    if (!park) await rescheduleDelivery(tx, target, patientId, nextAttemptAt);
    const logOutcome = park ? `${OUTCOME_LOG[outcome.kind]}_PARKED`.slice(0, 20) : OUTCOME_LOG[outcome.kind];
    await tx.handoffAttempt.update({ where: { id: claim.attemptLogId }, data: { outcome: logOutcome, ackCode, detail: outcome.text, finishedAt: now } });
    return 'stop' as const;
  });
}

/** The graphile-worker task body. Returns how many messages were delivered (for logs and tests). */
export async function deliverPatient(deps: DeliverDeps, target: HandoffTargetName, patientId: string): Promise<number> {
  const transport = deps.transports[target];
  let delivered = 0;
  for (let i = 0; i < 100; i++) {
    const claim = await claimHead(deps, target, patientId);
    if (claim.kind === 'idle' || claim.kind === 'held') return delivered;
    if (claim.kind === 'later') {
      const until = claim.until;
      await rescheduleDelivery(deps.pool, target, patientId, until); // one statement: atomic on its own
      return delivered;
    }
    let outcome: SendOutcome;
    if (claim.renderError) {
      outcome = { kind: 'refused', ackCode: 'RENDER', text: `Không dựng được tin: ${claim.renderError}`, retry: false };
    } else if (!transport) {
      outcome = { kind: 'unreachable', text: `Chưa cấu hình đích ${target}` };
    } else {
      try {
        if (transport.prepare) {
          const prepared = await transport.prepare(claim.message);
          if (prepared !== null && prepared !== claim.message.payload) {
            // Keep the exact bytes that go out (signed XML must never be re-serialised).
            await deps.db.handoffMessage.update({ where: { id: claim.message.id }, data: { payload: prepared } });
            claim.message.payload = prepared;
            claim.rendered = false;
          }
        }
        outcome = await transport.send(claim.message);
      } catch (error) {
        outcome = { kind: 'unreachable', text: (error as Error).message.slice(0, 300) };
      }
    }
    const next = await recordOutcome(deps, target, patientId, claim, outcome);
    if (outcome.kind === 'accepted') delivered++;
    if (next === 'stop') return delivered;
  }
  // Bounded loop; anything left is picked up by a fresh job.
  await rescheduleDelivery(deps.pool, target, patientId, new Date());
  return delivered;
}

/**
 * Safety net, not the delivery path: re-schedules messages whose job is gone — a worker killed mid-send
 * (its graphile job stays locked for hours), or rows written before the job queue was installed.
 */
export async function sweepHandoffs(db: Db): Promise<number> {
  const stale = await db.$queryRaw<{ target: HandoffTargetName; patientId: string }[]>`
    SELECT DISTINCT m."target"::text AS "target", m."patientId"::text AS "patientId"
    FROM "HandoffMessage" m
    WHERE ((m."status" IN ('PENDING', 'FAILED') AND m."nextAttemptAt" < now() - interval '5 seconds')
        OR (m."status" = 'SENDING' AND m."leaseUntil" < now()))
      -- only the head of each patient's queue: later ones wait behind it (and behind a parked one)
      AND NOT EXISTS (SELECT 1 FROM "HandoffMessage" p WHERE p."patientId" = m."patientId" AND p."target" = m."target" AND p."status" <> 'DELIVERED' AND p."id" < m."id")
    LIMIT 1000`;
  for (const row of stale) {
    await db.$transaction((tx) => rescheduleDelivery(tx, row.target, row.patientId, new Date()));
  }
  return stale.length;
}
