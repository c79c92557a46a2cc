import { namedParameters, prepared, sql, type Queryable } from '../db/pg';
import { channelOf, type Actor } from '../auth/roles';
import { configuredTargets, newControlIds, outboxCtes } from '../handoff/outbox';
import type { SnapshotSources } from '../handoff/snapshot';
import { NEW_PATIENT_PARAMETERS, newPatientCtes, newPatientValues } from '../patients/create';
import type { NewPatient } from '../patients/schemas';
import { CARD_PARAMETERS, cardValues, newCoverageCte } from '../insurance/coverage';
import type { BhytInfo, IdentifierValue } from '../identity';
import { localDay } from '../time/local-day';
import type { BhytVerification, IdentificationMethod, Payer, Priority, TrustLevel, VisitType } from '../codes';

export type OpenEncounterInput = {
  facility: { id: string; code: string };
  patientId: string;
  room: { id: string; code: string; name: string };
  visitType: VisitType;
  payer: Payer;
  priority: Priority;
  identificationMethod: IdentificationMethod;
  trustLevel: TrustLevel;
  coverageId: string | null;
  bhytVerification: BhytVerification | null;
  /** Who checks the patient in (the audit row's actor and the encounter's channel; a user's last room is remembered). */
  actor: Actor;
  /** What the audit row says of the check-in (ids, codes and counts only); the queue number is added. */
  auditDetails: Record<string, string | number | boolean | null>;
  now: Date;
  /** A patient to create in the same statement (then `patientId` is the new id, made by the caller). */
  create?: PatientToCreate;
  /** Open nothing when the patient already has an encounter today in another room (the desk asks first). Not with `create`. */
  refuseIfSeenInAnotherRoom?: boolean;
};

/** A new patient, their identifiers, the BHYT card on the scan (stored as their coverage, with id `coverage.id`) and what the PATIENT_CREATED audit row says. */
export type PatientToCreate = {
  patient: NewPatient;
  identifiers: IdentifierValue[];
  coverage: { id: string; card: BhytInfo } | null;
  auditDetails: Record<string, string | number | boolean | null>;
};

export type OpenedEncounter = {
  id: string;
  number: string;
  queueNumber: number;
  status: string;
  identificationMethod: IdentificationMethod;
  trustLevel: TrustLevel;
  payer: Payer;
  visitType: VisitType;
  priority: string | null;
  bhytVerification: BhytVerification | null;
  checkedInAt: Date;
  localDate: string /* YYYY-MM-DD, Vietnam's local day */;
  patientId: string;
  coverageId: string | null;
  room: { code: string; name: string };
};

// Raw SQL on this path: it runs in every check-in, and one statement beats an ORM's several round trips.
const RETURNED = `e.id::text AS id, e.number, e."queueNumber", e.status::text AS status, e."identificationMethod"::text AS "identificationMethod",
  e."trustLevel"::text AS "trustLevel", e.payer::text AS payer, e."visitType"::text AS "visitType", e.priority,
  e."bhytVerification"::text AS "bhytVerification", e."checkedInAt", e."localDate"::text AS "localDate", e."patientId"::text AS "patientId", e."coverageId"::text AS "coverageId"`;

// The statement's parameters by name: those of every check-in, then either the patient to create (their fields,
// their card's coverage and what the PATIENT_CREATED audit row says) or the desk's "ask before a second room".
const OPEN = namedParameters([
  'numberPrefix',
  'patientId',
  'roomId',
  'facilityId',
  'localDate',
  'coverageId',
  'visitType',
  'payer',
  'priority',
  'identificationMethod',
  'trustLevel',
  'bhytVerification',
  'userId',
  'now',
  'actorName',
  'counterScope',
  'targets',
  'controlIds',
  'actorType',
  'actorId',
  'auditDetails',
  'channel',
]);
const ASK = namedParameters(['refuseIfSeenInAnotherRoom'], OPEN.next);
const NEW_PATIENT = namedParameters(NEW_PATIENT_PARAMETERS, OPEN.next);
const NEW_COVERAGE = namedParameters(['id', ...CARD_PARAMETERS], NEW_PATIENT.next);
const CREATED_AUDIT = namedParameters(['details'], NEW_COVERAGE.next);
const { $ } = OPEN;

// Creating the patient first: patient and identifiers (lib/patients/create.ts), the card's coverage
// (lib/insurance/coverage.ts); the PATIENT_CREATED audit row is written before the encounter's, by the same INSERT.
const CREATE_PATIENT = `${newPatientCtes(`${$.patientId}::uuid`, `${$.facilityId}::uuid`, NEW_PATIENT.$)},
   ${newCoverageCte('new_patient', NEW_COVERAGE.$)},
   `;
// The snapshot of a patient created by the same statement reads that statement's rows.
const CREATED: SnapshotSources = { patients: 'new_patient', identifiers: 'new_identifiers', coverages: 'new_coverage' };

const openSql = (create: boolean) => `WITH ${create ? CREATE_PATIENT : ''}existing AS (
     SELECT * FROM "Encounter"
     WHERE "patientId" = ${$.patientId}::uuid AND "roomId" = ${$.roomId}::uuid AND "localDate" = ${$.localDate}::date AND status <> 'CANCELLED' LIMIT 1),
   ${
     create
       ? ''
       : `other_room AS (
     SELECT 1 FROM "Encounter"
     WHERE ${ASK.$.refuseIfSeenInAnotherRoom}::boolean AND "patientId" = ${$.patientId}::uuid AND "localDate" = ${$.localDate}::date AND "roomId" <> ${$.roomId}::uuid AND status <> 'CANCELLED' LIMIT 1),
   `
   }counter AS (
     INSERT INTO "DailyCounter" (scope, "localDate", value) SELECT ${$.counterScope}, ${$.localDate}::date, 1
     WHERE NOT EXISTS (SELECT 1 FROM existing)${create ? '' : ' AND NOT EXISTS (SELECT 1 FROM other_room)'}
     ON CONFLICT (scope, "localDate") DO UPDATE SET value = "DailyCounter".value + 1
     RETURNING value),
   e AS (
     INSERT INTO "Encounter" (number, "facilityId", "patientId", "roomId", "coverageId", "localDate", "queueNumber", status, "visitType", payer,
       priority, "identificationMethod", "trustLevel", "bhytVerification", "createdById", "checkedInAt", "updatedAt", channel)
     SELECT ${$.numberPrefix} || CASE WHEN counter.value < 1000 THEN lpad(counter.value::text, 3, '0') ELSE counter.value::text END,
       ${$.facilityId}::uuid, ${$.patientId}::uuid, ${$.roomId}::uuid, ${$.coverageId}::uuid, ${$.localDate}::date, counter.value, 'CHECKED_IN', ${$.visitType}::"VisitType", ${$.payer}::"Payer",
       ${$.priority}, ${$.identificationMethod}::"IdentificationMethod", ${$.trustLevel}::"TrustLevel", ${$.bhytVerification}::"BhytVerification", ${$.userId}::uuid, ${$.now}, ${$.now}, ${$.channel}::"CheckinChannel"
     FROM counter
     RETURNING *),
   h AS (
     INSERT INTO "EncounterStatusHistory" ("encounterId", "fromStatus", "toStatus", "changedAt", "changedBy")
     SELECT id, NULL, 'CHECKED_IN', ${$.now}, ${$.actorName} FROM e),
   ${outboxCtes('e', { event: `'A04'`, targets: $.targets, controlIds: $.controlIds }, create ? CREATED : undefined)},
   result AS (SELECT ${RETURNED}, true AS created FROM e UNION ALL SELECT ${RETURNED}, false FROM existing e),
   audited AS (
     INSERT INTO "AuditEvent" (action, outcome, "actorType", "actorId", "actorName", "facilityId", "entityType", "entityId", "patientId", details)
     SELECT a.action, 'SUCCESS', ${$.actorType}, ${$.actorId}::uuid, ${$.actorName}, ${$.facilityId}::uuid, a."entityType", a."entityId", ${$.patientId}::uuid, a.details
     FROM (${create ? `SELECT 0 AS n, 'PATIENT_CREATED' AS action, 'Patient' AS "entityType", p.id::text AS "entityId", ${CREATED_AUDIT.$.details}::jsonb AS details FROM new_patient p UNION ALL ` : ''}
       SELECT 1 AS n, CASE WHEN r.created THEN 'ENCOUNTER_OPENED' ELSE 'ENCOUNTER_RETURNED' END AS action, 'Encounter' AS "entityType", r.id AS "entityId",
         ${$.auditDetails}::jsonb || jsonb_build_object('queueNumber', r."queueNumber") AS details
       FROM result r) a
     ORDER BY a.n),
   last_room AS (UPDATE "User" SET "lastRoomId" = ${$.roomId}::uuid, "updatedAt" = ${$.now} WHERE id = ${$.userId}::uuid AND EXISTS (SELECT 1 FROM result))
   SELECT r.* FROM result r`;
const OPEN_ENCOUNTER = prepared('open-encounter', openSql(false));
const CREATE_AND_OPEN = prepared('create-patient-open-encounter', openSql(true));

/**
 * Opens today's encounter for a patient in a room, or returns the one already open, in ONE statement (which is
 * a transaction of its own when the caller has none): at most one non-cancelled encounter per patient, room and
 * local day. The room's next queue number comes from a gap-free daily counter whose row lock also orders
 * concurrent check-ins to the room; the encounter number is built from it (`58999-261125-P01-015`, unique
 * because the queue number is). The same statement writes the first status, the HIS hand-off (lib/handoff/
 * outbox.ts), the audit row (how the patient was found, and the encounter it led to) and the receptionist's
 * last room. A desk racing us to the same patient/room/day makes the insert fail on the partial unique index:
 * the caller retries (`withConflictRetry`) and then finds the winner's encounter; nothing of the loser remains.
 * With `create`, the same statement first creates the patient (a new patient's whole check-in is one statement).
 * With `refuseIfSeenInAnotherRoom`, a known patient already seen today in another room gets no new encounter (and
 * no audit row, hand-off or last-room change): the answer lists today's visits instead, for the desk to confirm.
 */
export async function openEncounter(
  db: Queryable,
  input: OpenEncounterInput,
): Promise<
  { created: boolean; encounter: OpenedEncounter } | { created: false; encounter: null; seenToday: SameDayVisit[] }
> {
  const day = localDay(input.now);
  const room = { code: input.room.code, name: input.room.name };
  const targets = configuredTargets();
  const statement = input.create ? CREATE_AND_OPEN : OPEN_ENCOUNTER;
  const { create, actor } = input;
  const values = OPEN.values({
    numberPrefix: `${input.facility.code}-${day.slice(2).replaceAll('-', '')}-${input.room.code}-`,
    patientId: input.patientId,
    roomId: input.room.id,
    facilityId: input.facility.id,
    localDate: day,
    coverageId: input.coverageId,
    visitType: input.visitType,
    payer: input.payer,
    priority: input.priority,
    identificationMethod: input.identificationMethod,
    trustLevel: input.trustLevel,
    bhytVerification: input.bhytVerification,
    userId: actor.kind === 'USER' ? actor.id : null,
    now: input.now,
    actorName: actor.name,
    counterScope: `room:${input.room.id}`,
    targets,
    controlIds: newControlIds(targets.length),
    actorType: actor.kind,
    actorId: actor.id,
    auditDetails: JSON.stringify(input.auditDetails),
    channel: channelOf(actor),
  });
  const rest = create
    ? [
        ...NEW_PATIENT.values(newPatientValues(create.patient, create.identifiers)),
        ...NEW_COVERAGE.values({ id: create.coverage?.id ?? null, ...cardValues(create.coverage?.card) }),
        ...CREATED_AUDIT.values({ details: JSON.stringify(create.auditDetails) }),
      ]
    : ASK.values({ refuseIfSeenInAnotherRoom: input.refuseIfSeenInAnotherRoom === true });
  const [row] = await sql(db)<Omit<OpenedEncounter, 'room'> & { created: boolean }>(statement, ...values, ...rest);
  if (!row) return { created: false, encounter: null, seenToday: await visitsToday(db, input.patientId, day) };
  const { created, ...fields } = row;
  return { created, encounter: { ...fields, room } };
}

/** One of the patient's encounters today, as the desk shows it when asking about another room. */
export type SameDayVisit = { roomCode: string; roomName: string; queueNumber: number; checkedInAt: Date };

async function visitsToday(db: Queryable, patientId: string, day: string): Promise<SameDayVisit[]> {
  return sql(db)<SameDayVisit>(
    `SELECT r.code AS "roomCode", r.name AS "roomName", e."queueNumber", e."checkedInAt"
     FROM "Encounter" e JOIN "Room" r ON r.id = e."roomId"
     WHERE e."patientId" = $1::uuid AND e."localDate" = $2::date AND e.status <> 'CANCELLED' ORDER BY e."checkedInAt"`,
    patientId,
    day,
  );
}
