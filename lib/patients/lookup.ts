import type { DbTx } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { getPatientRecord } from './record';
import { searchPatients, type SearchInput } from './search';
import type { Purpose } from './purposes';

/**
 * Audited entry points used by pages and API routes alike: every search and every record opened becomes an
 * audit event carrying the purpose. API keys may omit the purpose; the key's name is recorded instead.
 */
export function effectivePurpose(actor: Principal, purpose: Purpose | undefined): string | null {
  if (purpose) return purpose;
  return actor.kind === 'API_KEY' ? `API:${actor.name}` : null;
}

export async function auditedSearch(db: DbTx, actor: Principal, purpose: string, input: SearchInput, ip?: string | null) {
  const result = await searchPatients(db, input);
  await audit(db, {
    action: 'PATIENT_SEARCH', actor, purpose, ip, entityType: 'Patient',
    details: { kind: result.kind, results: result.rows.length, page: result.page, filtered: Boolean(input.birth || input.phone) },
  });
  return result;
}

export async function auditedRecord(db: DbTx, actor: Principal, purpose: string, patientId: string, ip?: string | null) {
  // Audit first, so the trail shown on the page includes this very view.
  if (!(await db.patient.findUnique({ where: { id: patientId }, select: { id: true } }))) return null;
  await audit(db, { action: 'PATIENT_VIEWED', actor, purpose, ip, patientId, entityType: 'Patient', entityId: patientId });
  return getPatientRecord(db, patientId);
}
