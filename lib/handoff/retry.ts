import type { Db } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { rescheduleDelivery } from './jobs';
import type { HandoffTargetName } from './outbox';
import { snapshotJsonSql } from './snapshot';

export type RetryResult = { ok: true } | { ok: false; code: 'NOT_FOUND' | 'NOT_RETRYABLE'; message: string };

/**
 * Staff retry of a parked (or failed) message: back to PENDING, due now, attempt count reset. The message is
 * rebuilt from the current data, keeping the MSH-10: staff retry after fixing what the HIS refused, and the
 * HIS only de-duplicates messages it accepted. Audited. Concurrent retries: the row lock lets one win; the
 * other sees PENDING and gets NOT_RETRYABLE.
 */
export async function retryHandoff(db: Db, messageId: bigint, actor: Principal, ip?: string | null): Promise<RetryResult> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: bigint; status: string; target: HandoffTargetName; event: string; encounterId: string; patientId: string; messageControlId: string; facilityId: string }[]>`
      SELECT m."id", m."status"::text AS "status", m."target"::text AS "target", m."event", m."encounterId"::text AS "encounterId",
             m."patientId"::text AS "patientId", m."messageControlId", e."facilityId"::text AS "facilityId"
      FROM "HandoffMessage" m JOIN "Encounter" e ON e."id" = m."encounterId"
      WHERE m."id" = ${messageId} FOR UPDATE OF m`;
    const m = rows[0];
    if (!m || m.facilityId !== actor.facilityId) return { ok: false, code: 'NOT_FOUND', message: 'Không tìm thấy tin bàn giao.' };
    if (m.status !== 'PARKED' && m.status !== 'FAILED') {
      return { ok: false, code: 'NOT_RETRYABLE', message: 'Chỉ gửi lại được tin đang tạm dừng hoặc bị lỗi.' };
    }
    // A fresh snapshot; the worker renders the payload from it again (same MSH-10).
    await tx.$executeRawUnsafe(
      `UPDATE "HandoffMessage" SET "status" = 'PENDING', "attempts" = 0, "nextAttemptAt" = now(), "leaseUntil" = NULL,
         "snapshot" = ${snapshotJsonSql('$2::uuid')}, "payload" = NULL
       WHERE "id" = $1`, m.id, m.encounterId);
    await tx.handoffAttempt.create({
      data: { messageId: m.id, encounterId: m.encounterId, attempt: 0, outcome: 'RETRY_REQUESTED', actor: actor.name, finishedAt: new Date() },
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
    await rescheduleDelivery(tx, m.target, m.patientId, new Date());
    return { ok: true };
  });
}
