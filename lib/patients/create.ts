import type { DbTx } from '../db/client';
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
export async function createPatient(tx: DbTx, input: NewPatient, identifiers: IdentifierValue[]) {
  const patient = await tx.patient.create({
    data: {
      fullName: input.fullName,
      normalizedName: normalizeVietnameseName(input.fullName),
      birthDate: input.dateOfBirth,
      birthYear: Number(input.dateOfBirth.slice(0, 4)),
      sex: input.sex,
      address: input.address ?? null,
      phone: input.phone ?? null,
      identifiers: { create: identifiers.map((i) => ({ system: i.system, value: i.value })) },
    },
    select: { id: true, fullName: true },
  });
  return patient;
}

/** Adds identifiers the card carries that the record lacks (e.g. a new BHYT card). Ones owned by someone else are skipped. */
export async function addMissingIdentifiers(tx: DbTx, patientId: string, stored: { system: string; value: string }[], scanned: IdentifierValue[]) {
  const missing = scanned.filter((s) => !stored.some((x) => x.system === s.system && x.value === s.value));
  if (missing.length === 0) return 0;
  const { count } = await tx.patientIdentifier.createMany({ data: missing.map((m) => ({ patientId, ...m })), skipDuplicates: true });
  return count;
}
