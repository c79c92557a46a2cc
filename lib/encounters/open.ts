import { prepared, sql, type Tx } from '../db/pg';
import type { Principal } from '../auth/roles';
import { configuredTargets, newControlIds, outboxCtes } from '../handoff/outbox';
import { workerInstalled } from '../handoff/jobs';
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
  /** Who checks the patient in (the audit row's actor; a user's last room is remembered). */
  actor: Principal;
  /** What the audit row says of the check-in (ids, codes and counts only); the queue number is added. */
  auditDetails: Record<string, string | number | boolean | null>;
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

const openSql = (withJobs: boolean) => `WITH existing AS (
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
     SELECT id, NULL, 'CHECKED_IN', $14, $15 FROM e),
   ${outboxCtes('e', { event: `'A04'`, targets: '$17', controlIds: '$18' }, withJobs)},
   result AS (SELECT ${RETURNED}, true AS created FROM e UNION ALL SELECT ${RETURNED}, false FROM existing e),
   audited AS (
     INSERT INTO "AuditEvent" (action, outcome, "actorType", "actorId", "actorName", "facilityId", "entityType", "entityId", "patientId", details)
     SELECT CASE WHEN r.created THEN 'ENCOUNTER_OPENED' ELSE 'ENCOUNTER_RETURNED' END, 'SUCCESS', $19, $20::uuid, $15, $4::uuid, 'Encounter', r.id, $2::uuid,
       $21::jsonb || jsonb_build_object('queueNumber', r."queueNumber")
     FROM result r),
   last_room AS (UPDATE "User" SET "lastRoomId" = $3::uuid, "updatedAt" = $14 WHERE id = $13::uuid)
   SELECT r.*, (SELECT n FROM handoff_job) AS "handoffJobs" FROM result r`;
const OPEN_ENCOUNTER = { plain: prepared('open-encounter', openSql(false)), withJobs: prepared('open-encounter-and-schedule', openSql(true)) };

/**
 * Opens today's encounter for a patient in a room, or returns the one already open, in ONE statement (which is
 * a transaction of its own when the caller has none): at most one non-cancelled encounter per patient, room and
 * local day. The room's next queue number comes from a gap-free daily counter whose row lock also orders
 * concurrent check-ins to the room; the encounter number is built from it (`58999-261125-P01-015`, unique
 * because the queue number is). The same statement writes the first status, the HIS hand-off (lib/handoff/
 * outbox.ts), the audit row (how the patient was found, and the encounter it led to) and the receptionist's
 * last room. A desk racing us to the same patient/room/day makes the insert fail on the partial unique index:
 * the caller retries (`withConflictRetry`) and then finds the winner's encounter; nothing of the loser remains.
 */
export async function openEncounter(tx: Tx, input: OpenEncounterInput): Promise<{ created: boolean; encounter: OpenedEncounter }> {
  const day = localDay(input.now);
  const room = { code: input.room.code, name: input.room.name };
  const targets = configuredTargets();
  const statement = (await workerInstalled(tx)) ? OPEN_ENCOUNTER.withJobs : OPEN_ENCOUNTER.plain;
  const [row] = await sql(tx)<Omit<OpenedEncounter, 'room'> & { created: boolean; handoffJobs: bigint }>(
    statement,
    `${input.facility.code}-${day.slice(2).replaceAll('-', '')}-${input.room.code}-`, input.patientId, input.room.id, input.facility.id, day,
    input.coverageId, input.visitType, input.payer, input.priority, input.identificationMethod, input.trustLevel, input.bhytVerification,
    input.actor.kind === 'USER' ? input.actor.id : null, input.now, input.actor.name, `room:${input.room.id}`, targets, newControlIds(targets.length),
    input.actor.kind, input.actor.id, JSON.stringify(input.auditDetails));
  const { created, handoffJobs: _jobs, ...fields } = row!;
  return { created, encounter: { ...fields, room } };
}
