import { sql, type Tx } from '../db/pg';
import { enqueueHandoff } from '../handoff/outbox';
import { localDay } from '../time/local-day';
import type { Priority } from './priority';

export type IdentificationMethod = 'CCCD_QR' | 'VNEID' | 'BHYT_QR' | 'TYPED_ID' | 'TYPED_BHYT' | 'MANUAL';
export type TrustLevel = 'CARD_VERIFIED' | 'INSURER_VERIFIED' | 'TYPED' | 'UNIDENTIFIED';

export type OpenEncounterInput = {
  facility: { id: string; code: string };
  patientId: string;
  room: { id: string; code: string; name: string };
  visitType: 'OUTPATIENT' | 'EMERGENCY';
  payer: 'BHYT' | 'SELF_PAY';
  priority: Priority;
  identificationMethod: IdentificationMethod;
  trustLevel: TrustLevel;
  coverageId: string | null;
  bhytVerification: 'UNVERIFIED' | 'VERIFIED' | 'REJECTED' | null;
  createdById: string | null;
  actorName: string;
  now: Date;
};

export type OpenedEncounter = {
  id: string; number: string; queueNumber: number; status: string;
  identificationMethod: IdentificationMethod; trustLevel: TrustLevel; payer: 'BHYT' | 'SELF_PAY'; visitType: 'OUTPATIENT' | 'EMERGENCY';
  priority: string | null; bhytVerification: 'UNVERIFIED' | 'VERIFIED' | 'REJECTED' | null;
  checkedInAt: Date; localDate: string /* YYYY-MM-DD, Vietnam's local day */; patientId: string; coverageId: string | null;
  room: { code: string; name: string };
};

// Raw SQL on this path: it runs in every check-in, and one statement beats an ORM's several round trips.
const RETURNED = `e.id::text AS id, e.number, e."queueNumber", e.status::text AS status, e."identificationMethod"::text AS "identificationMethod",
  e."trustLevel"::text AS "trustLevel", e.payer::text AS payer, e."visitType"::text AS "visitType", e.priority,
  e."bhytVerification"::text AS "bhytVerification", e."checkedInAt", e."localDate"::text AS "localDate", e."patientId"::text AS "patientId", e."coverageId"::text AS "coverageId"`;

/** Next value of a gap-free daily counter; the row lock also orders concurrent check-ins to the same room. */
async function nextCounter(tx: Tx, scope: string, day: string): Promise<number> {
  const [row] = await sql(tx)<{ value: number }>(`
    INSERT INTO "DailyCounter" (scope, "localDate", value) VALUES ($1, $2::date, 1)
    ON CONFLICT (scope, "localDate") DO UPDATE SET value = "DailyCounter".value + 1
    RETURNING value`, scope, day);
  return row!.value;
}

/**
 * Opens today's encounter for a patient in a room, or returns the one already open: at most one non-cancelled
 * encounter per patient, room and local day (also enforced by a partial unique index, so two desks racing
 * cannot both win).  Queue numbers count per room per local day; the encounter number is built from it
 * (`58999-261125-P01-015`, unique because the queue number is). The HIS hand-off is queued in the same transaction. Call inside a transaction.
 */
export async function openEncounter(tx: Tx, input: OpenEncounterInput): Promise<{ created: boolean; encounter: OpenedEncounter }> {
  const day = localDay(input.now);
  const room = { code: input.room.code, name: input.room.name };
  const [existing] = await sql(tx)<Omit<OpenedEncounter, 'room'>>(
    `SELECT ${RETURNED} FROM "Encounter" e
     WHERE e."patientId" = $1::uuid AND e."roomId" = $2::uuid AND e."localDate" = $3::date AND e.status <> 'CANCELLED'`,
    input.patientId, input.room.id, day);
  if (existing) return { created: false, encounter: { ...existing, room } };

  const queueNumber = await nextCounter(tx, `room:${input.room.id}`, day);
  const number = `${input.facility.code}-${day.slice(2).replaceAll('-', '')}-${input.room.code}-${String(queueNumber).padStart(3, '0')}`;
  const [inserted] = await sql(tx)<Omit<OpenedEncounter, 'room'>>(
    `WITH e AS (
       INSERT INTO "Encounter" (number, "facilityId", "patientId", "roomId", "coverageId", "localDate", "queueNumber", status, "visitType", payer,
         priority, "identificationMethod", "trustLevel", "bhytVerification", "createdById", "checkedInAt", "updatedAt")
       VALUES ($1, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::date, $7, 'CHECKED_IN', $8::"VisitType", $9::"Payer",
         $10, $11::"IdentificationMethod", $12::"TrustLevel", $13::"BhytVerification", $14::uuid, $15, $15)
       RETURNING *),
     h AS (
       INSERT INTO "EncounterStatusHistory" ("encounterId", "fromStatus", "toStatus", "changedAt", "changedBy")
       SELECT id, NULL, 'CHECKED_IN', $15, $16 FROM e)
     SELECT ${RETURNED} FROM e`,
    number, input.facility.id, input.patientId, input.room.id, input.coverageId, day, queueNumber, input.visitType, input.payer,
    input.priority, input.identificationMethod, input.trustLevel, input.bhytVerification, input.createdById, input.now, input.actorName);
  const encounter = { ...inserted!, room };
  await enqueueHandoff(tx, { encounterId: encounter.id, patientId: input.patientId, event: 'A04' });
  return { created: true, encounter };
}
