import { randomUUID } from 'node:crypto';
import { namedParameters, prepared, sql, type Queryable } from '../db/pg';
import { normalizeVietnameseName, type IdentifierValue } from '../identity';
import type { NewPatient } from './schemas';

/** The parameters `newPatientCtes` reads, by name (`newPatientValues` gives their values). */
export const NEW_PATIENT_PARAMETERS = [
  'fullName',
  'normalizedName',
  'birthDate',
  'birthYear',
  'sex',
  'address',
  'phone',
  'identifierSystems',
  'identifierValues',
] as const;
type NewPatientParameter = (typeof NEW_PATIENT_PARAMETERS)[number];

/**
 * CTEs (to go after `WITH`) that create a patient with the given id and their identifiers (a HOSPITAL_CODE as
 * `facility`'s), inside a larger statement: `new_patient` and `new_identifiers` (both RETURNING *). `id` and
 * `facility` are SQL (e.g. `$2::uuid`: the id is made by the caller, so the rest of the statement can refer to the
 * patient), `$` the placeholders of `NEW_PATIENT_PARAMETERS` (`namedParameters`). A unique violation on an
 * identifier means someone created that person first: the whole statement fails, and the caller runs again and
 * finds them.
 */
export function newPatientCtes(
  id: string,
  facility: string,
  $: { readonly [N in NewPatientParameter]: string },
): string {
  return `new_patient AS (
     INSERT INTO "Patient" (id, "fullName", "normalizedName", "birthDate", "birthYear", sex, address, phone, "updatedAt")
     VALUES (${id}, ${$.fullName}, ${$.normalizedName}, ${$.birthDate}, ${$.birthYear}::smallint, ${$.sex}::"Sex", ${$.address}, ${$.phone}, now())
     RETURNING *),
   new_identifiers AS (
     INSERT INTO "PatientIdentifier" ("patientId", system, value, "assigningFacilityId")
     SELECT p.id, k.system::"IdentifierSystem", k.value, CASE WHEN k.system = 'HOSPITAL_CODE' THEN ${facility} END
     FROM new_patient p, unnest(${$.identifierSystems}::text[], ${$.identifierValues}::text[]) AS k(system, value)
     RETURNING *)`;
}

export function newPatientValues(
  input: NewPatient,
  identifiers: IdentifierValue[],
): { [N in NewPatientParameter]: unknown } {
  return {
    fullName: input.fullName,
    normalizedName: normalizeVietnameseName(input.fullName),
    birthDate: input.dateOfBirth,
    birthYear: Number(input.dateOfBirth.slice(0, 4)),
    sex: input.sex,
    address: input.address ?? null,
    phone: input.phone ?? null,
    identifierSystems: identifiers.map((i) => i.system),
    identifierValues: identifiers.map((i) => i.value),
  };
}

const CREATE = namedParameters(['id', 'facilityId']);
const CREATE_NEW = namedParameters(NEW_PATIENT_PARAMETERS, CREATE.next);
const CREATE_PATIENT = prepared(
  'patient-create',
  `WITH ${newPatientCtes(`${CREATE.$.id}::uuid`, `${CREATE.$.facilityId}::uuid`, CREATE_NEW.$)} SELECT id::text AS id FROM new_patient`,
);

/** Creates a patient with their identifiers (one statement). A unique violation: someone else created them first; the caller retries. */
export async function createPatient(
  tx: Queryable,
  input: NewPatient,
  identifiers: IdentifierValue[],
  facilityId: string,
): Promise<{ id: string }> {
  const [patient] = await sql(tx)<{ id: string }>(
    CREATE_PATIENT,
    ...CREATE.values({ id: randomUUID(), facilityId }),
    ...CREATE_NEW.values(newPatientValues(input, identifiers)),
  );
  return patient!;
}

/** The identifiers a card carries that the record lacks (e.g. a new BHYT card). */
export function missingIdentifiers(
  stored: { system: string; value: string }[],
  scanned: IdentifierValue[],
): IdentifierValue[] {
  return scanned.filter((s) => !stored.some((x) => x.system === s.system && x.value === s.value));
}

/** Adds the identifiers the record lacks (a HOSPITAL_CODE as `facilityId`'s). Ones owned by someone else are skipped. */
export async function addMissingIdentifiers(
  tx: Queryable,
  patientId: string,
  stored: { system: string; value: string }[],
  scanned: IdentifierValue[],
  facilityId: string,
): Promise<number> {
  const missing = missingIdentifiers(stored, scanned);
  if (missing.length === 0) return 0;
  const added = await sql(tx)<{ id: string }>(
    `INSERT INTO "PatientIdentifier" ("patientId", system, value, "assigningFacilityId")
     SELECT $1::uuid, k.system::"IdentifierSystem", k.value, CASE WHEN k.system = 'HOSPITAL_CODE' THEN $4::uuid END
     FROM unnest($2::text[], $3::text[]) AS k(system, value)
     ON CONFLICT DO NOTHING RETURNING id::text AS id`,
    patientId,
    missing.map((m) => m.system),
    missing.map((m) => m.value),
    facilityId,
  );
  return added.length;
}

/**
 * A patient created from the manual form (no identifiers) since `since` with this name, birth date and sex: a
 * form sent twice must not make two records.
 */
export async function recentManualTwin(db: Queryable, input: NewPatient, since: Date): Promise<{ id: string } | null> {
  const [twin] = await sql(db)<{ id: string }>(
    `SELECT p.id::text AS id FROM "Patient" p
     WHERE p."normalizedName" = $1 AND p."birthDate" = $2 AND p.sex = $3::"Sex" AND p."createdAt" >= $4
       AND NOT EXISTS (SELECT 1 FROM "PatientIdentifier" i WHERE i."patientId" = p.id) LIMIT 1`,
    normalizeVietnameseName(input.fullName),
    input.dateOfBirth,
    input.sex,
    since,
  );
  return twin ?? null;
}
