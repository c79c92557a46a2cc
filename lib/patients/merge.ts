import type { Db, Prisma } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { DomainError } from '../errors';
import { requirePatientAccess } from './access';
import { enqueueMerge } from '../handoff/outbox';
import { loadMergeSnapshot, type MergeSnapshot } from '../handoff/snapshot';
import type { Jsonified } from '../http/json';

type Moved = {
  identifierIds: string[];
  encounterIds: string[];
  coverageIds: string[];
  /** hospital codes of the merged record retired on the survivor (the HIS merged them away) */
  retiredIdentifierIds?: string[];
  /** the merged record's undelivered hand-off messages, now in the survivor's queue; the A40 messages */
  handoffMessageIds?: string[];
  a40MessageIds?: string[];
};

/**
 * Merges a duplicate into a survivor: the duplicate's identifiers, coverages and encounters move over, the duplicate
 * points at the survivor (mergedIntoId) and the exact ids moved are recorded, so unmerge can put them back.
 * The old identifiers now belong to the survivor, so the merged record's numbers still find the person.
 * Repeating the same merge returns the recorded one. Both rows are locked in id order, so two concurrent
 * merges cannot cross.
 * The HIS is told in the same transaction: an ADT^A40 naming both records as it knew them (the caller's facility's
 * hospital codes), after the merged record's undelivered messages, which join the survivor's queue in order. The
 * merged record's hospital code is then retired on the survivor when the survivor has its own (the HIS merged that
 * code away; it still finds the person but is never sent again).
 */
export async function mergePatients(
  db: Db,
  actor: Principal,
  input: { survivorId: string; mergedId: string; reason: string; confirmSameDay?: boolean },
) {
  if (input.survivorId === input.mergedId)
    throw new DomainError('invalid', 'SAME_PATIENT', 'Không thể gộp một hồ sơ với chính nó.');
  // Both records must be this facility's (or opened by break-glass): a merge rewrites both.
  await requirePatientAccess(db, actor, [input.survivorId, input.mergedId], 'PATIENT_MERGED');
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; mergedIntoId: string | null }[]>`
      SELECT id, "mergedIntoId" FROM "Patient" WHERE id IN (${input.survivorId}::uuid, ${input.mergedId}::uuid) ORDER BY id FOR UPDATE`;
    const survivor = rows.find((r) => r.id === input.survivorId);
    const merged = rows.find((r) => r.id === input.mergedId);
    if (!survivor || !merged) throw new DomainError('not-found', 'NOT_FOUND', 'Không tìm thấy một trong hai hồ sơ.');
    if (merged.mergedIntoId === survivor.id) {
      const existing = await tx.patientMerge.findFirst({
        where: { survivorId: survivor.id, mergedId: merged.id, unmergedAt: null },
      });
      if (existing) return { merge: existing, repeated: true };
    }
    if (merged.mergedIntoId)
      throw new DomainError('conflict', 'ALREADY_MERGED', 'Hồ sơ trùng đã được gộp vào một hồ sơ khác.');
    if (survivor.mergedIntoId)
      throw new DomainError(
        'conflict',
        'SURVIVOR_MERGED',
        'Hồ sơ giữ lại đã bị gộp vào hồ sơ khác; hãy chọn hồ sơ còn hiệu lực.',
      );

    const [identifiers, encounters, coverages] = await Promise.all([
      tx.patientIdentifier.findMany({ where: { patientId: merged.id }, select: { id: true } }),
      tx.encounter.findMany({ where: { patientId: merged.id }, select: { id: true } }),
      tx.coverage.findMany({ where: { patientId: merged.id }, select: { id: true } }),
    ]);
    const moved: Moved = {
      identifierIds: identifiers.map((r) => r.id),
      encounterIds: encounters.map((r) => r.id),
      coverageIds: coverages.map((r) => r.id),
    };
    // Encounter has a partial unique index (patient, room, day): two same-day visits in one room cannot both
    // belong to the survivor. Refuse rather than silently cancel one.
    const clash = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Encounter" a JOIN "Encounter" b ON a."roomId" = b."roomId" AND a."localDate" = b."localDate"
      WHERE a."patientId" = ${merged.id}::uuid AND b."patientId" = ${survivor.id}::uuid AND a.status <> 'CANCELLED' AND b.status <> 'CANCELLED'`;
    if ((clash[0]?.n ?? 0) > 0) {
      throw new DomainError(
        'conflict',
        'ENCOUNTER_CLASH',
        'Hai hồ sơ có lượt khám cùng phòng cùng ngày; hãy hủy lượt trùng trước khi gộp.',
      );
    }
    // Visits of both on one day in other rooms of this facility: allowed, but only once staff have seen it.
    if (!input.confirmSameDay) {
      const sameDay = await tx.$queryRaw<{ date: string; rooms: string[] }[]>`
        SELECT to_char(a."localDate", 'YYYY-MM-DD') AS date, array_agg(DISTINCT r.name ORDER BY r.name) AS rooms
        FROM "Encounter" a JOIN "Encounter" b ON a."localDate" = b."localDate" JOIN "Room" r ON r.id IN (a."roomId", b."roomId")
        WHERE a."patientId" = ${merged.id}::uuid AND b."patientId" = ${survivor.id}::uuid AND a."facilityId" = ${actor.facilityId}::uuid
          AND b."facilityId" = ${actor.facilityId}::uuid AND a.status <> 'CANCELLED' AND b.status <> 'CANCELLED'
        GROUP BY a."localDate" ORDER BY a."localDate" DESC LIMIT 10`;
      if (sameDay.length > 0) {
        throw new DomainError(
          'conflict',
          'SAME_DAY_VISITS',
          'Sau khi gộp, người bệnh có hai lượt khám trong cùng một ngày. Xác nhận để vẫn gộp.',
          { visits: sameDay },
        );
      }
    }
    // Both records as the HIS knew them, before anything moves: what the A40 says.
    const snapshot = await loadMergeSnapshot(tx, {
      survivorId: survivor.id,
      mergedId: merged.id,
      facilityId: actor.facilityId,
      operator: actor.kind === 'USER' ? { username: actor.name, fullName: actor.fullName ?? actor.name } : null,
    });
    await tx.patientIdentifier.updateMany({
      where: { id: { in: moved.identifierIds } },
      data: { patientId: survivor.id },
    });
    if (snapshot.survivor.identifiers.some((i) => i.system === 'HOSPITAL_CODE')) {
      const retired = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "PatientIdentifier" SET "retiredAt" = now() WHERE id = ANY(${moved.identifierIds}::uuid[]) AND system = 'HOSPITAL_CODE'
          AND "assigningFacilityId" = ${actor.facilityId}::uuid AND "retiredAt" IS NULL RETURNING id::text`;
      moved.retiredIdentifierIds = retired.map((r) => r.id);
    }
    await tx.encounter.updateMany({ where: { id: { in: moved.encounterIds } }, data: { patientId: survivor.id } });
    await tx.coverage.updateMany({ where: { id: { in: moved.coverageIds } }, data: { patientId: survivor.id } });
    await tx.patient.update({ where: { id: merged.id }, data: { mergedIntoId: survivor.id } });
    const handoff = await enqueueMerge(tx, {
      survivorId: survivor.id,
      mergedId: merged.id,
      facilityId: actor.facilityId,
      snapshot,
    });
    moved.handoffMessageIds = handoff.moved;
    moved.a40MessageIds = handoff.a40;
    const merge = await tx.patientMerge.create({
      data: { survivorId: survivor.id, mergedId: merged.id, moved, reason: input.reason, mergedBy: actor.name },
    });
    const details = {
      mergeId: merge.id,
      identifiers: moved.identifierIds.length,
      encounters: moved.encounterIds.length,
      reason: input.reason,
      handoffMoved: handoff.moved.length,
      a40: handoff.a40.length,
    };
    await audit(tx, {
      action: 'PATIENT_MERGED',
      actor,
      patientId: survivor.id,
      entityType: 'PatientMerge',
      entityId: merge.id,
      purpose: 'FIX_RECORD',
      details: { ...details, role: 'survivor' },
    });
    await audit(tx, {
      action: 'PATIENT_MERGED',
      actor,
      patientId: merged.id,
      entityType: 'PatientMerge',
      entityId: merge.id,
      purpose: 'FIX_RECORD',
      details: { ...details, role: 'merged' },
    });
    return { merge, repeated: false };
  });
}

/**
 * Undoes a merge from its recorded provenance: exactly the moved identifiers, coverages and encounters go back
 * (those added to the survivor since stay with it), and the merged record is active again. Idempotent.
 */
export async function unmergePatients(db: Db, actor: Principal, input: { mergeId: string; reason: string }) {
  const recorded = await db.patientMerge.findUnique({
    where: { id: input.mergeId },
    select: { survivorId: true, mergedId: true },
  });
  if (recorded) await requirePatientAccess(db, actor, [recorded.survivorId, recorded.mergedId], 'PATIENT_UNMERGED');
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM "PatientMerge" WHERE id = ${input.mergeId}::uuid FOR UPDATE`;
    if (!row) throw new DomainError('not-found', 'NOT_FOUND', 'Không tìm thấy lần gộp hồ sơ này.');
    const merge = await tx.patientMerge.findUniqueOrThrow({ where: { id: input.mergeId } });
    if (merge.unmergedAt) return { merge, repeated: true };
    await tx.$queryRaw`SELECT id FROM "Patient" WHERE id IN (${merge.survivorId}::uuid, ${merge.mergedId}::uuid) ORDER BY id FOR UPDATE`;
    const moved = merge.moved as Moved;
    const back = { patientId: merge.mergedId };
    const from = { patientId: merge.survivorId };
    await tx.patientIdentifier.updateMany({ where: { id: { in: moved.identifierIds }, ...from }, data: back });
    if (moved.retiredIdentifierIds?.length)
      await tx.patientIdentifier.updateMany({
        where: { id: { in: moved.retiredIdentifierIds } },
        data: { retiredAt: null },
      });
    await tx.encounter.updateMany({ where: { id: { in: moved.encounterIds }, ...from }, data: back });
    await tx.coverage.updateMany({ where: { id: { in: moved.coverageIds }, ...from }, data: back });
    await tx.patient.update({ where: { id: merge.mergedId }, data: { mergedIntoId: null } });
    const updated = await tx.patientMerge.update({
      where: { id: merge.id },
      data: {
        unmergedAt: new Date(),
        unmergedBy: actor.name,
        unmergeReason: input.reason,
        hisNote: await hisUndoNote(tx, moved),
      },
    });
    for (const [patientId, role] of [
      [merge.survivorId, 'survivor'],
      [merge.mergedId, 'merged'],
    ] as const) {
      await audit(tx, {
        action: 'PATIENT_UNMERGED',
        actor,
        patientId,
        entityType: 'PatientMerge',
        entityId: merge.id,
        purpose: 'FIX_RECORD',
        details: { role, reason: input.reason },
      });
    }
    return { merge: updated, repeated: false };
  });
}

/**
 * What the HIS staff must undo by hand after an unmerge (HL7 v2 has no message that undoes an A40): which records the
 * A40 named, and whether the HIS has received it yet.
 */
async function hisUndoNote(tx: Prisma.TransactionClient, moved: Moved): Promise<string | null> {
  if (!moved.a40MessageIds?.length) return null;
  const messages = await tx.handoffMessage.findMany({
    where: { id: { in: moved.a40MessageIds.map((id) => BigInt(id)) } },
    orderBy: { id: 'asc' },
    select: { target: true, status: true, messageControlId: true, snapshot: true },
  });
  const snapshot = messages[0]?.snapshot as MergeSnapshot | undefined;
  if (!snapshot) return null;
  const code = (p: MergeSnapshot['survivor']) => p.identifiers.find((i) => i.system === 'HOSPITAL_CODE')?.value ?? p.id;
  const sent = messages
    .map(
      (m) =>
        `${m.target === 'HL7V2' ? 'ADT^A40' : 'FHIR'} ${m.messageControlId}: ${m.status === 'DELIVERED' ? 'HIS đã nhận' : 'chưa tới HIS'}`,
    )
    .join('; ');
  return (
    `HIS đã được báo gộp hồ sơ mã ${code(snapshot.merged)} vào hồ sơ mã ${code(snapshot.survivor)} (${sent}). ` +
    'HL7 v2 không có tin hủy gộp: nhân viên HIS cần tách lại hai hồ sơ này trên HIS (tin chưa tới HIS vẫn sẽ được gửi).'
  );
}

/** 201 (merged) or 200 (the same merge again) from POST /api/v1/patients/merge. */
export type MergeResponse = Jsonified<{ merge: Awaited<ReturnType<typeof mergePatients>>['merge'] }>;
/** 200 from POST /api/v1/patients/merges/:mergeId/unmerge. */
export type UnmergeResponse = Jsonified<{ merge: Awaited<ReturnType<typeof unmergePatients>>['merge'] }>;
