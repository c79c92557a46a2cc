import type { Db } from '../db/client';
import { log } from '../log';
import { backoffDelayMs, type RetryPolicy } from './config';
import { rescheduleDelivery } from './jobs';
import type { HandoffTargetName } from './outbox';
import type { HandoffMessageToSend, SendOutcome, Transport } from './transport';

/**
 * Delivers one patient's messages for one target, oldest first (per-patient order). The head message is
 * claimed with a row lock and a lease, so two workers never send the same message at the same time; the
 * send happens outside any transaction; the result is written only if the lease is still ours (fencing on
 * the attempt number).
 *
 * Ordering rule: a PARKED message holds the later messages of the same patient and target until staff
 * retry it — sending an A08 or A11 for a visit the HIS never accepted would be refused anyway.
 */
export type DeliverDeps = { db: Db; transports: Partial<Record<HandoffTargetName, Transport>>; policy: RetryPolicy; leaseMs: number; workerId: string };

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
};

type Claim =
  | { kind: 'idle' }
  | { kind: 'held' }
  | { kind: 'later'; until: Date }
  | { kind: 'send'; message: HandoffMessageToSend; attempt: number; attemptLogId: bigint };

async function claimHead(deps: DeliverDeps, target: HandoffTargetName, patientId: string): Promise<Claim> {
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Head[]>`
      SELECT "id", "encounterId", "status"::text AS "status", "attempts", "nextAttemptAt", "leaseUntil", "event", "messageControlId", "payload"
      FROM "HandoffMessage"
      WHERE "patientId" = ${patientId}::uuid AND "target" = ${target}::"HandoffTarget" AND "status" <> 'DELIVERED'
      ORDER BY "id" LIMIT 1 FOR UPDATE`;
    const head = rows[0];
    const now = new Date();
    if (!head) return { kind: 'idle' };
    if (head.status === 'PARKED') return { kind: 'held' };
    if (head.status === 'SENDING') {
      if (head.leaseUntil && head.leaseUntil > now) return { kind: 'later', until: head.leaseUntil };
      // The worker that claimed it died mid-send: the HIS may or may not have it. Send again, same MSH-10.
      await tx.handoffAttempt.updateMany({
        where: { messageId: head.id, attempt: head.attempts, finishedAt: null },
        data: { outcome: 'INTERRUPTED', detail: 'Tiến trình gửi bị dừng giữa chừng; gửi lại với cùng MSH-10', finishedAt: now },
      });
    } else if (head.nextAttemptAt > now) {
      return { kind: 'later', until: head.nextAttemptAt };
    }
    if (head.payload === null) throw new Error(`handoff message ${head.id} has no payload`);
    const attempt = head.attempts + 1;
    await tx.handoffMessage.update({
      where: { id: head.id },
      data: { status: 'SENDING', attempts: attempt, leaseUntil: new Date(now.getTime() + deps.leaseMs) },
    });
    const logRow = await tx.handoffAttempt.create({
      data: { messageId: head.id, encounterId: head.encounterId, attempt, outcome: 'SENDING', actor: deps.workerId },
      select: { id: true },
    });
    return {
      kind: 'send',
      attempt,
      attemptLogId: logRow.id,
      message: { id: head.id, encounterId: head.encounterId, target, event: head.event, messageControlId: head.messageControlId, payload: head.payload },
    };
  });
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
  return deps.db.$transaction(async (tx) => {
    const now = new Date();
    const fence = { id: claim.message.id, attempts: claim.attempt, status: 'SENDING' as const };
    let next: 'next' | 'stop' = 'stop';
    let count = 0;
    let logOutcome = OUTCOME_LOG[outcome.kind];
    if (outcome.kind === 'accepted') {
      ({ count } = await tx.handoffMessage.updateMany({
        where: fence,
        data: { status: 'DELIVERED', deliveredAt: now, externalRef: outcome.externalRef, lastAckCode: outcome.ackCode, lastError: null, leaseUntil: null },
      }));
      next = 'next';
    } else {
      const text = outcome.text;
      const ackCode = outcome.kind === 'refused' ? outcome.ackCode : null;
      const retryable = outcome.kind !== 'refused' || outcome.retry;
      const park = !retryable || claim.attempt >= deps.policy.maxAttempts;
      const nextAttemptAt = new Date(now.getTime() + backoffDelayMs(claim.attempt, deps.policy));
      ({ count } = await tx.handoffMessage.updateMany({
        where: fence,
        data: park
          ? { status: 'PARKED', lastError: text, lastAckCode: ackCode, leaseUntil: null }
          : { status: 'FAILED', lastError: text, lastAckCode: ackCode, leaseUntil: null, nextAttemptAt },
      }));
      if (park) logOutcome = `${logOutcome}_PARKED`.slice(0, 20);
      if (count === 1 && !park) await rescheduleDelivery(tx, target, patientId, nextAttemptAt);
    }
    if (count === 0) {
      // Our lease ran out and another worker took the message over: its result counts, not ours.
      log.warn({ messageId: String(claim.message.id) }, 'handoff result dropped: lease lost');
      return 'next';
    }
    await tx.handoffAttempt.update({
      where: { id: claim.attemptLogId },
      data: {
        outcome: logOutcome,
        ackCode: outcome.kind === 'accepted' || outcome.kind === 'refused' ? outcome.ackCode : null,
        detail: outcome.kind === 'accepted' ? (outcome.externalRef ? `Mã tham chiếu HIS: ${outcome.externalRef}` : null) : outcome.text,
        finishedAt: now,
      },
    });
    return next;
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
      await deps.db.$transaction((tx) => rescheduleDelivery(tx, target, patientId, until));
      return delivered;
    }
    let outcome: SendOutcome;
    if (!transport) {
      outcome = { kind: 'unreachable', text: `Chưa cấu hình đích ${target}` };
    } else {
      try {
        if (transport.prepare) {
          const prepared = await transport.prepare(claim.message);
          if (prepared !== null && prepared !== claim.message.payload) {
            // Keep the exact bytes that go out (signed XML must never be re-serialised).
            await deps.db.handoffMessage.update({ where: { id: claim.message.id }, data: { payload: prepared } });
            claim.message.payload = prepared;
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
  await deps.db.$transaction((tx) => rescheduleDelivery(tx, target, patientId, new Date()));
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
