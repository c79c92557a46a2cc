/**
 * BHYT card numbers (spec §3): the 15-character card code `GG L PP NNNNNNNNNN`
 * (group, benefit level 1–5, issuing province, 10-digit mã số BHXH) and the 10-digit mã số BHXH
 * printed on new cards since 2021. No public check-digit algorithm exists for either — none is invented.
 */
import { makeWarning } from './messages';
import { maskIdentifier } from './identifiers';
import { compactTypedNumber, isNDigits, isUpperAsciiLetter } from './normalize';
import { lookupBhytGroup } from './bhyt-groups';
import { isKnownBhytProvinceCode } from './provinces';
import type { BenefitLevel, IdentityWarning } from './types';

/** Upper-case and strip spaces, dots and hyphens typed between groups: `hs4 33.0611-122233` → `HS4330611122233`. */
export function normalizeBhytCode(input: string): string {
  return compactTypedNumber(input.normalize('NFC'));
}

/** 10 ASCII digits (mã số BHXH). */
export function isValidBhxhNumber(value: string): boolean {
  return isNDigits(value, 10);
}

/** True when `value` has the card-code shape with any level digit: 2 upper-case letters + 13 digits. */
export function hasBhytCardShape(value: string): boolean {
  return (
    value.length === 15 &&
    isUpperAsciiLetter(value.charCodeAt(0)) &&
    isUpperAsciiLetter(value.charCodeAt(1)) &&
    isNDigits(value.slice(2), 13)
  );
}

/** Strict 15-character card code `^[A-Z]{2}[1-5]\d{12}$` (already normalised, upper case). */
export function isValidBhytCardCode(value: string): boolean {
  if (!hasBhytCardShape(value)) return false;
  const l = value.charCodeAt(2);
  return l >= 0x31 && l <= 0x35;
}

export function toBenefitLevel(s: string): BenefitLevel | undefined {
  if (s.length !== 1) return undefined;
  const n = s.charCodeAt(0) - 0x30;
  return n >= 1 && n <= 5 ? (n as BenefitLevel) : undefined;
}

export type DecodedBhytCardCode = {
  cardCode: string;
  groupCode: string;
  benefitLevel: BenefitLevel;
  provinceCode: string;
  /**
   * Last 10 digits. Equal to the mã số BHXH for cards issued since Aug 2017; temporary child/organ-donor
   * codes and pre-2017 codes have a different tail (spec §3.2), so treat it as a candidate.
   */
  bhxhNumber: string;
};

/** Decode a valid 15-character card code; undefined if it is not one (including a level outside 1–5). */
export function decodeBhytCardCode(code: string): DecodedBhytCardCode | undefined {
  if (!isValidBhytCardCode(code)) return undefined;
  return {
    cardCode: code,
    groupCode: code.slice(0, 2),
    benefitLevel: toBenefitLevel(code[2] ?? '') as BenefitLevel,
    provinceCode: code.slice(3, 5),
    bhxhNumber: code.slice(5),
  };
}

/**
 * A card code for lists: the group, benefit level and issuing province stay readable (the desk needs them: who pays,
 * how much, from where), the personal part is masked to its last 4 (`GD4585812345601` → `GD458******5601`).
 * Anything else (a bare mã số BHXH) is masked like any identifier.
 */
export function maskBhytCardCode(value: string): string {
  return isValidBhytCardCode(value) ? `${value.slice(0, 5)}${'*'.repeat(6)}${value.slice(11)}` : maskIdentifier(value);
}

/** Soft checks of a decoded card code: unknown group code, unknown province code (spec §3.7). */
export function bhytCardCodeWarnings(d: DecodedBhytCardCode): IdentityWarning[] {
  const warnings: IdentityWarning[] = [];
  if (!lookupBhytGroup(d.groupCode)) warnings.push(makeWarning('UNKNOWN_GROUP_CODE'));
  if (!isKnownBhytProvinceCode(d.provinceCode)) warnings.push(makeWarning('UNKNOWN_PROVINCE_CODE'));
  return warnings;
}
