/**
 * BHYT card QR (paper card and VssID; spec §4). `|`-separated, `$` as the last field, text fields are hex of
 * UTF-8, dates dd/MM/yyyy (birth date may be year-only).
 *   0 card code (15 chars, old) or mã số BHXH (10 digits, new) | 1 hex name | 2 DOB | 3 sex 1/2 |
 *   4 hex address or '-' | 5 'PP - CCC' facility | 6 valid from | 7 valid to or '-' | 8 issue date |
 *   9 management code (4-digit office + BHXH number) | 10 guardian (plain text) or '-' | 11 code ('4') |
 *   12 5-years date or '-' (often with a leading space) | 13 checksum | 14 benefit level (new) |
 *   15 hex issue place (new) | '$'
 * Old layout: 15 parts incl. '$'; new layout: 17 parts incl. '$'. Short variants (9 fields without address,
 * 10 parts ending after the issue date) exist, origin UNCERTAIN: fields 0–3 are always positional, the
 * address is skipped when field 4 already has the facility shape, and the rest keeps its relative order.
 */
import { parseVnDate } from './dates';
import { hasBhytCardShape, decodeBhytCardCode, bhytCardCodeWarnings, toBenefitLevel } from './bhyt-code';
import { decodeHexUtf8, looksLikeHex } from './hex';
import { makeError, pushWarning, unrecognised, type IdentityWarningCode } from './messages';
import { cleanText, isNDigits, lostDiacritics } from './normalize';
import { birthDateWarnings, issueDateWarnings, nameWarnings } from './soft-checks';
import type { BhytInfo, Identity, IdentityResult, IdentityWarning } from './types';

/** Longest BHYT QR accepted (17 parts incl. '$' today; a few spare for future fields). */
export const BHYT_QR_MAX_FIELDS = 24;

/** Field 0 of a BHYT QR, normalised: trimmed and upper-cased (lower-case codes are accepted). */
export function bhytQrCode(parts: readonly string[]): string {
  return (parts[0] ?? '').trim().toUpperCase();
}

/** True when field 0 is a 10-digit mã số BHXH or a 15-character card code (any level digit). */
export function isBhytQrShape(parts: readonly string[]): boolean {
  const code = bhytQrCode(parts);
  return isNDigits(code, 10) || hasBhytCardShape(code);
}

/** `'79 - 034'`, `'79 – 034'`, `'79034'`, `'01 - C12'` → 5 characters; undefined if not that shape. */
export function readFacilityCode(raw: string): string | undefined {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x20 || c === 0x2d || c === 0x2013 || c === 0x2014 || c === 0x09 || c === 0xa0) continue;
    out += c >= 0x61 && c <= 0x7a ? String.fromCharCode(c - 0x20) : raw[i];
    if (out.length > 5) return undefined;
  }
  if (out.length !== 5 || !isNDigits(out.slice(0, 2), 2)) return undefined;
  for (let i = 2; i < 5; i++) {
    const c = out.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a))) return undefined;
  }
  return out;
}

/** '' and '-' both mean "nothing printed". */
function isBlank(t: string): boolean {
  return t === '' || t === '-';
}

type TextRead = { value?: string; hexFailed: boolean };

/**
 * A hex-encoded text field. Valid hex of UTF-8 → decoded NFC text. Hex-looking but undecodable (odd length,
 * invalid UTF-8, control bytes) → raw text kept, flagged. Not hex at all → taken as plain text (some
 * generators and the guardian field use plain text).
 */
function readHexText(raw: string | undefined): TextRead {
  const t = (raw ?? '').trim();
  if (isBlank(t)) return { hexFailed: false };
  if (looksLikeHex(t)) {
    const decoded = decodeHexUtf8(t);
    if (decoded !== undefined) {
      const v = cleanText(decoded);
      return v === '' ? { hexFailed: false } : { value: v, hexFailed: false };
    }
    return { value: t, hexFailed: true };
  }
  const v = cleanText(t);
  return v === '' ? { hexFailed: false } : { value: v, hexFailed: false };
}

type DateField = { ok: true; value?: string | null } | { ok: false };

/** Date field: '' → absent, '-' → null when `dashIsNull`, else a dd/MM/yyyy date (leading spaces tolerated). */
function readDateField(raw: string | undefined, dashIsNull: boolean): DateField {
  const t = (raw ?? '').trim();
  if (t === '') return { ok: true };
  if (t === '-') return dashIsNull ? { ok: true, value: null } : { ok: true };
  const d = parseVnDate(t, false);
  return d.ok ? { ok: true, value: d.value } : { ok: false };
}

export function parseBhytQr(parts: readonly string[], hadTerminator: boolean, today: string): IdentityResult {
  const n = parts.length;
  // Without the '$' terminator, accept only when enough fields are present to be sure (spec §4.4).
  if (n < (hadTerminator ? 4 : 8)) return { ok: false, error: makeError('TRUNCATED') };
  if (n > BHYT_QR_MAX_FIELDS) return { ok: false, error: unrecognised() };

  const warnings: IdentityWarning[] = [];
  const bhyt: BhytInfo = {};
  const identity: Identity = { kind: 'BHYT_QR' };
  identity.variant = n === 14 ? 'BHYT_OLD' : n === 16 ? 'BHYT_NEW' : 'UNKNOWN';
  if (identity.variant === 'UNKNOWN') pushWarning(warnings, 'VARIANT_UNKNOWN');

  const code = bhytQrCode(parts);
  if (code.length === 15) {
    const decoded = decodeBhytCardCode(code);
    if (!decoded) return { ok: false, error: makeError('BAD_BENEFIT_LEVEL') };
    bhyt.cardCode = decoded.cardCode;
    bhyt.bhxhNumber = decoded.bhxhNumber;
    bhyt.groupCode = decoded.groupCode;
    bhyt.benefitLevel = decoded.benefitLevel; // old cards: level is character 3 of the code
    bhyt.provinceCode = decoded.provinceCode;
    for (const w of bhytCardCodeWarnings(decoded)) pushWarning(warnings, w.code as IdentityWarningCode);
  } else {
    bhyt.bhxhNumber = code;
  }

  const name = readHexText(parts[1]);
  if (name.value === undefined) pushWarning(warnings, 'MISSING_NAME');
  else {
    identity.fullName = name.value;
    if (name.hexFailed) pushWarning(warnings, 'UNDECODABLE_HEX');
    else nameWarnings(name.value, warnings);
  }

  const dob = parseVnDate(parts[2] ?? '', true);
  if (!dob.ok) return { ok: false, error: makeError('INVALID_DATE', 'ngày sinh') };
  identity.dateOfBirth = dob.value;
  birthDateWarnings(dob.value, today, warnings);

  const sex = (parts[3] ?? '').trim();
  if (sex === '1') identity.sex = 'M';
  else if (sex === '2') identity.sex = 'F';
  else pushWarning(warnings, 'UNKNOWN_SEX');

  // Short variant without the address: field 4 already holds the facility.
  const offset = readFacilityCode(parts[4] ?? '') !== undefined ? -1 : 0;
  const at = (k: number): string | undefined => parts[k + offset];

  if (offset === 0) {
    // On DN/HC cards this is often the employer's name; new cards usually carry '-'.
    const address = readHexText(parts[4]);
    if (address.value !== undefined) {
      identity.address = address.value;
      if (address.hexFailed) pushWarning(warnings, 'UNDECODABLE_HEX');
      else if (lostDiacritics(address.value)) pushWarning(warnings, 'ADDRESS_DIACRITICS_LOST');
    }
  }

  const facilityRaw = (at(5) ?? '').trim();
  if (!isBlank(facilityRaw)) {
    const facility = readFacilityCode(facilityRaw);
    if (facility !== undefined) bhyt.registeredFacility = facility;
    else pushWarning(warnings, 'BAD_FACILITY_CODE');
  }

  const from = readDateField(at(6), false);
  if (!from.ok) return { ok: false, error: makeError('INVALID_DATE', 'giá trị từ ngày') };
  if (typeof from.value === 'string') bhyt.validFrom = from.value;

  const to = readDateField(at(7), true);
  if (!to.ok) return { ok: false, error: makeError('INVALID_DATE', 'giá trị đến ngày') };
  if (to.value !== undefined) bhyt.validTo = to.value;
  if (bhyt.validFrom !== undefined && typeof bhyt.validTo === 'string' && bhyt.validFrom > bhyt.validTo) {
    pushWarning(warnings, 'VALIDITY_RANGE_INVALID');
  }

  const issued = readDateField(at(8), false);
  if (!issued.ok) return { ok: false, error: makeError('INVALID_DATE', 'ngày cấp thẻ') };
  if (typeof issued.value === 'string') {
    bhyt.issuedOn = issued.value;
    issueDateWarnings(issued.value, identity.dateOfBirth, today, warnings);
  }

  // Management code: observed as 4-digit BHXH office + the 10-digit BHXH number (LIKELY rule, spec §4.4).
  // It is only checked when it has that 14-digit shape; it is not exposed.
  const mgmt = (at(9) ?? '').trim();
  if (isNDigits(mgmt, 14) && bhyt.bhxhNumber !== undefined && !mgmt.endsWith(bhyt.bhxhNumber)) {
    pushWarning(warnings, 'MANAGEMENT_CODE_MISMATCH');
  }

  // Guardian (children's cards): plain text in every sample; hex is accepted too in case a generator
  // encodes it like the other text fields (UNCERTAIN).
  const guardian = readHexText(at(10));
  if (guardian.value !== undefined) {
    bhyt.guardianName = guardian.value;
    if (guardian.hexFailed) pushWarning(warnings, 'UNDECODABLE_HEX');
    else if (lostDiacritics(guardian.value)) pushWarning(warnings, 'GUARDIAN_DIACRITICS_LOST');
  }

  // Field 11 ('4' in every sample): meaning UNCERTAIN (one HIS maps 4/5/6/7 to none/K1/K2/K3). Not exposed.

  const five = readDateField(at(12), true);
  if (!five.ok) return { ok: false, error: makeError('INVALID_DATE', 'thời điểm đủ 5 năm liên tục') };
  if (five.value !== undefined) bhyt.fiveYearsFrom = five.value;

  // Field 13: checksum; algorithm UNKNOWN, never validated.

  // Field 14: benefit level on new cards (LIKELY: the only plausible position since QĐ 1666 prints it
  // separately). When the code also carries a level (old 15-char code), the code wins and a difference warns.
  const levelRaw = (at(14) ?? '').trim();
  if (!isBlank(levelRaw)) {
    const level = toBenefitLevel(levelRaw);
    if (level === undefined) return { ok: false, error: makeError('BAD_BENEFIT_LEVEL') };
    if (bhyt.benefitLevel === undefined) bhyt.benefitLevel = level;
    else if (bhyt.benefitLevel !== level) pushWarning(warnings, 'BENEFIT_LEVEL_MISMATCH');
  }

  // Field 15: "nơi cấp, đổi thẻ" (district + province of the issuing BHXH office), hex (LIKELY).
  const place = readHexText(at(15));
  if (place.value !== undefined) {
    bhyt.issuePlace = place.value;
    if (place.hexFailed) pushWarning(warnings, 'UNDECODABLE_HEX');
  }

  identity.bhyt = bhyt;
  return { ok: true, identity, warnings };
}
