import { namedParameters, prepared, sql, type Queryable } from '../db/pg';
import type { BhytInfo } from '../identity';
import type { StoredCoverage } from '../patients/match';

/** What a BHYT card says, as the parameters of the statements below (`cardValues` gives their values). */
export const CARD_PARAMETERS = [
  'cardCode',
  'bhxhNumber',
  'benefitLevel',
  'registeredFacility',
  'validFrom',
  'validTo',
  'fiveYearsFrom',
] as const;
type CardParameter = (typeof CARD_PARAMETERS)[number];

/** A card's fields, null where it says nothing. */
export function cardValues(card: BhytInfo | undefined): { [N in CardParameter]: unknown } {
  return {
    cardCode: card?.cardCode ?? null,
    bhxhNumber: card?.bhxhNumber ?? null,
    benefitLevel: card?.benefitLevel ?? null,
    registeredFacility: card?.registeredFacility ?? null,
    validFrom: card?.validFrom ?? null,
    validTo: card?.validTo ?? null,
    fiveYearsFrom: card?.fiveYearsFrom ?? null,
  };
}

/**
 * A CTE (to go after `WITH`) that stores the card as the coverage of the patient of `patients` (a CTE of one row,
 * e.g. `new_patient` from lib/patients/create.ts) with the id `$.id`, unless that id is null: `new_coverage`
 * (RETURNING *).
 */
export function newCoverageCte(patients: string, $: { readonly [N in CardParameter | 'id']: string }): string {
  return `new_coverage AS (
     INSERT INTO "Coverage" (id, "patientId", "cardCode", "bhxhNumber", "benefitLevel", "registeredFacility", "validFrom", "validTo", "fiveYearsFrom", "updatedAt")
     SELECT ${$.id}::uuid, p.id, ${$.cardCode}::text, ${$.bhxhNumber}::text, ${$.benefitLevel}::smallint, ${$.registeredFacility}::text, ${$.validFrom}::text, ${$.validTo}::text, ${$.fiveYearsFrom}::text, now() FROM ${patients} p WHERE ${$.id}::uuid IS NOT NULL
     RETURNING *)`;
}

const UPSERT = namedParameters(['patientId', ...CARD_PARAMETERS]);
const { $ } = UPSERT;
// Update: keep what the card did not carry (a typed BHXH number has no validity dates); a new card code
// needs verifying again.
const UPSERT_COVERAGE = prepared(
  'coverage-upsert',
  `WITH existing AS (
     SELECT id, "cardCode" FROM "Coverage" WHERE "patientId" = ${$.patientId}::uuid AND ("cardCode" = ${$.cardCode} OR "bhxhNumber" = ${$.bhxhNumber})
     ORDER BY "updatedAt" DESC LIMIT 1),
   upd AS (
     UPDATE "Coverage" c SET "cardCode" = COALESCE(${$.cardCode}, c."cardCode"), "bhxhNumber" = COALESCE(${$.bhxhNumber}, c."bhxhNumber"),
       "benefitLevel" = COALESCE(${$.benefitLevel}, c."benefitLevel"), "registeredFacility" = COALESCE(${$.registeredFacility}, c."registeredFacility"),
       "validFrom" = COALESCE(${$.validFrom}, c."validFrom"), "validTo" = COALESCE(${$.validTo}, c."validTo"), "fiveYearsFrom" = COALESCE(${$.fiveYearsFrom}, c."fiveYearsFrom"),
       verification = CASE WHEN ${$.cardCode} IS NOT NULL AND existing."cardCode" IS DISTINCT FROM ${$.cardCode} THEN 'UNVERIFIED' ELSE c.verification END,
       "verifiedAt" = CASE WHEN ${$.cardCode} IS NOT NULL AND existing."cardCode" IS DISTINCT FROM ${$.cardCode} THEN NULL ELSE c."verifiedAt" END,
       "updatedAt" = now()
     FROM existing WHERE c.id = existing.id RETURNING c.id),
   ins AS (
     INSERT INTO "Coverage" ("patientId", "cardCode", "bhxhNumber", "benefitLevel", "registeredFacility", "validFrom", "validTo", "fiveYearsFrom", "updatedAt")
     SELECT ${$.patientId}::uuid, ${$.cardCode}, ${$.bhxhNumber}, ${$.benefitLevel}, ${$.registeredFacility}, ${$.validFrom}, ${$.validTo}, ${$.fiveYearsFrom}, now() WHERE NOT EXISTS (SELECT 1 FROM existing) RETURNING id)
   SELECT id::text AS id FROM upd UNION ALL SELECT id::text FROM ins`,
);

/** True when the card says nothing that the stored coverage does not already say: storing it would change nothing. */
export function cardAlreadyStored(stored: StoredCoverage | null, card: BhytInfo | undefined): boolean {
  if (!card?.cardCode && !card?.bhxhNumber) return true;
  if (!stored) return false;
  // What the card leaves out (undefined) or prints as '-' (null) keeps the stored value, as in the upsert.
  const kept = (scanned: string | number | null | undefined, value: string | number | null) =>
    scanned === undefined || scanned === null || scanned === value;
  return (
    kept(card.cardCode, stored.cardCode) &&
    kept(card.bhxhNumber, stored.bhxhNumber) &&
    kept(card.benefitLevel, stored.benefitLevel) &&
    kept(card.registeredFacility, stored.registeredFacility) &&
    kept(card.validFrom, stored.validFrom) &&
    kept(card.validTo, stored.validTo) &&
    kept(card.fiveYearsFrom, stored.fiveYearsFrom)
  );
}

/**
 * Fills or refreshes the patient's BHYT coverage from the card that was scanned or typed (one round trip) and
 * returns the coverage's id; without a card code or BHXH number, the patient's latest coverage (no round trip).
 */
export async function storeCoverage(
  db: Queryable,
  patient: { id: string; latestCoverage: { id: string } | null },
  card: BhytInfo | undefined,
): Promise<string | null> {
  if (!card?.cardCode && !card?.bhxhNumber) return patient.latestCoverage?.id ?? null;
  const [row] = await sql(db)<{ id: string }>(
    UPSERT_COVERAGE,
    ...UPSERT.values({ patientId: patient.id, ...cardValues(card) }),
  );
  return row!.id;
}
