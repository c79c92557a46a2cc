import { prepared, sql, type Prepared, type Queryable } from '../db/pg';
import type { IdentifierValue } from '../identity';
import type { Sex } from '../codes';

export type StoredPatient = {
  id: string;
  fullName: string;
  birthDate: string;
  sex: Sex | null;
  address: string | null;
  phone: string | null;
  identifiers: { system: IdentifierValue['system']; value: string; retiredAt: string | null }[];
  /** The most recently updated BHYT coverage, if any. */
  latestCoverage: StoredCoverage | null;
};

export type StoredCoverage = {
  id: string;
  cardCode: string | null;
  bhxhNumber: string | null;
  benefitLevel: number | null;
  registeredFacility: string | null;
  validFrom: string | null;
  validTo: string | null;
  fiveYearsFrom: string | null;
};

export type PatientMatch =
  | { kind: 'none' }
  | { kind: 'one'; patient: StoredPatient; matchedBy: IdentifierValue['system'][] }
  | { kind: 'conflict'; patientIds: string[] }; // the card's identifiers belong to different records

type Row = Omit<StoredPatient, 'identifiers'> & {
  identifiers: StoredPatient['identifiers'] | null;
  mergedIntoId: string | null;
  matchedBy: IdentifierValue['system'][];
};

// One round trip for the patient, all their identifiers and their latest coverage: it runs in every check-in.
// `facility` is the parameter holding the caller's facility: another facility's hospital codes mean nothing here.
const columns = (
  facility: string,
) => `p.id::text AS id, p."fullName", p."birthDate", p.sex::text AS sex, p.address, p.phone, p."mergedIntoId"::text AS "mergedIntoId",
  (SELECT json_agg(json_build_object('system', i.system, 'value', i.value, 'retiredAt', i."retiredAt") ORDER BY i."createdAt", i.id)
     FROM "PatientIdentifier" i WHERE i."patientId" = p.id AND (i."assigningFacilityId" IS NULL OR i."assigningFacilityId" = ${facility}::uuid)) AS identifiers,
  (SELECT json_build_object('id', c.id, 'cardCode', c."cardCode", 'bhxhNumber', c."bhxhNumber", 'benefitLevel', c."benefitLevel",
       'registeredFacility', c."registeredFacility", 'validFrom', c."validFrom", 'validTo', c."validTo", 'fiveYearsFrom', c."fiveYearsFrom")
     FROM "Coverage" c WHERE c."patientId" = p.id ORDER BY c."updatedAt" DESC LIMIT 1) AS "latestCoverage"`;

const BY_ID = prepared(
  'patient-by-id',
  `SELECT ${columns('$2')}, ARRAY[]::text[] AS "matchedBy" FROM "Patient" p WHERE p.id = $1::uuid`,
);
/**
 * By the card's identifiers, as a VALUES list of exactly their number (one statement per count, made once): with
 * the row count known, PostgreSQL can reuse one plan instead of planning the look-up on every scan. $1 is the
 * caller's facility: a hospital code is looked up among that facility's codes only.
 */
const byIdentifiers = new Map<number, Prepared>();
function byIdentifiersStatement(count: number): Prepared {
  let statement = byIdentifiers.get(count);
  if (!statement) {
    const pairs = Array.from({ length: count }, (_, i) => `($${2 * i + 2}::text, $${2 * i + 3}::text)`).join(', ');
    statement = prepared(
      `patient-by-identifiers-${count}`,
      `SELECT ${columns('$1')}, array_agg(DISTINCT m.system::text) AS "matchedBy"
       FROM (VALUES ${pairs}) AS k(system, value)
       JOIN "PatientIdentifier" m ON m.system = k.system::"IdentifierSystem" AND m.value = k.value
         AND m."assigningFacilityId" IS NOT DISTINCT FROM (CASE WHEN k.system = 'HOSPITAL_CODE' THEN $1::uuid END)
       JOIN "Patient" p ON p.id = m."patientId"
       GROUP BY p.id`,
    );
    byIdentifiers.set(count, statement);
  }
  return statement;
}

function toPatient(row: Row): StoredPatient {
  const { mergedIntoId: _m, matchedBy: _b, ...rest } = row;
  return { ...rest, identifiers: row.identifiers ?? [] };
}

/** A patient by id, in the same shape as a match (e.g. after identifiers were added), as `facilityId` sees them. */
export async function loadPatient(db: Queryable, id: string, facilityId: string): Promise<StoredPatient> {
  const rows = await sql(db)<Row>(BY_ID, id, facilityId);
  if (!rows[0]) throw new Error(`patient ${id} not found`);
  return toPatient(rows[0]);
}

/**
 * Finds the patient by every identifier the scan carries (one indexed query). A merged record leads to its
 * survivor, so old numbers keep working. Two different patients behind one card is a conflict for staff.
 * A HOSPITAL_CODE is `facilityId`'s code (each facility numbers its own patients).
 */
export async function matchPatient(
  db: Queryable,
  identifiers: IdentifierValue[],
  facilityId: string,
): Promise<PatientMatch> {
  if (identifiers.length === 0) return { kind: 'none' };
  const rows = await sql(db)<Row>(
    byIdentifiersStatement(identifiers.length),
    facilityId,
    ...identifiers.flatMap((i) => [i.system, i.value]),
  );
  if (rows.length === 0) return { kind: 'none' };
  const byPatient = new Map<string, { patient: StoredPatient; systems: Set<IdentifierValue['system']> }>();
  for (const found of rows) {
    let row = found;
    for (let hops = 0; row.mergedIntoId && hops < 5; hops++) {
      const [next] = await sql(db)<Row>(BY_ID, row.mergedIntoId, facilityId);
      if (!next) break;
      row = next;
    }
    const entry = byPatient.get(row.id) ?? { patient: toPatient(row), systems: new Set() };
    for (const s of found.matchedBy) entry.systems.add(s);
    byPatient.set(row.id, entry);
  }
  if (byPatient.size > 1) return { kind: 'conflict', patientIds: [...byPatient.keys()] };
  const [only] = byPatient.values();
  return { kind: 'one', patient: only!.patient, matchedBy: [...only!.systems] };
}

/** A record as "the same person" links to it (the desk chose it among likely duplicates): the identifiers `facilityId` sees, and whether it was merged since. */
export type LinkTarget = { id: string; mergedIntoId: string | null; identifiers: { system: string; value: string }[] };

export async function loadLinkTarget(db: Queryable, id: string, facilityId: string): Promise<LinkTarget | null> {
  const [row] = await sql(db)<LinkTarget>(
    `SELECT p.id::text AS id, p."mergedIntoId"::text AS "mergedIntoId",
       COALESCE((SELECT json_agg(json_build_object('system', i.system, 'value', i.value)) FROM "PatientIdentifier" i
         WHERE i."patientId" = p.id AND (i."assigningFacilityId" IS NULL OR i."assigningFacilityId" = $2::uuid)), '[]') AS identifiers
     FROM "Patient" p WHERE p.id = $1::uuid`,
    id,
    facilityId,
  );
  return row ?? null;
}
