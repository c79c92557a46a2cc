import type { Db } from '../db/client';
import { Prisma } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { normalizeVietnameseName, type IdentifierSystem } from '../identity';
import { isValidBhxhNumber, isValidBhytCardCode, isValidCmnd, isValidPersonalId } from '../identity';
import { compactTypedNumber, cleanText } from '../identity/normalize';
import { normalizePhone } from './search';
import { enqueueHandoff } from '../handoff/outbox';
import { localDayAsDate } from '../time/local-day';

/** A rule was broken: the message is Vietnamese and safe to show. `status` is the HTTP status to answer with. */
export class PatientChangeError extends Error {
  constructor(public status: number, public code: string, message: string) {
    super(message);
  }
}

export type DemographicsChange = {
  fullName?: string;
  birthDate?: string; // 'YYYY-MM-DD' or 'YYYY'
  sex?: 'M' | 'F' | null;
  phone?: string | null;
  address?: string | null;
  reason: string;
};

/**
 * Corrects demographics (support staff fixing a record, or the desk's "update from card"); the audit row names
 * the fields changed and the reason (never the values). Today's open encounters announce it to the HIS (A08).
 */
export async function correctDemographics(db: Db, actor: Principal, patientId: string, change: DemographicsChange) {
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ id: string; mergedIntoId: string | null }[]>`
      SELECT id, "mergedIntoId" FROM "Patient" WHERE id = ${patientId}::uuid FOR UPDATE`;
    if (!current) throw new PatientChangeError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    if (current.mergedIntoId) throw new PatientChangeError(409, 'MERGED', 'Hồ sơ này đã được gộp vào hồ sơ khác; hãy sửa hồ sơ còn lại.');
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
    if (change.phone !== undefined) data.phone = change.phone ? normalizePhone(change.phone) ?? null : null;
    if (change.address !== undefined) data.address = change.address ? cleanText(change.address) : null;
    const fields = Object.keys(data).filter((k) => k !== 'normalizedName' && k !== 'birthYear');
    if (fields.length === 0) throw new PatientChangeError(400, 'NOTHING_TO_CHANGE', 'Chưa có thông tin nào cần sửa.');
    const patient = await tx.patient.update({ where: { id: patientId }, data });
    await audit(tx, {
      action: 'PATIENT_CORRECTED', actor, patientId, entityType: 'Patient', entityId: patientId, purpose: 'FIX_RECORD',
      details: { fields: fields.join(','), reason: change.reason },
    });
    const open = await tx.encounter.findMany({ where: { patientId, localDate: localDayAsDate(), status: { in: ['REGISTERED', 'CHECKED_IN'] } }, select: { id: true } });
    for (const e of open) await enqueueHandoff(tx, { encounterId: e.id, event: 'A08' });
    return patient;
  });
}

export function normalizeIdentifierValue(system: IdentifierSystem, raw: string): string {
  return compactTypedNumber(raw.trim());
}

export function isValidIdentifier(system: IdentifierSystem, value: string): boolean {
  switch (system) {
    case 'PERSONAL_ID': return isValidPersonalId(value);
    case 'CMND': return isValidCmnd(value);
    case 'BHYT_CARD': return isValidBhytCardCode(value);
    case 'BHXH_NUMBER': return isValidBhxhNumber(value);
    case 'HOSPITAL_CODE': return /^[A-Z0-9]{1,20}$/.test(value);
  }
}

/**
 * Adds an identifier, optionally retiring one it replaces (e.g. the CMND a new CCCD supersedes). The retired row
 * stays, so the old number still finds the patient. Adding the same number again is a no-op (idempotent).
 */
export async function addIdentifier(db: Db, actor: Principal, patientId: string, input: { system: IdentifierSystem; value: string; replacesId?: string; reason: string }) {
  const value = normalizeIdentifierValue(input.system, input.value);
  if (!isValidIdentifier(input.system, value)) throw new PatientChangeError(400, 'INVALID_IDENTIFIER', 'Số giấy tờ không hợp lệ cho loại đã chọn.');
  return db.$transaction(async (tx) => {
    const [current] = await tx.$queryRaw<{ mergedIntoId: string | null }[]>`
      SELECT "mergedIntoId" FROM "Patient" WHERE id = ${patientId}::uuid FOR UPDATE`;
    if (!current) throw new PatientChangeError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    if (current.mergedIntoId) throw new PatientChangeError(409, 'MERGED', 'Hồ sơ này đã được gộp vào hồ sơ khác; hãy sửa hồ sơ còn lại.');
    const inserted = await tx.patientIdentifier.createManyAndReturn({
      data: [{ patientId, system: input.system, value }], skipDuplicates: true,
    });
    let identifier = inserted[0];
    if (!identifier) {
      const existing = await tx.patientIdentifier.findUniqueOrThrow({ where: { system_value: { system: input.system, value } } });
      if (existing.patientId !== patientId) {
        throw new PatientChangeError(409, 'IDENTIFIER_TAKEN', 'Số này đã thuộc một hồ sơ khác. Nếu là cùng một người, hãy gộp hai hồ sơ.');
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
        if (!old) throw new PatientChangeError(404, 'NOT_FOUND', 'Không tìm thấy giấy tờ cần thay thế.');
      }
    }
    if (inserted.length > 0) {
      await audit(tx, {
        action: 'IDENTIFIER_ADDED', actor, patientId, entityType: 'PatientIdentifier', entityId: identifier.id, purpose: 'FIX_RECORD',
        details: { system: input.system, replacesId: input.replacesId ?? null, reason: input.reason },
      });
    }
    return identifier;
  });
}
