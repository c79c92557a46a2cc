import type { Db } from '../db/client';
import { Prisma } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { normalizeVietnameseName, type IdentifierSystem } from '../identity';
import { checkIdentifier } from '../identity/schemas';
import { cleanText } from '../identity/normalize';
import { normalizePhone } from './search';
import { enqueueHandoff } from '../handoff/outbox';
import { localDayAsDate } from '../time/local-day';
import { requirePatientAccess } from './access';
import type { Jsonified } from '../http/json';
import { DomainError } from '../errors';
import type { Sex } from '../codes';

export type DemographicsChange = {
  fullName?: string;
  birthDate?: string; // 'YYYY-MM-DD' or 'YYYY'
  sex?: Sex | null;
  phone?: string | null;
  address?: string | null;
  reason: string;
};

/** 200 from POST /api/v1/patients/:id/demographics (the desk's "update from card"): the record's new values. */
export type DemographicsUpdateResponse = {
  patient: { id: string; fullName: string; birthDate: string; sex: Sex | null; address: string | null };
};
/** 200 from PATCH /api/v1/patients/:id (a support correction). */
export type CorrectionResponse = Jsonified<{ id: string; updatedAt: Date }>;

/**
 * Corrects demographics (support staff fixing a record, or the desk's "update from card"); the audit row names
 * the fields changed and the reason (never the values). Today's open encounters announce it to the HIS (A08).
 */
export async function correctDemographics(db: Db, actor: Principal, patientId: string, change: DemographicsChange) {
  await requirePatientAccess(db, actor, [patientId], 'PATIENT_CORRECTED');
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ id: string; mergedIntoId: string | null }[]>`
      SELECT id, "mergedIntoId" FROM "Patient" WHERE id = ${patientId}::uuid FOR UPDATE`;
    if (!current) throw new DomainError('not-found', 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    if (current.mergedIntoId)
      throw new DomainError('conflict', 'MERGED', 'Hồ sơ này đã được gộp vào hồ sơ khác; hãy sửa hồ sơ còn lại.');
    const data: Prisma.PatientUpdateInput = {};
    if (change.fullName !== undefined) {
      const name = cleanText(change.fullName);
      data.fullName = name;
      data.normalizedName = normalizeVietnameseName(name);
    }
    if (change.birthDate !== undefined) {
      data.birthDate = change.birthDate;
      data.birthYear = Number(change.birthDate.slice(0, 4));
    }
    if (change.sex !== undefined) data.sex = change.sex;
    if (change.phone !== undefined) data.phone = change.phone ? (normalizePhone(change.phone) ?? null) : null;
    if (change.address !== undefined) data.address = change.address ? cleanText(change.address) : null;
    const fields = Object.keys(data).filter((k) => k !== 'normalizedName' && k !== 'birthYear');
    if (fields.length === 0) throw new DomainError('invalid', 'NOTHING_TO_CHANGE', 'Chưa có thông tin nào cần sửa.');
    const patient = await tx.patient.update({ where: { id: patientId }, data });
    await audit(tx, {
      action: 'PATIENT_CORRECTED',
      actor,
      patientId,
      entityType: 'Patient',
      entityId: patientId,
      purpose: 'FIX_RECORD',
      details: { fields: fields.join(','), reason: change.reason },
    });
    const open = await tx.encounter.findMany({
      where: { patientId, localDate: localDayAsDate(), status: { in: ['REGISTERED', 'CHECKED_IN'] } },
      select: { id: true },
    });
    for (const e of open) await enqueueHandoff(tx, { encounterId: e.id, event: 'A08' });
    return patient;
  });
}

/**
 * Adds an identifier, optionally retiring one it replaces (e.g. the CMND a new CCCD supersedes). The retired row
 * stays, so the old number still finds the patient. Adding the same number again is a no-op (idempotent).
 * A HOSPITAL_CODE is the caller's facility's code (e.g. the one the HIS assigned after the first visit).
 */
export async function addIdentifier(
  db: Db,
  actor: Principal,
  patientId: string,
  input: { system: IdentifierSystem; value: string; replacesId?: string; reason: string },
) {
  const checked = checkIdentifier(input.system, input.value);
  if (!checked.ok) throw new DomainError('invalid', 'INVALID_IDENTIFIER', checked.message);
  const value = checked.value;
  await requirePatientAccess(db, actor, [patientId], 'IDENTIFIER_ADDED');
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ mergedIntoId: string | null }[]>`
      SELECT "mergedIntoId" FROM "Patient" WHERE id = ${patientId}::uuid FOR UPDATE`;
    if (!current) throw new DomainError('not-found', 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    if (current.mergedIntoId)
      throw new DomainError('conflict', 'MERGED', 'Hồ sơ này đã được gộp vào hồ sơ khác; hãy sửa hồ sơ còn lại.');
    const assigningFacilityId = input.system === 'HOSPITAL_CODE' ? actor.facilityId : null;
    const inserted = await tx.patientIdentifier.createManyAndReturn({
      data: [{ patientId, system: input.system, value, assigningFacilityId }],
      skipDuplicates: true,
    });
    let identifier = inserted[0];
    if (!identifier) {
      const existing = await tx.patientIdentifier.findFirstOrThrow({
        where: { system: input.system, value, assigningFacilityId },
      });
      if (existing.patientId !== patientId) {
        throw new DomainError(
          'conflict',
          'IDENTIFIER_TAKEN',
          'Số này đã thuộc một hồ sơ khác. Nếu là cùng một người, hãy gộp hai hồ sơ.',
        );
      }
      identifier = existing;
    }
    if (input.replacesId) {
      const retired = await tx.patientIdentifier.updateMany({
        where: { id: input.replacesId, patientId, retiredAt: null, NOT: { id: identifier.id } },
        data: { retiredAt: new Date() },
      });
      if (retired.count === 0) {
        const old = await tx.patientIdentifier.findFirst({ where: { id: input.replacesId, patientId } });
        if (!old) throw new DomainError('not-found', 'NOT_FOUND', 'Không tìm thấy giấy tờ cần thay thế.');
      }
    }
    if (inserted.length > 0) {
      await audit(tx, {
        action: 'IDENTIFIER_ADDED',
        actor,
        patientId,
        entityType: 'PatientIdentifier',
        entityId: identifier.id,
        purpose: 'FIX_RECORD',
        details: { system: input.system, replacesId: input.replacesId ?? null, reason: input.reason },
      });
    }
    return identifier;
  });
}

/** 201 from POST /api/v1/patients/:id/identifiers. */
export type IdentifierAddedResponse = { id: string; system: IdentifierSystem };
