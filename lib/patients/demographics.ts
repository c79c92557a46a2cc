import type { Prisma } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { enqueueHandoff } from '../handoff/outbox';
import { normalizeVietnameseName } from '../identity';
import { localDayAsDate } from '../time/local-day';
import { z } from '../validation';

export const demographicsChangeSchema = z.object({
  fullName: z.string().trim().min(2).max(100).optional(),
  dateOfBirth: z.string().regex(/^\d{4}(-\d{2}-\d{2})?$/, 'Ngày sinh phải có dạng YYYY-MM-DD hoặc YYYY.').optional(),
  sex: z.enum(['M', 'F']).optional(),
  address: z.string().trim().max(300).optional(),
  phone: z.string().regex(/^[0-9+ ]{8,15}$/, 'Số điện thoại không hợp lệ.').optional(),
}).strict().refine((c) => Object.keys(c).length > 0, { message: 'Chưa chọn trường nào để cập nhật.' });
export type DemographicsChange = z.infer<typeof demographicsChangeSchema>;

/**
 * Changes a patient's demographics (e.g. "update from card" at the desk), audited with the reason and the
 * names of the fields changed (not their values), and announced to the HIS (A08) for today's open encounters.
 */
export async function updateDemographics(tx: Prisma.TransactionClient, input: { patientId: string; change: DemographicsChange; reason: string; actor: Principal }) {
  const { change } = input;
  const data: Prisma.PatientUpdateInput = {};
  if (change.fullName) Object.assign(data, { fullName: change.fullName.normalize('NFC'), normalizedName: normalizeVietnameseName(change.fullName) });
  if (change.dateOfBirth) Object.assign(data, { birthDate: change.dateOfBirth, birthYear: Number(change.dateOfBirth.slice(0, 4)) });
  if (change.sex) data.sex = change.sex;
  if (change.address !== undefined) data.address = change.address;
  if (change.phone !== undefined) data.phone = change.phone;
  const patient = await tx.patient.update({ where: { id: input.patientId }, data, select: { id: true, fullName: true, birthDate: true, sex: true, address: true, phone: true } });
  await audit(tx, { action: 'PATIENT_UPDATED', actor: input.actor, patientId: input.patientId, entityType: 'Patient', entityId: input.patientId, purpose: input.reason, details: { fields: Object.keys(change).join(',') } });
  const open = await tx.encounter.findMany({ where: { patientId: input.patientId, localDate: localDayAsDate(), status: { in: ['REGISTERED', 'CHECKED_IN'] } }, select: { id: true } });
  for (const e of open) await enqueueHandoff(tx, { encounterId: e.id, patientId: input.patientId, event: 'A08' });
  return patient;
}
