/** Soft (warning-only) checks shared by the QR readers: dates against "today", text damaged by scanners. */
import { addDays, compareDates, yearOf } from './dates';
import { makeWarning, type IdentityWarningCode } from './messages';
import { hasNonAscii, lostDiacritics, stripDiacritics } from './normalize';
import { personalIdWarnings } from './personal-id';
import type { IdentityWarning } from './types';
import type { Sex } from '../codes';

/** Maximum plausible age (spec §2.4). */
export const MAX_AGE_YEARS = 125;

export function birthDateWarnings(dob: string, today: string, out: IdentityWarning[]): void {
  if (compareDates(dob, today) > 0) out.push(makeWarning('BIRTH_DATE_IN_FUTURE'));
  else if (yearOf(today) - yearOf(dob) > MAX_AGE_YEARS) out.push(makeWarning('AGE_IMPLAUSIBLE'));
}

/** Issue date: not in the future (1 day of clock skew allowed, spec §1.4) and not before birth. */
export function issueDateWarnings(
  issued: string,
  dob: string | undefined,
  today: string,
  out: IdentityWarning[],
): void {
  if (compareDates(issued, addDays(today, 1)) > 0) out.push(makeWarning('ISSUE_DATE_IN_FUTURE'));
  if (dob !== undefined && compareDates(issued, dob) < 0) out.push(makeWarning('ISSUE_BEFORE_BIRTH'));
}

/** Name checks: `?`/U+FFFD from a keyboard-wedge scanner, or a name with no Vietnamese marks at all. */
export function nameWarnings(name: string, out: IdentityWarning[]): void {
  if (lostDiacritics(name)) out.push(makeWarning('NAME_DIACRITICS_LOST'));
  else if (!hasNonAscii(name)) out.push(makeWarning('NAME_WITHOUT_DIACRITICS'));
}

export function textWarnings(text: string, code: IdentityWarningCode, out: IdentityWarning[]): void {
  if (lostDiacritics(text)) out.push(makeWarning(code));
}

export type SexReading = { sex?: Sex; mangled: boolean };

/**
 * CCCD sex field: `Nam` / `Nữ` in any case, NFD or without diacritics (`NU`). A keyboard-wedge scanner
 * turns `Nữ` into `N?` — `Nam` is pure ASCII and cannot be damaged that way, so `N?`/`N??` reads as F.
 */
export function readSexText(raw: string): SexReading {
  const t = stripDiacritics(raw.trim()).toLowerCase();
  if (t === 'nam') return { sex: 'M', mangled: false };
  if (t === 'nu') return { sex: 'F', mangled: false };
  if (t === 'n?' || t === 'n??' || t === 'n\ufffd' || t === 'n\ufffd\ufffd') return { sex: 'F', mangled: true };
  return { mangled: false };
}

/**
 * A person's typed details (the new-patient form) against the personal ID that was typed or scanned: the same
 * soft rules as a scanned card (birth year and century, sex, a plausible age). Warnings only — the receptionist
 * confirms after checking the document. Shared by the desk form (as the receptionist types) and the check-in.
 */
export function typedPersonWarnings(
  personalId: string | undefined,
  dateOfBirth: string | undefined,
  sex: Sex | undefined,
  today: string,
): IdentityWarning[] {
  const out = personalId
    ? personalIdWarnings(personalId, dateOfBirth, sex).filter((w) => w.code !== 'UNKNOWN_PROVINCE_CODE')
    : [];
  if (dateOfBirth) birthDateWarnings(dateOfBirth, today, out);
  return out;
}
