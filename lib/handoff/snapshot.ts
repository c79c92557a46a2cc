import { sql, type Tx } from '../db/pg';

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
    visitType: 'OUTPATIENT' | 'EMERGENCY';
    payer: 'BHYT' | 'SELF_PAY';
    checkedInAt: Date;
    room: { code: string; name: string; department: string };
  };
  patient: {
    id: string;
    fullName: string;
    birthDate: string; // 'YYYY-MM-DD' or 'YYYY'
    sex: 'M' | 'F' | null;
    address: string | null;
    phone: string | null;
    /** active identifiers only (retired ones are history, not sent) */
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
  facilityCode: string; facilityName: string;
  id: string; number: string; status: string; visitType: 'OUTPATIENT' | 'EMERGENCY'; payer: 'BHYT' | 'SELF_PAY'; checkedInAt: Date;
  roomCode: string; roomName: string; department: string;
  patientId: string; fullName: string; birthDate: string; sex: 'M' | 'F' | null; address: string | null; phone: string | null;
  identifiers: { system: string; value: string }[] | null;
  coverage: NonNullable<HandoffSnapshot['coverage']> | null;
  operator: HandoffSnapshot['operator'];
};

/**
 * The snapshot's columns, over an encounter relation aliased `e` (the "Encounter" table, or a CTE that just
 * inserted one: the check-in's statement writes the snapshot with the encounter).
 */
export function snapshotSql(encounters: string): string {
  return `SELECT f."code" AS "facilityCode", f."name" AS "facilityName",
           e."id"::text AS "id", e."number", e."status"::text AS "status", e."visitType"::text AS "visitType", e."payer"::text AS "payer", e."checkedInAt",
           r."code" AS "roomCode", r."name" AS "roomName", r."department",
           p."id"::text AS "patientId", p."fullName", p."birthDate", p."sex"::text AS "sex", p."address", p."phone",
           (SELECT json_agg(json_build_object('system', i."system", 'value', i."value") ORDER BY i."createdAt", i."id")
              FROM "PatientIdentifier" i WHERE i."patientId" = p."id" AND i."retiredAt" IS NULL) AS "identifiers",
           CASE WHEN c."id" IS NULL THEN NULL ELSE json_build_object('cardCode', c."cardCode", 'bhxhNumber', c."bhxhNumber",
             'benefitLevel', c."benefitLevel", 'registeredFacility', c."registeredFacility", 'validFrom', c."validFrom", 'validTo', c."validTo") END AS "coverage",
           CASE WHEN u."id" IS NULL THEN NULL ELSE json_build_object('username', u."username", 'fullName', u."fullName") END AS "operator"
    FROM ${encounters} e
    JOIN "Facility" f ON f."id" = e."facilityId"
    JOIN "Room" r ON r."id" = e."roomId"
    JOIN "Patient" p ON p."id" = e."patientId"
    LEFT JOIN "Coverage" c ON c."id" = e."coverageId"
    LEFT JOIN "User" u ON u."id" = e."createdById"`;
}

/** The snapshot of one encounter as JSON (row form, as HandoffMessage.snapshot keeps it): an SQL expression. */
export function snapshotJsonSql(encounterId: string): string {
  return `(SELECT row_to_json(s)::jsonb FROM (${snapshotSql('"Encounter"')} WHERE e."id" = ${encounterId}) s)`;
}

/** The snapshot of one encounter, read now. */
export async function loadSnapshot(tx: Tx, encounterId: string): Promise<HandoffSnapshot> {
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
    patient: { id: e.patientId, fullName: e.fullName, birthDate: e.birthDate, sex: e.sex, address: e.address, phone: e.phone, identifiers: e.identifiers ?? [] },
    coverage: e.coverage,
    operator: e.operator,
  };
}

export function identifier(s: HandoffSnapshot, system: string): string | null {
  return s.patient.identifiers.find((i) => i.system === system)?.value ?? null;
}

/** Vietnam has no daylight saving: local time is always UTC+7. */
const VN_OFFSET_MS = 7 * 3600_000;

/** 'YYYYMMDDHHmmss' in Vietnamese local time. */
export function vnTimestamp(date: Date): string {
  return new Date(date.getTime() + VN_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** ISO 8601 with the +07:00 offset, for FHIR. */
export function vnIso(date: Date): string {
  return `${new Date(date.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}
