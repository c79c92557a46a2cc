import { sql, type Queryable } from '../db/pg';
import { normalizeVietnameseName, type IdentifierValue } from '../identity';
import type { Sex } from '../codes';

/** Internal: the desk gets these only as masked summaries (lib/encounters/candidates.ts). */
export type DuplicateCandidate = {
  id: string;
  fullName: string;
  birthDate: string;
  sex: Sex | null;
  identifiers: IdentifierValue[];
};

/**
 * Likely the same person as a new patient about to be created: same Vietnamese-normalised name (tone marks
 * and đ ignored) and birth date (or year, when only the year is known), and no identifier of the same system
 * with a different value (a different CCCD means a different person).
 */
export async function findLikelyDuplicates(
  db: Queryable,
  input: { fullName: string; dateOfBirth: string },
  scanned: IdentifierValue[],
): Promise<DuplicateCandidate[]> {
  const normalizedName = normalizeVietnameseName(input.fullName);
  const year = Number(input.dateOfBirth.slice(0, 4));
  const rows = await sql(db)<DuplicateCandidate & { identifiers: DuplicateCandidate['identifiers'] | null }>(
    `SELECT p.id::text AS id, p."fullName", p."birthDate", p.sex::text AS sex,
       (SELECT json_agg(json_build_object('system', i.system, 'value', i.value)) FROM "PatientIdentifier" i
         WHERE i."patientId" = p.id AND i."retiredAt" IS NULL) AS identifiers
     FROM "Patient" p
     WHERE p."normalizedName" = $1 AND p."birthYear" = $2 AND p."mergedIntoId" IS NULL AND ($3::text[] IS NULL OR p."birthDate" = ANY($3::text[]))
     LIMIT 10`,
    normalizedName,
    year,
    input.dateOfBirth.length === 10 ? [input.dateOfBirth, String(year)] : null,
  );
  return rows
    .map((p) => ({ ...p, identifiers: p.identifiers ?? [] }))
    .filter(
      (p) =>
        !scanned.some((s) =>
          p.identifiers.some((i) => i.system === s.system && i.value !== s.value && s.system !== 'BHYT_CARD'),
        ),
    );
}

/**
 * A likely duplicate that carries one of the scanned numbers is not another record of the person: it is that very
 * person, created at another desk or kiosk between the caller's match and its duplicate search. Match again.
 */
export function carriesScanned(candidates: DuplicateCandidate[], scanned: IdentifierValue[]): boolean {
  return candidates.some((c) =>
    c.identifiers.some((i) => scanned.some((s) => s.system === i.system && s.value === i.value)),
  );
}
