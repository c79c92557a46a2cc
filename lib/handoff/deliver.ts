import type pg from 'pg';
import type { Db } from '../db/client';
import { prepared, sql } from '../db/pg';
import { log } from '../log';
import { backoffDelayMs, type RetryPolicy } from './config';
import { rescheduleDelivery } from './jobs';
import { countShared } from '../ops/shared-counters';
import { buildMergePayload, buildPayload, type HandoffEvent } from './outbox';
import type { HandoffStatus, HandoffTarget, HeldStatus } from '../codes';
import { toSnapshot, type MergeSnapshot, type SnapshotJson } from './snapshot';
import { messageFacilitySql, type BreakerScope, type TargetBreakers } from './breaker';
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
export type DeliverDeps = {
  db: Db;
  pool: pg.Pool;
  transports: Partial<Record<HandoffTarget, Transport>>;
  policy: RetryPolicy;
  leaseMs: number;
  workerId: string;
  /** Per-destination circuit breakers (breaker.ts): "the HIS is down" holds messages instead of failing them. */
  breakers: TargetBreakers;
};

type Head = {
  id: bigint;
  /** null for an A40 (a merge is not a visit) */
  encounterId: string | null;
  /** whose HIS: the encounter's facility, or the A40's own */
  facilityId: string | null;
  status: Exclude<HandoffStatus, 'DELIVERED'>;
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
  /** The head waits (parked for staff, or `waiting` for its target): later messages wait behind it. */
  | { kind: 'held'; waiting?: HeldStatus }
  /** `leased`: another worker is sending the head now (its lease runs until `until`). */
  | { kind: 'later'; until: Date; leased: boolean }
  /** `rendered`: the payload was rendered from the snapshot for this attempt (stored with its outcome). */
  | {
      kind: 'send';
      message: HandoffMessageToSend;
      attempt: number;
      attemptLogId: bigint;
      rendered: boolean;
      renderError?: string;
    };

// Prepared (once per connection): planning these CTEs cost PostgreSQL more than running them, twice per message.
const CLAIM_HEAD = prepared(
  'handoff-claim-head',
  `
    WITH head AS (
      SELECT "id", "encounterId", "status", "attempts", "nextAttemptAt", "leaseUntil", "event", "messageControlId", "payload", "snapshot", "createdAt",
        COALESCE((SELECT e."facilityId" FROM "Encounter" e WHERE e."id" = "encounterId"), "facilityId") AS "facilityId"
      FROM "HandoffMessage"
      WHERE "patientId" = $1::uuid AND "target" = $2::"HandoffTarget" AND "status" <> 'DELIVERED'
      ORDER BY "id" LIMIT 1 FOR UPDATE
    ), claimed AS (
      UPDATE "HandoffMessage" m SET "status" = 'SENDING', "attempts" = m."attempts" + 1,
        "leaseUntil" = now() + make_interval(secs => $3::float8)
      FROM head
      WHERE m."id" = head."id"
        -- PENDING whatever its nextAttemptAt (the feeder moves that time for messages waiting behind a head: feeder.ts).
        AND (head."status" = 'PENDING' OR (head."status" = 'FAILED' AND head."nextAttemptAt" <= now())
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
    SELECT head."id", head."encounterId"::text AS "encounterId", head."facilityId"::text AS "facilityId", head."status"::text AS "status", head."attempts", head."nextAttemptAt",
           head."leaseUntil", head."event", head."messageControlId", head."payload", head."snapshot", head."createdAt",
           claimed."attempts" AS "claimedAttempt", (SELECT "id" FROM logged) AS "logId"
    FROM head LEFT JOIN claimed ON true`,
);

/**
 * One statement (one round trip): lock the head row, claim it if due (or if its lease ran out: a dead
 * worker's send, logged as INTERRUPTED), and open its attempt-log row. The hot path must stay cheap at
 * 100 check-ins per second.
 */
async function claimHead(deps: DeliverDeps, target: HandoffTarget, patientId: string): Promise<Claim> {
  const rows = await sql(deps.pool)<Head & { claimedAttempt: number | null; logId: bigint | null }>(
    CLAIM_HEAD,
    patientId,
    target,
    deps.leaseMs / 1000,
    deps.workerId,
  );
  const head = rows[0];
  if (!head) return { kind: 'idle' };
  // A parked head waits for staff; a held one (target down or not configured) for the target: later messages wait too.
  if (head.status === 'PARKED') return { kind: 'held' };
  if (head.status === 'WAITING_CONNECTION' || head.status === 'WAITING_CONFIG')
    return { kind: 'held', waiting: head.status };
  if (head.claimedAttempt === null || head.logId === null) {
    return {
      kind: 'later',
      leased: head.status === 'SENDING',
      until: head.status === 'SENDING' && head.leaseUntil ? head.leaseUntil : head.nextAttemptAt,
    };
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
    message: {
      id: head.id,
      encounterId: head.encounterId,
      facilityId: head.facilityId,
      target,
      event: head.event,
      messageControlId: head.messageControlId,
      payload,
    },
  };
}

/** The bytes of a message from the snapshot its row keeps; the HL7 message time is the row's creation time. */
function renderPayload(target: HandoffTarget, head: Head): string {
  if (!head.snapshot) throw new Error(`handoff message ${head.id} has neither payload nor snapshot`);
  if (head.event === 'A40')
    return buildMergePayload(target, head.snapshot as unknown as MergeSnapshot, head.messageControlId, head.createdAt);
  const event = (head.event === 'XML0' ? 'A04' : head.event) as HandoffEvent;
  return buildPayload(target, toSnapshot(head.snapshot), event, head.messageControlId, head.createdAt);
}

const OUTCOME_LOG: Record<SendOutcome['kind'], string> = {
  accepted: 'ACCEPTED',
  refused: 'REFUSED',
  timeout: 'TIMEOUT',
  unreachable: 'UNREACHABLE',
  unconfigured: 'NOT_CONFIGURED',
};

const RECORD_ACCEPTED = prepared(
  'handoff-record-accepted',
  `
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
);

/** Writes the result of an attempt; returns what the loop should do next. */
async function recordOutcome(
  deps: DeliverDeps,
  target: HandoffTarget,
  patientId: string,
  claim: Extract<Claim, { kind: 'send' }>,
  outcome: SendOutcome,
): Promise<'next' | 'stop'> {
  if (outcome.kind === 'accepted') {
    // Hot path, one round trip: the message and its log row, fenced on our claim.
    const detail = outcome.externalRef ? `Mã tham chiếu HIS: ${outcome.externalRef}` : null;
    const done = await sql(deps.pool)<{ id: bigint; more: boolean }>(
      RECORD_ACCEPTED,
      outcome.externalRef ?? null,
      outcome.ackCode,
      claim.message.id,
      claim.attempt,
      detail,
      claim.attemptLogId,
      patientId,
      target,
      claim.rendered ? claim.message.payload : null,
    );
    if (done.length === 0) log.warn({ messageId: String(claim.message.id) }, 'handoff result dropped: lease lost');
    else countShared('tiepdon_handoff_delivered_total', { target });
    // Nothing else queued for this patient: no need to look again (a message enqueued from now on is the head
    // of the patient's queue, which the feeder finds).
    return done[0]?.more === false ? 'stop' : 'next';
  }
  // The destination's circuit: connection failures count towards opening it; any answer from the HIS closes it.
  const connectionFailure = outcome.kind === 'unreachable' || outcome.kind === 'timeout';
  const scope = deps.breakers.scope(target, claim.message.facilityId);
  let targetDown = false;
  if (connectionFailure) targetDown = await deps.breakers.failure(scope, outcome.text);
  else if (outcome.kind === 'refused') await deps.breakers.success(scope);
  // Held, not failed: no address yet, or the target is down. Neither says anything about the message.
  const hold =
    outcome.kind === 'unconfigured' ? ('WAITING_CONFIG' as const) : targetDown ? ('WAITING_CONNECTION' as const) : null;
  // A refused connection or a missing address is not an attempt at this message (a silent HIS may be choking on it: that counts).
  const counted = outcome.kind !== 'unreachable' && outcome.kind !== 'unconfigured';
  const attempts = counted ? claim.attempt : claim.attempt - 1;
  // Failure paths (rare): a transaction, because a retry also reschedules the job.
  let parked = false;
  const next = await deps.db.$transaction(async (tx) => {
    const now = new Date();
    const ackCode = outcome.kind === 'refused' ? outcome.ackCode : null;
    const retryable = outcome.kind !== 'refused' || outcome.retry;
    const park = !hold && (!retryable || attempts >= deps.policy.maxAttempts);
    const nextAttemptAt = new Date(now.getTime() + backoffDelayMs(Math.max(1, attempts), deps.policy));
    const payload = claim.rendered ? { payload: claim.message.payload } : {};
    const status = hold ?? (park ? 'PARKED' : 'FAILED');
    const { count } = await tx.handoffMessage.updateMany({
      where: { id: claim.message.id, attempts: claim.attempt, status: 'SENDING' },
      data: {
        status,
        attempts,
        lastError: outcome.text,
        lastAckCode: ackCode,
        leaseUntil: null,
        ...(status === 'FAILED' ? { nextAttemptAt } : {}),
        ...payload,
      },
    });
    if (count === 0) {
      // Our lease ran out and another worker took the message over: its result counts, not ours.
      log.warn({ messageId: String(claim.message.id) }, 'handoff result dropped: lease lost');
      return 'next' as const;
    }
    if (status === 'FAILED') await rescheduleDelivery(tx, target, patientId, nextAttemptAt);
    if (hold) {
      // The patient's later messages wait with it (and say so on the desk); released together, in order.
      await tx.handoffMessage.updateMany({
        where: { patientId, target, status: { in: ['PENDING', 'FAILED'] } },
        data: { status: hold, leaseUntil: null },
      });
    }
    const logOutcome = park ? `${OUTCOME_LOG[outcome.kind]}_PARKED`.slice(0, 20) : OUTCOME_LOG[outcome.kind];
    await tx.handoffAttempt.update({
      where: { id: claim.attemptLogId },
      data: { outcome: logOutcome, ackCode, detail: outcome.text, finishedAt: now },
    });
    parked = status === 'PARKED';
    return 'stop' as const;
  });
  if (parked) countShared('tiepdon_handoff_parked_total', { target });
  return next;
}

/** A message queued behind a held one waits the same way (and is released with it). */
async function holdBehind(
  deps: DeliverDeps,
  target: HandoffTarget,
  patientId: string,
  status: HeldStatus,
): Promise<void> {
  await deps.pool.query(
    `UPDATE "HandoffMessage" SET "status" = $3::"HandoffStatus", "leaseUntil" = NULL
    WHERE "patientId" = $1::uuid AND "target" = $2::"HandoffTarget" AND "status" IN ('PENDING', 'FAILED')`,
    [patientId, target, status],
  );
}

/**
 * The head's destination is down (circuit open): this patient's due messages wait as WAITING_CONNECTION, with no
 * job; the breaker releases them when the destination answers again. Re-checked in the statement, so a circuit
 * that has just closed does not hold anything.
 */
async function holdForTarget(deps: DeliverDeps, scope: BreakerScope, patientId: string): Promise<void> {
  await deps.pool.query(
    `
    UPDATE "HandoffMessage" SET "status" = 'WAITING_CONNECTION', "leaseUntil" = NULL
    WHERE "patientId" = $1::uuid AND "target" = $2::"HandoffTarget" AND "status" IN ('PENDING', 'FAILED')
      AND EXISTS (SELECT 1 FROM "HandoffTargetState" s WHERE s."key" = $3 AND s."state" = 'OPEN')`,
    [patientId, scope.target, scope.key],
  );
}

/** Whose HIS the patient's next message goes to (undefined: nothing queued). Asked only while a circuit is open. */
async function headFacility(deps: DeliverDeps, target: HandoffTarget, patientId: string) {
  const { rows } = await deps.pool.query<{ facilityId: string | null }>(
    `SELECT ${messageFacilitySql('m')}::text AS "facilityId" FROM "HandoffMessage" m
     WHERE m."patientId" = $1::uuid AND m."target" = $2::"HandoffTarget" AND m."status" <> 'DELIVERED'
     ORDER BY m."id" LIMIT 1`,
    [patientId, target],
  );
  return rows[0] ? rows[0].facilityId : undefined;
}

/** What the feeder and the graphile-worker task run. Returns how many messages were delivered (for logs and tests). */
export async function deliverPatient(deps: DeliverDeps, target: HandoffTarget, patientId: string): Promise<number> {
  const transport = deps.transports[target];
  let delivered = 0;
  // Every destination of the target up (the usual case): nothing to ask. Otherwise the head's own destination
  // decides — another facility's HIS being down holds nothing here.
  if (await deps.breakers.anyOpen(target)) {
    const facilityId = await headFacility(deps, target, patientId);
    if (facilityId === undefined) return 0;
    const scope = deps.breakers.scope(target, facilityId);
    if ((await deps.breakers.gate(scope)) === 'hold') {
      await holdForTarget(deps, scope, patientId);
      return 0;
    }
  }
  for (let i = 0; i < 100; i++) {
    const claim = await claimHead(deps, target, patientId);
    if (claim.kind === 'held' && claim.waiting) await holdBehind(deps, target, patientId, claim.waiting);
    if (claim.kind === 'idle' || claim.kind === 'held') return delivered;
    if (claim.kind === 'later') {
      // Another worker is sending it (two feeders found the same head): that worker goes on with the patient's
      // queue, or if it dies, the feeder takes the head when the lease runs out. No job needed for that.
      if (!claim.leased) await rescheduleDelivery(deps.pool, target, patientId, claim.until); // atomic on its own
      return delivered;
    }
    let outcome: SendOutcome;
    if (claim.renderError) {
      outcome = { kind: 'refused', ackCode: 'RENDER', text: `Không dựng được tin: ${claim.renderError}`, retry: false };
    } else if (!transport) {
      outcome = { kind: 'unconfigured', text: `Chưa cấu hình đích ${target}` };
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
    // Closes the circuit after a probe.
    if (outcome.kind === 'accepted') await deps.breakers.success(deps.breakers.scope(target, claim.message.facilityId));
    const next = await recordOutcome(deps, target, patientId, claim, outcome);
    if (outcome.kind === 'accepted') delivered++;
    if (next === 'stop') return delivered;
  }
  // Bounded loop; anything left is picked up by a fresh job.
  await rescheduleDelivery(deps.pool, target, patientId, new Date());
  return delivered;
}

/**
 * Safety net, not the delivery path: schedules a job for the head messages nothing else takes — a retry whose job
 * is gone (a database restored without the job queue), or a head the feeder has not taken (SENDING past its lease,
 * if no feeder runs). PENDING heads are the feeder's.
 */
export async function sweepHandoffs(db: Db): Promise<number> {
  const stale = await db.$queryRaw<{ target: HandoffTarget; patientId: string }[]>`
    SELECT DISTINCT m."target"::text AS "target", m."patientId"::text AS "patientId"
    FROM "HandoffMessage" m
    WHERE ((m."status" = 'FAILED' AND m."nextAttemptAt" < now() - interval '5 seconds')
        OR (m."status" = 'SENDING' AND m."leaseUntil" < now()))
      -- only the head of each patient's queue: later ones wait behind it (and behind a parked one)
      AND NOT EXISTS (SELECT 1 FROM "HandoffMessage" p WHERE p."patientId" = m."patientId" AND p."target" = m."target" AND p."status" <> 'DELIVERED' AND p."id" < m."id")
    LIMIT 1000`;
  for (const row of stale) {
    await db.$transaction((tx) => rescheduleDelivery(tx, row.target, row.patientId, new Date()));
  }
  return stale.length;
}
