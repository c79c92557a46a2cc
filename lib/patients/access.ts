import { Prisma, type DbTx } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { DomainError } from '../errors';
import type { AuditAction } from '../codes';

/**
 * Facility boundaries of the shared patient index (README "Cơ sở và chỉ mục người bệnh dùng chung").
 * One database may serve several facilities, and finding a person by an identifier to open a visit (check-in)
 * stays national: that is the point of a shared index, and the desk's answer is masked. Reading or changing a
 * record (record page, corrections, identifiers, merges) is for a facility that cares for that person:
 *  - it has an encounter with the patient (a check-in there, at any time), or
 *  - it assigned the patient a hospital code (its HIS's code, e.g. from the go-live import), or
 *  - the caller (that user or API key, not their colleagues) broke the glass on that record within the last
 *    BREAK_GLASS_MINUTES, with a reason: an audit row BREAK_GLASS, which managers and admins of both facilities see.
 * A merged record counts as its survivor's (its encounters and codes moved there).
 */
export const BREAK_GLASS_MINUTES = 30;

/** 201 from POST /api/v1/patients/:id/break-glass: until when the record is open to the caller. */
export type BreakGlassResponse = { until: string; minutes: number };
export const BREAK_GLASS_ACTION = 'BREAK_GLASS';

export const OUTSIDE_FACILITY_MESSAGE =
  'Người bệnh này chưa khám tại cơ sở của bạn. Muốn xem hoặc sửa hồ sơ, hãy ghi lý do truy cập ngoài cơ sở (được ghi nhật ký, quản lý xem được).';

/** `patient`'s own links to `facilityId`: an encounter there, or a hospital code it assigned. */
export function facilityLinkSql(patient: Prisma.Sql, facilityId: string): Prisma.Sql {
  return Prisma.sql`(EXISTS (SELECT 1 FROM "Encounter" e WHERE e."patientId" = ${patient} AND e."facilityId" = ${facilityId}::uuid)
    OR EXISTS (SELECT 1 FROM "PatientIdentifier" i WHERE i."patientId" = ${patient} AND i."assigningFacilityId" = ${facilityId}::uuid))`;
}

/** SQL: may `actor` read and change the record `p` (a `"Patient"` row aliased p)? */
export function accessSql(actor: Principal): Prisma.Sql {
  const one = (patient: Prisma.Sql) => Prisma.sql`(${facilityLinkSql(patient, actor.facilityId)}
    OR EXISTS (SELECT 1 FROM "AuditEvent" a WHERE a."patientId" = ${patient} AND a.action = ${BREAK_GLASS_ACTION}
      AND a."actorId" = ${actor.id}::uuid AND a.at > now() - make_interval(mins => ${BREAK_GLASS_MINUTES})))`;
  return Prisma.sql`(${one(Prisma.sql`p.id`)} OR (p."mergedIntoId" IS NOT NULL AND ${one(Prisma.sql`p."mergedIntoId"`)}))`;
}

/** Of `patientIds`, those that exist and `actor` may not open (outside its facility, no break-glass). */
export async function outsidePatients(db: DbTx, actor: Principal, patientIds: string[]): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT p.id::text AS id FROM "Patient" p WHERE p.id = ANY(${patientIds}::uuid[]) AND NOT ${accessSql(actor)}`;
  return rows.map((r) => r.id);
}

/**
 * Refuses (403, audited as DENIED with what was tried) when any of `patientIds` is outside the caller's facility.
 * Run before the change's transaction, so the refusal's audit row stays.
 */
export async function requirePatientAccess(
  db: DbTx,
  actor: Principal,
  patientIds: string[],
  action: AuditAction,
  ip?: string | null,
): Promise<void> {
  const outside = await outsidePatients(db, actor, patientIds);
  if (outside.length === 0) return;
  for (const patientId of outside) {
    await audit(db, {
      action,
      outcome: 'DENIED',
      actor,
      ip,
      patientId,
      entityType: 'Patient',
      entityId: patientId,
      details: { reason: 'OUTSIDE_FACILITY' },
    });
  }
  throw new DomainError('forbidden', 'OUTSIDE_FACILITY', OUTSIDE_FACILITY_MESSAGE);
}

/**
 * Break-glass: `actor` opens one record outside its facility for BREAK_GLASS_MINUTES, with a reason. The audit
 * row is the grant (nothing else to keep in step with it). Returns when it ends, or null for an unknown patient.
 */
export async function breakGlass(
  db: DbTx,
  actor: Principal,
  patientId: string,
  reason: string,
  ip?: string | null,
): Promise<Date | null> {
  if (!(await db.patient.findUnique({ where: { id: patientId }, select: { id: true } }))) return null;
  await audit(db, {
    action: BREAK_GLASS_ACTION,
    actor,
    ip,
    patientId,
    entityType: 'Patient',
    entityId: patientId,
    purpose: BREAK_GLASS_ACTION,
    details: { reason },
  });
  return new Date(Date.now() + BREAK_GLASS_MINUTES * 60_000);
}

export type BreakGlassEvent = {
  at: Date;
  actorName: string | null;
  actorType: string;
  actorFacilityCode: string | null;
  patientId: string;
  reason: string;
  /** true: one of this facility's staff or keys opened another facility's record; false: another facility opened one of ours */
  byOurStaff: boolean;
};

/**
 * Break-glass events a facility's managers and admins review: by its own staff (any record), and by other
 * facilities' staff on its patients. `from`/`to`: instants (the local days' bounds).
 */
export async function breakGlassEvents(db: DbTx, facilityId: string, from: Date, to: Date): Promise<BreakGlassEvent[]> {
  const rows = await db.$queryRaw<(Omit<BreakGlassEvent, 'reason'> & { details: { reason?: string } | null })[]>`
    SELECT a.at, a."actorName", a."actorType", f.code AS "actorFacilityCode", a."patientId"::text AS "patientId", a.details,
           a."facilityId" = ${facilityId}::uuid AS "byOurStaff"
    FROM "AuditEvent" a LEFT JOIN "Facility" f ON f.id = a."facilityId"
    WHERE a.action = ${BREAK_GLASS_ACTION} AND a.at >= ${from} AND a.at < ${to}
      AND (a."facilityId" = ${facilityId}::uuid OR ${facilityLinkSql(Prisma.sql`a."patientId"`, facilityId)})
    ORDER BY a.at DESC LIMIT 500`;
  return rows.map(({ details, ...r }) => ({ ...r, reason: details?.reason ?? '' }));
}
