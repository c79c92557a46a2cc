/**
 * Numbers typed (or scanned from a barcode) without `|` (spec §0, §2, §3.7):
 *   12 digits → personal ID (also usable as BHYT identifier at the gateway — same person lookup),
 *   9 digits → old CMND, 10 digits → mã số BHXH (may collide with a hospital's own 10-digit number;
 *   that choice belongs to the caller), 15 characters → old-style BHYT card code.
 * Spaces, dots and hyphens between groups are removed first, letters upper-cased.
 */
import { decodeBhytCardCode, bhytCardCodeWarnings, hasBhytCardShape } from './bhyt-code';
import { yearOf } from './dates';
import { makeError, makeWarning, unrecognised } from './messages';
import { compactTypedNumber, isDigits, isUpperAsciiLetter } from './normalize';
import { decodePersonalId } from './personal-id';
import { MAX_AGE_YEARS } from './soft-checks';
import type { IdentityResult, IdentityWarning } from './types';

/** A URL, a JWT-like token, base64 — something a VNeID or other app shows that cannot be read offline. */
function looksOpaque(s: string): boolean {
  const lower = s.slice(0, 8).toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://') || lower.startsWith('www.')) return true;
  if (s.indexOf('://') >= 0) return true;
  if (s.length >= 20 && s.indexOf(' ') < 0) return true; // long unbroken token / base64 / JWT
  return false;
}

/** Longer than any number a person types, even with separators; such input skips the number paths. */
const MAX_TYPED_LENGTH = 64;

export function parseTypedNumber(s: string, today: string): IdentityResult {
  if (s.length > MAX_TYPED_LENGTH)
    return { ok: false, error: looksOpaque(s) ? unrecognised('OPAQUE') : unrecognised() };
  const compact = compactTypedNumber(s);
  if (isDigits(compact)) {
    if (compact.length === 12) {
      const warnings: IdentityWarning[] = [];
      const d = decodePersonalId(compact);
      if (d) {
        if (!d.knownPrefix) warnings.push(makeWarning('UNKNOWN_PROVINCE_CODE'));
        const thisYear = yearOf(today);
        if (d.birthYear > thisYear) warnings.push(makeWarning('BIRTH_DATE_IN_FUTURE'));
        else if (thisYear - d.birthYear > MAX_AGE_YEARS) warnings.push(makeWarning('AGE_IMPLAUSIBLE'));
      }
      return { ok: true, identity: { kind: 'PERSONAL_ID', personalId: compact }, warnings };
    }
    if (compact.length === 9) return { ok: true, identity: { kind: 'CMND', oldIdNumber: compact }, warnings: [] };
    if (compact.length === 10) {
      return { ok: true, identity: { kind: 'BHXH_NUMBER', bhyt: { bhxhNumber: compact } }, warnings: [] };
    }
    return { ok: false, error: compact.length <= 20 ? unrecognised('WRONG_LENGTH') : unrecognised('OPAQUE') };
  }
  if (hasBhytCardShape(compact)) {
    const decoded = decodeBhytCardCode(compact);
    if (!decoded) return { ok: false, error: makeError('BAD_BENEFIT_LEVEL') };
    return {
      ok: true,
      identity: {
        kind: 'BHYT_CODE',
        bhyt: {
          cardCode: decoded.cardCode,
          bhxhNumber: decoded.bhxhNumber,
          groupCode: decoded.groupCode,
          benefitLevel: decoded.benefitLevel,
          provinceCode: decoded.provinceCode,
        },
      },
      warnings: bhytCardCodeWarnings(decoded),
    };
  }
  // Two letters then digits, but not 13 of them: a mistyped BHYT code.
  if (
    compact.length >= 3 &&
    compact.length <= 20 &&
    isUpperAsciiLetter(compact.charCodeAt(0)) &&
    isUpperAsciiLetter(compact.charCodeAt(1)) &&
    isDigits(compact.slice(2))
  ) {
    return { ok: false, error: unrecognised('WRONG_LENGTH') };
  }
  return { ok: false, error: looksOpaque(s) ? unrecognised('OPAQUE') : unrecognised() };
}
