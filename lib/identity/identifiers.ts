/** Identifier systems used by the database layer, and display masking. */
import type { Identity } from './types';
import { IDENTIFIER_SYSTEMS, isCode, type IdentifierSystem } from '../codes';

/** System of a stored patient identifier (lib/codes.ts). HOSPITAL_CODE is the hospital's own number (never parsed here). */
export { IDENTIFIER_SYSTEMS, type IdentifierSystem };

export type IdentifierValue = { system: IdentifierSystem; value: string };

export function isIdentifierSystem(value: unknown): value is IdentifierSystem {
  return isCode(IDENTIFIER_SYSTEMS, value);
}

/**
 * The identifiers an Identity carries, in lookup order (strongest first): PERSONAL_ID, CMND, BHYT_CARD,
 * BHXH_NUMBER. For an old 15-character card code the BHXH number is its last 10 digits (true for cards
 * issued since Aug 2017; temporary child codes differ — spec §3.2), so it is listed after the card code.
 */
export function identifierSystems(identity: Identity): IdentifierValue[] {
  const out: IdentifierValue[] = [];
  if (identity.personalId) out.push({ system: 'PERSONAL_ID', value: identity.personalId });
  if (identity.oldIdNumber) out.push({ system: 'CMND', value: identity.oldIdNumber });
  if (identity.bhyt?.cardCode) out.push({ system: 'BHYT_CARD', value: identity.bhyt.cardCode });
  if (identity.bhyt?.bhxhNumber) out.push({ system: 'BHXH_NUMBER', value: identity.bhyt.bhxhNumber });
  return out;
}

/**
 * Mask an identifier for lists: every character but the last `visible` (default 4) becomes `*`.
 * `'001095012345'` → `'********2345'`. Values no longer than `visible` are masked entirely, so a short
 * value is never shown in full. Counts Unicode code points.
 */
export function maskIdentifier(value: string, visible = 4): string {
  const chars = Array.from(value.trim());
  const keep = Number.isInteger(visible) && visible > 0 ? visible : 0;
  if (chars.length <= keep) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - keep) + chars.slice(chars.length - keep).join('');
}
