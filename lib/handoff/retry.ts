import type { Db } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { DomainError } from '../errors';
import type { HandoffTarget } from '../codes';
import { snapshotJsonSql } from './snapshot';

export type RetryResult = { ok: true };

/**
 * Staff retry of a parked (or failed) message: back to PENDING, due now, attempt count reset. The message is
 * rebuilt from the current data, keeping the MSH-10: staff retry after fixing what the HIS refused, and the
 * HIS only de-duplicates messages it accepted. Audited. Concurrent retries: the row lock lets one win; the
 * other sees PENDING and gets NOT_RETRYABLE (DomainError conflict; another facility's message is not-found).
 */
/** 200 from POST /api/v1/handoffs/:id/retry. */
export type HandoffRetryResponse = { ok: true; status: 'PENDING' };

export async function retryHandoff(
  db: Db,
  messageId: bigint,
  actor: Principal,
  ip?: string | null,
): Promise<RetryResult> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      {
        id: bigint;
        status: string;
        target: HandoffTarget;
        event: string;
        encounterId: string | null;
        patientId: string;
        messageControlId: string;
        facilityId: string;
      }[]
    >`
      SELECT m."id", m."status"::text AS "status", m."target"::text AS "target", m."event", m."encounterId"::text AS "encounterId",
             m."patientId"::text AS "patientId", m."messageControlId", COALESCE(e."facilityId", m."facilityId")::text AS "facilityId"
      FROM "HandoffMessage" m LEFT JOIN "Encounter" e ON e."id" = m."encounterId"
      WHERE m."id" = ${messageId} FOR UPDATE OF m`;
    const m = rows[0];
    if (!m || m.facilityId !== actor.facilityId)
      throw new DomainError('not-found', 'NOT_FOUND', 'Không tìm thấy tin bàn giao.');
    if (m.status !== 'PARKED' && m.status !== 'FAILED') {
      throw new DomainError('conflict', 'NOT_RETRYABLE', 'Chỉ gửi lại được tin đang tạm dừng hoặc bị lỗi.');
    }
    // A fresh snapshot (a merge's A40 keeps its own: it says what was merged); the worker renders the payload
    // from it again (same MSH-10).
    await tx.$executeRawUnsafe(
      `UPDATE "HandoffMessage" SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = now(), "leaseUntil" = NULL,
         "snapshot" = CASE WHEN "encounterId" IS NULL THEN "snapshot" ELSE ${snapshotJsonSql('$2::uuid')} END, "payload" = NULL
       WHERE "id" = $1`,
      m.id,
      m.encounterId,
    );
    await tx.handoffAttempt.create({
      data: {
        messageId: m.id,
        encounterId: m.encounterId,
        attempt: 0,
        outcome: 'RETRY_REQUESTED',
        actor: actor.name,
        finishedAt: new Date(),
      },
    });
    await audit(tx, {
      action: 'HANDOFF_RETRY',
      actor,
      ip,
      patientId: m.patientId,
      entityType: 'HandoffMessage',
      entityId: String(m.id),
      purpose: 'Gửi lại tin bàn giao HIS',
      details: { target: m.target, event: m.event, previousStatus: m.status },
    });
    // Due now: the worker's feeder (feeder.ts) takes it once this commits.
    return { ok: true };
  });
}

/**
 * Staff retry of every parked message of one target in the caller's facility at once (e.g. after the HIS fixed
 * a configuration problem that made it refuse hundreds of visits): each goes back to PENDING as with a single
 * retry (fresh snapshot, same MSH-10, attempt count reset, logged per message), and one audit row with the count.
 * The worker's feeder takes them once this commits. Returns how many messages were queued again.
 */
/** 200 from POST /api/v1/handoffs/retry-parked: how many messages went back to the queue. */
export type RetryParkedResponse = { ok: true; requeued: number };

export async function retryParked(
  db: Db,
  target: HandoffTarget,
  actor: Principal,
  ip?: string | null,
): Promise<number> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<{ n: number }[]>(
      `
      WITH picked AS (
        SELECT m."id" FROM "HandoffMessage" m LEFT JOIN "Encounter" e ON e."id" = m."encounterId"
        WHERE m."target" = $1::"HandoffTarget" AND m."status" = 'PARKED' AND COALESCE(e."facilityId", m."facilityId") = $2::uuid
        FOR UPDATE OF m
      ), requeued AS (
        UPDATE "HandoffMessage" h SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = now(), "leaseUntil" = NULL,
          "snapshot" = CASE WHEN h."encounterId" IS NULL THEN h."snapshot" ELSE ${snapshotJsonSql('h."encounterId"')} END, "payload" = NULL
        FROM picked WHERE h."id" = picked."id"
        RETURNING h."id", h."encounterId", h."patientId"
      ), logged AS (
        INSERT INTO "HandoffAttempt" ("messageId", "encounterId", "attempt", "outcome", "actor", "finishedAt")
        SELECT "id", "encounterId", 0, 'RETRY_REQUESTED', $3, now() FROM requeued
      )
      SELECT count(*)::int AS n FROM requeued`,
      target,
      actor.facilityId,
      actor.name,
    );
    const n = rows[0]?.n ?? 0;
    await audit(tx, {
      action: 'HANDOFF_RETRY_ALL',
      actor,
      ip,
      entityType: 'HandoffTarget',
      entityId: target,
      purpose: 'Gửi lại mọi tin bàn giao HIS đang tạm dừng',
      details: { target, messages: n },
    });
    return n;
  });
}
