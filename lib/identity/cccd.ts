/**
 * CCCD chip-card QR (2021, 7 fields) and Căn cước QR (from 1 Jul 2024, 11 fields) — spec §1.2:
 *   0 personal ID | 1 CMND 9 số or '' | 2 name | 3 DOB ddMMyyyy | 4 Nam/Nữ | 5 address | 6 issue date | 7–10 ''
 * Plain UTF-8 text, no terminator. 6–12 fields are accepted defensively; other counts give variant UNKNOWN.
 * VNeID: a CCCD/Căn cước shown inside VNeID carries this same payload (spec §5, LIKELY) and is read here;
 * the payload does not say whether it came from the card or the phone.
 */
import { parseVnDate } from './dates';
import { makeError, makeWarning } from './messages';
import { cleanText, isNDigits } from './normalize';
import { personalIdWarnings } from './personal-id';
import { birthDateWarnings, issueDateWarnings, nameWarnings, readSexText, textWarnings } from './soft-checks';
import type { Identity, IdentityResult, IdentityWarning } from './types';

export const CCCD_MIN_FIELDS = 6;
export const CCCD_MAX_FIELDS = 12;

/** True when a `|`-split payload starts like a CCCD/Căn cước QR: field 0 is 12 digits (count checked when parsing). */
export function isCccdShape(parts: readonly string[]): boolean {
  return isNDigits((parts[0] ?? '').trim(), 12);
}

/**
 * The rare "CCCD-style payload carrying only a 9-digit number" (spec §0, UNCERTAIN whether it occurs):
 * field 0 is 9 digits and field 3 reads as a date. Parsed with the same layout; no personal ID.
 */
export function isCmndOnlyShape(parts: readonly string[]): boolean {
  return (
    parts.length >= CCCD_MIN_FIELDS &&
    parts.length <= CCCD_MAX_FIELDS &&
    isNDigits((parts[0] ?? '').trim(), 9) &&
    parseVnDate(parts[3] ?? '', false).ok
  );
}

export function parseCccdQr(parts: readonly string[], today: string): IdentityResult {
  const n = parts.length;
  if (n < CCCD_MIN_FIELDS) return { ok: false, error: makeError('TRUNCATED') };
  if (n > CCCD_MAX_FIELDS) return { ok: false, error: makeError('UNRECOGNISED') };
  const warnings: IdentityWarning[] = [];
  // 7 fields = 2021 chip CCCD, 11 = Căn cước 2024+. Which data fill fields 7–10 is UNCERTAIN (parents'
  // names, cancelled IDs…); they are ignored and never required.
  const identity: Identity = {
    kind: 'CCCD_QR',
    variant: n === 7 ? 'CCCD_2021' : n === 11 ? 'CAN_CUOC_2024' : 'UNKNOWN',
  };
  if (identity.variant === 'UNKNOWN') warnings.push(makeWarning('VARIANT_UNKNOWN'));

  const f0 = (parts[0] ?? '').trim();
  if (isNDigits(f0, 12)) identity.personalId = f0;
  else {
    identity.oldIdNumber = f0; // 9-digit CMND-only variant (isCmndOnlyShape)
    warnings.push(makeWarning('CMND_ONLY_QR'));
  }

  const f1 = (parts[1] ?? '').trim();
  if (f1 !== '') {
    if (isNDigits(f1, 9) && identity.personalId !== undefined) identity.oldIdNumber = f1;
    else if (f1 !== identity.personalId) {
      // 10–12 digits are seen in some parsers (12-digit CMND of TT 27/2012, or a cancelled ID). Not a
      // 9-digit CMND, so not stored as oldIdNumber; the receptionist is told. A 12-digit CMND equal to the
      // personal ID is the same number and is dropped silently.
      warnings.push(makeWarning('OLD_ID_UNUSUAL'));
    }
  }

  const name = cleanText(parts[2] ?? '');
  if (name === '') warnings.push(makeWarning('MISSING_NAME'));
  else {
    identity.fullName = name;
    nameWarnings(name, warnings);
  }

  // Year-only accepted defensively (UNCERTAIN: cards of people with unknown birth dates may print only the year).
  const dob = parseVnDate(parts[3] ?? '', true);
  if (!dob.ok) return { ok: false, error: makeError('INVALID_DATE', 'ngày sinh') };
  identity.dateOfBirth = dob.value;
  birthDateWarnings(dob.value, today, warnings);

  const sex = readSexText(parts[4] ?? '');
  if (sex.sex) identity.sex = sex.sex;
  else warnings.push(makeWarning('UNKNOWN_SEX'));
  if (sex.mangled && !warnings.some((w) => w.code === 'NAME_DIACRITICS_LOST')) {
    warnings.push(makeWarning('NAME_DIACRITICS_LOST'));
  }

  // Address: 4-level (before Jul 2025) or 2-level (after) — kept as one string, never split by position.
  const address = cleanText(parts[5] ?? '');
  if (address !== '') {
    identity.address = address;
    textWarnings(address, 'ADDRESS_DIACRITICS_LOST', warnings);
  }

  const issuedRaw = (parts[6] ?? '').trim();
  if (issuedRaw !== '') {
    const issued = parseVnDate(issuedRaw, false);
    if (!issued.ok) return { ok: false, error: makeError('INVALID_DATE', 'ngày cấp') };
    identity.issuedOn = issued.value;
    issueDateWarnings(issued.value, identity.dateOfBirth, today, warnings);
  }

  if (identity.personalId !== undefined) {
    warnings.push(...personalIdWarnings(identity.personalId, identity.dateOfBirth, identity.sex));
  }
  return { ok: true, identity, warnings };
}
