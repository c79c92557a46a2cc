import { sql, type Queryable } from '../db/pg';
import type { Payer, Sex, VisitType } from '../codes';

/**
 * Everything a hand-off message says about one encounter, read inside the caller's transaction. Plain data
 * (no Prisma types), so the HL7 / FHIR / XML0 builders are pure functions that are easy to test.
 */
export type HandoffSnapshot = {
  facility: { code: string; name: string };
  encounter: {
    id: string;
    number: string; // our encounter number, used as the visit number / MA_LK (to be agreed with the HIS)
    status: string;
    visitType: VisitType;
    payer: Payer;
    checkedInAt: Date;
    room: { code: string; name: string; department: string };
  };
  patient: {
    id: string;
    fullName: string;
    birthDate: string; // 'YYYY-MM-DD' or 'YYYY'
    sex: Sex | null;
    address: string | null;
    phone: string | null;
    /** active identifiers only (retired ones are history, not sent); a HOSPITAL_CODE is the encounter facility's */
    identifiers: { system: string; value: string }[];
  };
  coverage: {
    cardCode: string | null;
    bhxhNumber: string | null;
    benefitLevel: number | null;
    registeredFacility: string | null;
    validFrom: string | null;
    validTo: string | null;
  } | null;
  operator: { username: string; fullName: string } | null;
};

/** As HandoffMessage.snapshot keeps it (row_to_json of a `snapshotSql` row). */
export type SnapshotJson = Omit<SnapshotRow, 'checkedInAt'> & { checkedInAt: string };

export type SnapshotRow = {
  facilityCode: string;
  facilityName: string;
  id: string;
  number: string;
  status: string;
  visitType: VisitType;
  payer: Payer;
  checkedInAt: Date;
  roomCode: string;
  roomName: string;
  department: string;
  patientId: string;
  fullName: string;
  birthDate: string;
  sex: Sex | null;
  address: string | null;
  phone: string | null;
  identifiers: { system: string; value: string }[] | null;
  coverage: NonNullable<HandoffSnapshot['coverage']> | null;
  operator: HandoffSnapshot['operator'];
};

/** Where the snapshot reads the patient, their identifiers and coverages: the tables, or CTEs of the same statement. */
export type SnapshotSources = { patients: string; identifiers: string; coverages: string };
const TABLES: SnapshotSources = { patients: '"Patient"', identifiers: '"PatientIdentifier"', coverages: '"Coverage"' };

/**
 * The snapshot's columns, over an encounter relation aliased `e` (the "Encounter" table, or a CTE that just
 * inserted one: the check-in's statement writes the snapshot with the encounter). A statement that also creates
 * the patient passes its own CTEs as `from` (rows it inserts are not visible to its other parts through the tables).
 */
export function snapshotSql(encounters: string, from: SnapshotSources = TABLES): string {
  return `SELECT f."code" AS "facilityCode", f."name" AS "facilityName",
           e."id"::text AS "id", e."number", e."status"::text AS "status", e."visitType"::text AS "visitType", e."payer"::text AS "payer", e."checkedInAt",
           r."code" AS "roomCode", r."name" AS "roomName", r."department",
           p."id"::text AS "patientId", p."fullName", p."birthDate", p."sex"::text AS "sex", p."address", p."phone",
           (SELECT json_agg(json_build_object('system', i."system", 'value', i."value") ORDER BY i."createdAt", i."id")
              FROM ${from.identifiers} i WHERE i."patientId" = p."id" AND i."retiredAt" IS NULL
                AND (i."assigningFacilityId" IS NULL OR i."assigningFacilityId" = e."facilityId")) AS "identifiers",
           CASE WHEN c."id" IS NULL THEN NULL ELSE json_build_object('cardCode', c."cardCode", 'bhxhNumber', c."bhxhNumber",
             'benefitLevel', c."benefitLevel", 'registeredFacility', c."registeredFacility", 'validFrom', c."validFrom", 'validTo', c."validTo") END AS "coverage",
           CASE WHEN u."id" IS NULL THEN NULL ELSE json_build_object('username', u."username", 'fullName', u."fullName") END AS "operator"
    FROM ${encounters} e
    JOIN "Facility" f ON f."id" = e."facilityId"
    JOIN "Room" r ON r."id" = e."roomId"
    JOIN ${from.patients} p ON p."id" = e."patientId"
    LEFT JOIN ${from.coverages} c ON c."id" = e."coverageId"
    LEFT JOIN "User" u ON u."id" = e."createdById"`;
}

/** The snapshot of one encounter as JSON (row form, as HandoffMessage.snapshot keeps it): an SQL expression. */
export function snapshotJsonSql(encounterId: string): string {
  return `(SELECT row_to_json(s)::jsonb FROM (${snapshotSql('"Encounter"')} WHERE e."id" = ${encounterId}) s)`;
}

/** The snapshot of one encounter, read now. */
export async function loadSnapshot(tx: Queryable, encounterId: string): Promise<HandoffSnapshot> {
  const rows = await sql(tx)<SnapshotRow>(`${snapshotSql('"Encounter"')} WHERE e."id" = $1::uuid`, encounterId);
  const e = rows[0];
  if (!e) throw new Error(`encounter ${encounterId} not found`);
  return toSnapshot(e);
}

/** A row of `snapshotSql` (as columns, or as JSON from row_to_json: then the time is a string) → the snapshot. */
export function toSnapshot(e: SnapshotRow | SnapshotJson): HandoffSnapshot {
  return {
    facility: { code: e.facilityCode, name: e.facilityName },
    encounter: {
      id: e.id,
      number: e.number,
      status: e.status,
      visitType: e.visitType,
      payer: e.payer,
      checkedInAt: new Date(e.checkedInAt),
      room: { code: e.roomCode, name: e.roomName, department: e.department },
    },
    patient: {
      id: e.patientId,
      fullName: e.fullName,
      birthDate: e.birthDate,
      sex: e.sex,
      address: e.address,
      phone: e.phone,
      identifiers: e.identifiers ?? [],
    },
    coverage: e.coverage,
    operator: e.operator,
  };
}

export function identifier(s: HandoffSnapshot, system: string): string | null {
  return s.patient.identifiers.find((i) => i.system === system)?.value ?? null;
}

/** Local times in the messages (lib/time/local-day.ts). */
export { vnIso, vnTimestamp } from '../time/local-day';

/**
 * What an ADT^A40 says (a merge of two records), frozen when the merge is made: both records as the HIS knew them
 * until then — the merged record's identifiers before they moved to the survivor — with this facility's codes only.
 */
export type MergePatient = {
  id: string;
  fullName: string;
  birthDate: string;
  sex: Sex | null;
  address: string | null;
  phone: string | null;
  identifiers: { system: string; value: string }[];
};
export type MergeSnapshot = {
  kind: 'merge';
  facility: { code: string; name: string };
  operator: { username: string; fullName: string } | null;
  survivor: MergePatient;
  merged: MergePatient;
};

/** Reads both records for a merge's A40, in the merge's transaction and before anything moves. */
export async function loadMergeSnapshot(
  tx: Queryable,
  input: { survivorId: string; mergedId: string; facilityId: string; operator: MergeSnapshot['operator'] },
): Promise<MergeSnapshot> {
  const rows = await sql(tx)<MergePatient & { facilityCode: string; facilityName: string }>(
    `SELECT p."id"::text AS "id", p."fullName", p."birthDate", p."sex"::text AS "sex", p."address", p."phone",
       COALESCE((SELECT json_agg(json_build_object('system', i."system", 'value', i."value") ORDER BY i."createdAt", i."id")
         FROM "PatientIdentifier" i WHERE i."patientId" = p."id" AND i."retiredAt" IS NULL
           AND (i."assigningFacilityId" IS NULL OR i."assigningFacilityId" = $3::uuid)), '[]') AS "identifiers",
       f."code" AS "facilityCode", f."name" AS "facilityName"
     FROM "Patient" p CROSS JOIN "Facility" f WHERE p."id" IN ($1::uuid, $2::uuid) AND f."id" = $3::uuid`,
    input.survivorId,
    input.mergedId,
    input.facilityId,
  );
  const take = (id: string): MergePatient => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new Error(`patient ${id} not found`);
    const { facilityCode: _c, facilityName: _n, ...patient } = row;
    return patient;
  };
  const facility = { code: rows[0]!.facilityCode, name: rows[0]!.facilityName };
  return {
    kind: 'merge',
    facility,
    operator: input.operator,
    survivor: take(input.survivorId),
    merged: take(input.mergedId),
  };
}

export function mergeIdentifier(p: MergePatient, system: string): string | null {
  return p.identifiers.find((i) => i.system === system)?.value ?? null;
}
