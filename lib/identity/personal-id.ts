/**
 * Personal ID number (số định danh cá nhân, 12 digits: PPP G YY RRRRRR, spec §2) and old 9-digit CMND.
 * Structure is CONFIRMED for existing numbers but UNCERTAIN as a guarantee for future numbers
 * (NĐ 70/2024 no longer restates it), so everything beyond "12 ASCII digits" is soft validation.
 * No check digit exists (spec §2.4).
 */
import { makeWarning } from './messages';
import { isNDigits } from './normalize';
import { isKnownIdPrefix, isForeignRegistrationCode, lookupProvince, type Province } from './provinces';
import { yearOf } from './dates';
import type { IdentityWarning } from './types';
import type { Sex } from '../codes';

/** 12 ASCII digits. The only hard rule for a personal ID. */
export function isValidPersonalId(value: string): boolean {
  return isNDigits(value, 12);
}

/** 9 ASCII digits (old CMND). No check digit or structure is validated (spec §2.5). */
export function isValidCmnd(value: string): boolean {
  return isNDigits(value, 9);
}

export type DecodedPersonalId = {
  /** First 3 digits: birth-registration province ('001'–'096') or country code ('101'–'295'). */
  prefix: string;
  province?: Province;
  registeredAbroad: boolean;
  /** False when the prefix is neither a known province nor in the country-code range. */
  knownPrefix: boolean;
  sex: Sex;
  /** Century + YY; the century digit covers 1900–2399. */
  birthYear: number;
};

/** Decode the structure of a valid 12-digit personal ID; undefined if `value` is not 12 digits. */
export function decodePersonalId(value: string): DecodedPersonalId | undefined {
  if (!isValidPersonalId(value)) return undefined;
  const prefix = value.slice(0, 3);
  const g = value.charCodeAt(3) - 0x30;
  const yy = Number(value.slice(4, 6));
  const province = lookupProvince(prefix);
  const out: DecodedPersonalId = {
    prefix,
    registeredAbroad: isForeignRegistrationCode(prefix),
    knownPrefix: isKnownIdPrefix(prefix),
    sex: g % 2 === 0 ? 'M' : 'F',
    birthYear: 1900 + Math.floor(g / 2) * 100 + yy,
  };
  if (province) out.province = province;
  return out;
}

/**
 * Soft checks of a personal ID against the payload's birth date and sex (spec §1.4, §2.4): unknown
 * prefix, century/YY vs birth year, century-sex digit vs sex. Mismatches are warnings (data corrections
 * exist; a hospital must not turn a patient away on this).
 */
export function personalIdWarnings(personalId: string, dateOfBirth?: string, sex?: Sex): IdentityWarning[] {
  const d = decodePersonalId(personalId);
  if (!d) return [];
  const warnings: IdentityWarning[] = [];
  if (!d.knownPrefix) warnings.push(makeWarning('UNKNOWN_PROVINCE_CODE'));
  if (dateOfBirth !== undefined && yearOf(dateOfBirth) !== d.birthYear) {
    warnings.push(makeWarning('ID_BIRTH_YEAR_MISMATCH'));
  }
  if (sex !== undefined && sex !== d.sex) warnings.push(makeWarning('ID_SEX_MISMATCH'));
  return warnings;
}
