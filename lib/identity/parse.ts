/**
 * parseIdentity: normalise, classify (spec §0), then hand over to the reader of that shape.
 *
 * VNeID (spec §5): VNeID shows the citizen's card (and BHYT card) images with the card's own QR, which
 * carries the same payload as the physical card (LIKELY) — those scans go through the CCCD / BHYT readers
 * unchanged. VNeID's own dynamic identity QR is UNKNOWN (no public spec; possibly signed/encrypted): it is
 * treated as opaque → UNRECOGNISED asking for the 12-digit number. The 2021 COVID-era personal QR
 * (`SoGiayTo|HoTen|yyyy-mm-dd|Loai|QID|EXT`) is recognised and refused with LEGACY_COVID_QR.
 */
import { isBhytQrShape, parseBhytQr } from './bhyt-qr';
import { isCccdShape, isCmndOnlyShape, parseCccdQr } from './cccd';
import { isIsoDateShape, vietnamToday } from './dates';
import { makeError, unrecognised } from './messages';
import { MAX_PAYLOAD_BYTES, normalizePayload, utf8ByteLength } from './normalize';
import { parseTypedNumber } from './typed-number';
import type { IdentityResult, ParseOptions } from './types';

/** More `|` than any known layout has (BHYT new: 17 parts) — rejected before splitting. */
const MAX_PIPES = 32;

/** Masked or plain document number of the legacy personal QR: digits and `*`, 6–15 characters. */
function isLegacyDocNumber(s: string): boolean {
  if (s.length < 6 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c === 0x2a || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

/** Legacy COVID-era national personal QR (PC-Covid / early VNeID, spec §0/§5): ISO birth date in field 2. */
export function isLegacyCovidQr(parts: readonly string[]): boolean {
  return (
    parts.length >= 4 &&
    parts.length <= 8 &&
    isLegacyDocNumber((parts[0] ?? '').trim()) &&
    isIsoDateShape((parts[2] ?? '').trim())
  );
}

function countPipes(s: string, limit: number): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 0x7c && ++n > limit) return n;
  return n;
}

function parsePiped(s: string, today: string): IdentityResult {
  if (countPipes(s, MAX_PIPES) > MAX_PIPES) return { ok: false, error: unrecognised() };
  const parts = s.split('|');
  // '$' as the last field is the BHYT terminator (scanners/HIS also treat it as end-of-message, §8.1).
  let hadTerminator = false;
  if ((parts[parts.length - 1] ?? '').trim() === '$') {
    parts.pop();
    hadTerminator = true;
  }
  if (isLegacyCovidQr(parts)) return { ok: false, error: makeError('LEGACY_COVID_QR') };
  if (isBhytQrShape(parts)) return parseBhytQr(parts, hadTerminator, today);
  if (isCccdShape(parts) || isCmndOnlyShape(parts)) return parseCccdQr(parts, today);
  return { ok: false, error: unrecognised() };
}

function parseUnsafe(raw: unknown, options?: ParseOptions): IdentityResult {
  if (raw === null || raw === undefined) return { ok: false, error: makeError('EMPTY') };
  if (typeof raw !== 'string') return { ok: false, error: unrecognised() };
  // Each UTF-16 unit is ≥ 1 UTF-8 byte, so a longer string is over the limit without counting.
  if (raw.length > MAX_PAYLOAD_BYTES || utf8ByteLength(raw, MAX_PAYLOAD_BYTES) > MAX_PAYLOAD_BYTES) {
    return { ok: false, error: makeError('TOO_LONG') };
  }
  const s = normalizePayload(raw);
  if (s === '') return { ok: false, error: makeError('EMPTY') };
  const today = vietnamToday(options?.now ?? new Date());
  return s.indexOf('|') >= 0 ? parsePiped(s, today) : parseTypedNumber(s, today);
}

/**
 * Read any identity payload met at a Vietnamese reception desk: CCCD/Căn cước QR, BHYT card QR (paper,
 * VssID, VNeID image), typed 12-digit personal ID, 9-digit CMND, 10-digit mã số BHXH, 15-character BHYT
 * code. Pure and total: never throws, returns `{ ok: true, identity, warnings }` or `{ ok: false, error }`.
 * `options.now` fixes "today" for the soft date checks (defaults to the current time).
 */
export function parseIdentity(raw: string, options?: ParseOptions): IdentityResult {
  try {
    return parseUnsafe(raw, options);
  } catch {
    // Last resort only; every known path returns a result without throwing.
    return { ok: false, error: makeError('INTERNAL') };
  }
}
