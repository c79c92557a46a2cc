import { prepared, sql, type Tx } from '../db/pg';
import { enqueueHandoff } from '../handoff/outbox';
import { snapshotSql, toSnapshot } from '../handoff/snapshot';
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

// One round trip: today's open encounter if there is one; else the room's next queue number (a gap-free daily
// counter whose row lock also orders concurrent check-ins to the room), the encounter and its first status.
// A desk racing us to the same patient/room/day makes the insert fail on the partial unique index: the
// caller's transaction retries and then finds the winner's encounter (and the counter increment rolls back).
const OPEN_ENCOUNTER = prepared('open-encounter', `WITH existing AS (
     SELECT * FROM "Encounter"
     WHERE "patientId" = $2::uuid AND "roomId" = $3::uuid AND "localDate" = $5::date AND status <> 'CANCELLED' LIMIT 1),
   counter AS (
     INSERT INTO "DailyCounter" (scope, "localDate", value) SELECT $16, $5::date, 1 WHERE NOT EXISTS (SELECT 1 FROM existing)
     ON CONFLICT (scope, "localDate") DO UPDATE SET value = "DailyCounter".value + 1
     RETURNING value),
   e AS (
     INSERT INTO "Encounter" (number, "facilityId", "patientId", "roomId", "coverageId", "localDate", "queueNumber", status, "visitType", payer,
       priority, "identificationMethod", "trustLevel", "bhytVerification", "createdById", "checkedInAt", "updatedAt")
     SELECT $1 || CASE WHEN counter.value < 1000 THEN lpad(counter.value::text, 3, '0') ELSE counter.value::text END,
       $4::uuid, $2::uuid, $3::uuid, $6::uuid, $5::date, counter.value, 'CHECKED_IN', $7::"VisitType", $8::"Payer",
       $9, $10::"IdentificationMethod", $11::"TrustLevel", $12::"BhytVerification", $13::uuid, $14, $14
     FROM counter
     RETURNING *),
   h AS (
     INSERT INTO "EncounterStatusHistory" ("encounterId", "fromStatus", "toStatus", "changedAt", "changedBy")
     SELECT id, NULL, 'CHECKED_IN', $14, $15 FROM e)
   SELECT ${RETURNED}, true AS created, (SELECT row_to_json(s) FROM (${snapshotSql('e')}) s) AS snapshot FROM e
   UNION ALL SELECT ${RETURNED}, false, NULL FROM existing e`);

/**
 * Opens today's encounter for a patient in a room, or returns the one already open: at most one non-cancelled
 * encounter per patient, room and local day (also enforced by a partial unique index, so two desks racing
 * cannot both win).  Queue numbers count per room per local day; the encounter number is built from it
 * (`58999-261125-P01-015`, unique because the queue number is). The HIS hand-off is queued in the same transaction. Call inside a transaction.
 */
export async function openEncounter(tx: Tx, input: OpenEncounterInput): Promise<{ created: boolean; encounter: OpenedEncounter }> {
  const day = localDay(input.now);
  const room = { code: input.room.code, name: input.room.name };
  const [row] = await sql(tx)<Omit<OpenedEncounter, 'room'> & { created: boolean; snapshot: Parameters<typeof toSnapshot>[0] | null }>(
    OPEN_ENCOUNTER,
    // The encounter number, e.g. 58999-261125-P01-015, is unique because the queue number is.
    `${input.facility.code}-${day.slice(2).replaceAll('-', '')}-${input.room.code}-`, input.patientId, input.room.id, input.facility.id, day,
    input.coverageId, input.visitType, input.payer, input.priority, input.identificationMethod, input.trustLevel, input.bhytVerification,
    input.createdById, input.now, input.actorName, `room:${input.room.id}`);
  const { created, snapshot, ...fields } = row!;
  const encounter = { ...fields, room };
  // The HIS hand-off, from the snapshot read in the same statement (what the HIS hears is what was registered).
  if (created) await enqueueHandoff(tx, { encounterId: encounter.id, patientId: input.patientId, event: 'A04', snapshot: toSnapshot(snapshot!) });
  return { created, encounter };
}
