import type { DbTx } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { getPatientRecord } from './record';
import { searchPatients, type SearchInput, type SearchResult } from './search';
import { outsidePatients, requirePatientAccess } from './access';
import type { Purpose } from '../codes';
import type { Jsonified } from '../http/json';

/**
 * Audited entry points used by pages and API routes alike: every search and every record opened becomes an
 * audit event carrying the purpose. API keys may omit the purpose; the key's name is recorded instead.
 */
export function effectivePurpose(actor: Principal, purpose: Purpose | undefined): string | null {
  if (purpose) return purpose;
  return actor.kind === 'API_KEY' ? `API:${actor.name}` : null;
}

/**
 * The search is national (the shared index: is this person known anywhere?), but a row of a patient outside the
 * caller's facility (access.ts) says only who it is: name, birth year, sex, masked current identifiers,
 * `outside: true`; no birth date, no phone. Opening that record needs break-glass.
 */
export async function auditedSearch(
  db: DbTx,
  actor: Principal,
  purpose: string,
  input: Omit<SearchInput, 'facilityId'>,
  ip?: string | null,
) {
  const result = await searchPatients(db, { ...input, facilityId: actor.facilityId });
  const outside = new Set(
    result.rows.length
      ? await outsidePatients(
          db,
          actor,
          result.rows.map((r) => r.id),
        )
      : [],
  );
  const rows: (SearchResult['rows'][number] & { outside: boolean })[] = result.rows.map((r) =>
    outside.has(r.id)
      ? {
          ...r,
          birthDate: r.birthDate.slice(0, 4),
          phone: null,
          identifiers: r.identifiers.filter((i) => !i.retired),
          outside: true,
        }
      : { ...r, outside: false },
  );
  await audit(db, {
    action: 'PATIENT_SEARCH',
    actor,
    purpose,
    ip,
    entityType: 'Patient',
    details: {
      kind: result.kind,
      results: rows.length,
      outside: outside.size,
      page: result.page,
      filtered: Boolean(input.birth || input.phone),
    },
  });
  return { ...result, rows };
}

export type SupportSearchResult = Awaited<ReturnType<typeof auditedSearch>>;

/** 200 from GET /api/v1/patients (the support team's search). */
export type PatientSearchResponse = Jsonified<SupportSearchResult>;

/** The record, or null when there is none; DomainError forbidden OUTSIDE_FACILITY (audited) outside the facility. */
export async function auditedRecord(
  db: DbTx,
  actor: Principal,
  purpose: string,
  patientId: string,
  ip?: string | null,
) {
  if (!(await db.patient.findUnique({ where: { id: patientId }, select: { id: true } }))) return null;
  await requirePatientAccess(db, actor, [patientId], 'PATIENT_VIEWED', ip);
  // Audit first, so the trail shown on the page includes this very view.
  await audit(db, {
    action: 'PATIENT_VIEWED',
    actor,
    purpose,
    ip,
    patientId,
    entityType: 'Patient',
    entityId: patientId,
  });
  return getPatientRecord(db, patientId, actor.facilityId);
}
