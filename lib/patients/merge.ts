import type { Db } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { PatientChangeError } from './corrections';

type Moved = { identifierIds: string[]; encounterIds: string[]; coverageIds: string[] };

/**
 * Merges a duplicate into a survivor: the duplicate's identifiers, coverages and encounters move over, the duplicate
 * points at the survivor (mergedIntoId) and the exact ids moved are recorded, so unmerge can put them back.
 * The old identifiers now belong to the survivor, so the merged record's numbers still find the person.
 * Repeating the same merge returns the recorded one. Both rows are locked in id order, so two concurrent
 * merges cannot cross.
 * Not done here: telling the HIS (HL7 A40); the outbox has no A40 event yet.
 */
export async function mergePatients(db: Db, actor: Principal, input: { survivorId: string; mergedId: string; reason: string }) {
  if (input.survivorId === input.mergedId) throw new PatientChangeError(400, 'SAME_PATIENT', 'Không thể gộp một hồ sơ với chính nó.');
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; mergedIntoId: string | null }[]>`
      SELECT id, "mergedIntoId" FROM "Patient" WHERE id IN (${input.survivorId}::uuid, ${input.mergedId}::uuid) ORDER BY id FOR UPDATE`;
    const survivor = rows.find((r) => r.id === input.survivorId);
    const merged = rows.find((r) => r.id === input.mergedId);
    if (!survivor || !merged) throw new PatientChangeError(404, 'NOT_FOUND', 'Không tìm thấy một trong hai hồ sơ.');
    if (merged.mergedIntoId === survivor.id) {
      const existing = await tx.patientMerge.findFirst({ where: { survivorId: survivor.id, mergedId: merged.id, unmergedAt: null } });
      if (existing) return { merge: existing, repeated: true };
    }
    if (merged.mergedIntoId) throw new PatientChangeError(409, 'ALREADY_MERGED', 'Hồ sơ trùng đã được gộp vào một hồ sơ khác.');
    if (survivor.mergedIntoId) throw new PatientChangeError(409, 'SURVIVOR_MERGED', 'Hồ sơ giữ lại đã bị gộp vào hồ sơ khác; hãy chọn hồ sơ còn hiệu lực.');

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
      throw new PatientChangeError(409, 'ENCOUNTER_CLASH', 'Hai hồ sơ có lượt khám cùng phòng cùng ngày; hãy hủy lượt trùng trước khi gộp.');
    }
    await tx.patientIdentifier.updateMany({ where: { id: { in: moved.identifierIds } }, data: { patientId: survivor.id } });
    await tx.encounter.updateMany({ where: { id: { in: moved.encounterIds } }, data: { patientId: survivor.id } });
    await tx.coverage.updateMany({ where: { id: { in: moved.coverageIds } }, data: { patientId: survivor.id } });
    await tx.patient.update({ where: { id: merged.id }, data: { mergedIntoId: survivor.id } });
    const merge = await tx.patientMerge.create({
      data: { survivorId: survivor.id, mergedId: merged.id, moved, reason: input.reason, mergedBy: actor.name },
    });
    const details = { mergeId: merge.id, identifiers: moved.identifierIds.length, encounters: moved.encounterIds.length, reason: input.reason };
    await audit(tx, { action: 'PATIENT_MERGED', actor, patientId: survivor.id, entityType: 'PatientMerge', entityId: merge.id, purpose: 'FIX_RECORD', details: { ...details, role: 'survivor' } });
    await audit(tx, { action: 'PATIENT_MERGED', actor, patientId: merged.id, entityType: 'PatientMerge', entityId: merge.id, purpose: 'FIX_RECORD', details: { ...details, role: 'merged' } });
    return { merge, repeated: false };
  });
}

/**
 * Undoes a merge from its recorded provenance: exactly the moved identifiers, coverages and encounters go back
 * (those added to the survivor since stay with it), and the merged record is active again. Idempotent.
 */
export async function unmergePatients(db: Db, actor: Principal, input: { mergeId: string; reason: string }) {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "PatientMerge" WHERE id = ${input.mergeId}::uuid FOR UPDATE`;
    if (!row) throw new PatientChangeError(404, 'NOT_FOUND', 'Không tìm thấy lần gộp hồ sơ này.');
    const merge = await tx.patientMerge.findUniqueOrThrow({ where: { id: input.mergeId } });
    if (merge.unmergedAt) return { merge, repeated: true };
    await tx.$queryRaw`SELECT id FROM "Patient" WHERE id IN (${merge.survivorId}::uuid, ${merge.mergedId}::uuid) ORDER BY id FOR UPDATE`;
    const moved = merge.moved as Moved;
    const back = { patientId: merge.mergedId };
    const from = { patientId: merge.survivorId };
    await tx.patientIdentifier.updateMany({ where: { id: { in: moved.identifierIds }, ...from }, data: back });
    await tx.encounter.updateMany({ where: { id: { in: moved.encounterIds }, ...from }, data: back });
    await tx.coverage.updateMany({ where: { id: { in: moved.coverageIds }, ...from }, data: back });
    await tx.patient.update({ where: { id: merge.mergedId }, data: { mergedIntoId: null } });
    const updated = await tx.patientMerge.update({
      where: { id: merge.id }, data: { unmergedAt: new Date(), unmergedBy: actor.name, unmergeReason: input.reason },
    });
    for (const [patientId, role] of [[merge.survivorId, 'survivor'], [merge.mergedId, 'merged']] as const) {
      await audit(tx, { action: 'PATIENT_UNMERGED', actor, patientId, entityType: 'PatientMerge', entityId: merge.id, purpose: 'FIX_RECORD', details: { role, reason: input.reason } });
    }
    return { merge: updated, repeated: false };
  });
}
