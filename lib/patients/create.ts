import { sql, type Tx } from '../db/pg';
import { normalizeVietnameseName, type IdentifierValue } from '../identity';
import { z } from '../validation';

export const newPatientSchema = z.object({
  fullName: z.string().trim().min(2, 'Họ tên quá ngắn.').max(100, 'Họ tên quá dài.').transform((s) => s.normalize('NFC').replace(/\s+/g, ' ')),
  dateOfBirth: z.string().regex(/^\d{4}(-\d{2}-\d{2})?$/, 'Ngày sinh phải có dạng YYYY-MM-DD (hoặc chỉ năm YYYY).')
    .refine((s) => s.length === 4 || !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Ngày sinh không có thật.')
    .refine((s) => Number(s.slice(0, 4)) >= 1890 && s.slice(0, 10) <= new Date().toISOString().slice(0, 10), 'Ngày sinh nằm ngoài khoảng hợp lệ.'),
  sex: z.enum(['M', 'F'], { message: 'Giới tính phải là M (nam) hoặc F (nữ).' }),
  address: z.string().trim().max(300).optional(),
  phone: z.string().regex(/^[0-9+ ]{8,15}$/, 'Số điện thoại không hợp lệ.').optional(),
});
export type NewPatient = z.infer<typeof newPatientSchema>;

/** Creates a patient with its identifiers. A unique violation means someone else created them first: the caller retries. */
export async function createPatient(tx: Tx, input: NewPatient, identifiers: IdentifierValue[]): Promise<{ id: string; fullName: string }> {
  // One statement (it runs inside the check-in transaction): the patient and its identifiers.
  const [patient] = await sql(tx)<{ id: string; fullName: string }>(
    `WITH p AS (
       INSERT INTO "Patient" ("fullName", "normalizedName", "birthDate", "birthYear", sex, address, phone, "updatedAt")
       VALUES ($1, $2, $3, $4, $5::"Sex", $6, $7, now())
       RETURNING id, "fullName"),
     i AS (
       INSERT INTO "PatientIdentifier" ("patientId", system, value)
       SELECT p.id, k.system::"IdentifierSystem", k.value FROM p, unnest($8::text[], $9::text[]) AS k(system, value))
     SELECT id::text AS id, "fullName" FROM p`,
    input.fullName, normalizeVietnameseName(input.fullName), input.dateOfBirth, Number(input.dateOfBirth.slice(0, 4)), input.sex,
    input.address ?? null, input.phone ?? null, identifiers.map((i) => i.system), identifiers.map((i) => i.value),
  );
  return patient!;
}

/** The identifiers a card carries that the record lacks (e.g. a new BHYT card). */
export function missingIdentifiers(stored: { system: string; value: string }[], scanned: IdentifierValue[]): IdentifierValue[] {
  return scanned.filter((s) => !stored.some((x) => x.system === s.system && x.value === s.value));
}

/** Adds the identifiers the record lacks. Ones owned by someone else are skipped. */
export async function addMissingIdentifiers(tx: Tx, patientId: string, stored: { system: string; value: string }[], scanned: IdentifierValue[]): Promise<number> {
  const missing = missingIdentifiers(stored, scanned);
  if (missing.length === 0) return 0;
  const added = await sql(tx)<{ id: string }>(
    `INSERT INTO "PatientIdentifier" ("patientId", system, value)
     SELECT $1::uuid, k.system::"IdentifierSystem", k.value FROM unnest($2::text[], $3::text[]) AS k(system, value)
     ON CONFLICT DO NOTHING RETURNING id::text AS id`,
    patientId, missing.map((m) => m.system), missing.map((m) => m.value),
  );
  return added.length;
}
