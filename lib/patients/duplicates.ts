import type { DbTx } from '../db/client';
import { normalizeVietnameseName, type IdentifierValue } from '../identity';

export type DuplicateCandidate = { id: string; fullName: string; birthDate: string; sex: 'M' | 'F' | null; address: string | null; identifiers: { system: string; value: string }[] };

/**
 * Likely the same person as a new patient about to be created: same Vietnamese-normalised name (tone marks
 * and đ ignored) and birth date (or year, when only the year is known), and no identifier of the same system
 * with a different value (a different CCCD means a different person).
 */
export async function findLikelyDuplicates(db: DbTx, input: { fullName: string; dateOfBirth: string }, scanned: IdentifierValue[]): Promise<DuplicateCandidate[]> {
  const normalizedName = normalizeVietnameseName(input.fullName);
  const year = Number(input.dateOfBirth.slice(0, 4));
  const rows = await db.patient.findMany({
    where: {
      normalizedName, birthYear: year, mergedIntoId: null,
      ...(input.dateOfBirth.length === 10 ? { birthDate: { in: [input.dateOfBirth, String(year)] } } : {}),
    },
    select: { id: true, fullName: true, birthDate: true, sex: true, address: true, identifiers: { where: { retiredAt: null }, select: { system: true, value: true } } },
    take: 10,
  });
  return rows.filter((p) => !scanned.some((s) => p.identifiers.some((i) => i.system === s.system && i.value !== s.value && s.system !== 'BHYT_CARD')));
}
