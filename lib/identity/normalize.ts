/**
 * Input and text normalisation. All functions are linear single passes (no backtracking regexes).
 */

/** Maximum accepted payload size, in UTF-8 bytes. */
export const MAX_PAYLOAD_BYTES = 4096;

/** UTF-8 byte length of a JS string, stopping early once `limit` is exceeded. Lone surrogates count 3 (U+FFFD). */
export function utf8ByteLength(s: string, limit = Infinity): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
    if (bytes > limit) return bytes;
  }
  return bytes;
}

/** Characters stripped from both ends of a payload: whitespace, CR/LF/TAB, NUL, BOM, NBSP, ideographic space. */
function isEdgeJunk(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0x00 ||
    c === 0x0b ||
    c === 0x0c ||
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x3000
  );
}

/**
 * Normalise a raw scanner/keyboard payload:
 * - strip surrounding whitespace, CR/LF/TAB/NUL (scanners append them; some pad with NUL);
 * - full-width ASCII forms (U+FF01–U+FF5E: digits, `｜`, `／`, `＄`…) → ASCII, ideographic space → space;
 * - Unicode NFC (NFD-decomposed Vietnamese from some phone/OCR paths).
 * Letters are NOT case-folded here (names keep their case); codes are upper-cased where they are read.
 */
export function normalizePayload(raw: string): string {
  let start = 0;
  let end = raw.length;
  while (start < end && isEdgeJunk(raw.charCodeAt(start))) start++;
  while (end > start && isEdgeJunk(raw.charCodeAt(end - 1))) end--;
  let needsWidthFix = false;
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0x80) {
      ascii = false;
      if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000) {
        needsWidthFix = true;
        break;
      }
    }
  }
  let s = raw.slice(start, end);
  if (needsWidthFix) {
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
      else if (c === 0x3000) out += ' ';
      else out += s[i];
    }
    // Converting may have exposed new edge whitespace (e.g. a trailing ideographic space).
    s = out.trim();
  }
  return ascii ? s : s.normalize('NFC');
}

/** True for C0/C1 control characters (DEL included). */
function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

/** True for line and word separators that become one space in a free-text field. */
function isSpaceLike(c: number): boolean {
  return (
    c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0 || c === 0x3000 || c === 0x2028 || c === 0x2029
  );
}

/** True when the UTF-16 unit at `i` is half of a surrogate pair with no other half (not valid Unicode text). */
function isLoneSurrogate(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    return !(d >= 0xdc00 && d <= 0xdfff);
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const b = i > 0 ? s.charCodeAt(i - 1) : 0;
    return !(b >= 0xd800 && b <= 0xdbff);
  }
  return false;
}

/** Fast path for cleanText: no control characters, no edge spaces, no whitespace other than single spaces. */
function isAlreadyClean(s: string): boolean {
  const n = s.length;
  if (n === 0) return true;
  if (s.charCodeAt(0) === 0x20 || s.charCodeAt(n - 1) === 0x20) return false;
  let prevSpace = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (prevSpace) return false;
      prevSpace = true;
      continue;
    }
    prevSpace = false;
    if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0x3000 || c === 0xfeff || c === 0x2028 || c === 0x2029)
      return false;
    if (c >= 0xd800 && c <= 0xdfff && isLoneSurrogate(s, i)) return false;
  }
  return true;
}

/**
 * Clean a free-text field (name, address, reason, note): NFC, control characters (C0, DEL, C1), BOM and lone
 * surrogates dropped, whitespace runs (tabs and line breaks included) collapsed to one space, trimmed. Case and
 * Vietnamese marks are kept. Every free-text input goes through it (`text()` in lib/validation.ts): a control
 * character stored in a name would reach HL7 frames (MLLP framing bytes) and XML0.
 */
export function cleanText(s: string): string {
  if (isAlreadyClean(s)) return s.normalize('NFC');
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isSpaceLike(c)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (isControl(c) || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff && isLoneSurrogate(s, i))) continue;
    if (pendingSpace) {
      out += ' ';
      pendingSpace = false;
    }
    out += s[i];
  }
  return out.normalize('NFC');
}

/**
 * Control characters (C0 but CR/LF/TAB, DEL, C1) and lone surrogates, for the message builders (HL7, XML0): they
 * drop them again whatever the data's path, since a stray 0x1C/0x0B would cut an MLLP frame and XML 1.0 forbids them.
 */
export const CONTROL_CHARS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Remove Vietnamese tone/vowel marks: NFD, drop combining marks U+0300–U+036F, đ/Đ → d/D. Case is kept. */
export function stripDiacritics(s: string): string {
  const d = s.normalize('NFD');
  let out = '';
  for (let i = 0; i < d.length; i++) {
    const c = d.charCodeAt(i);
    if (c >= 0x0300 && c <= 0x036f) continue;
    if (c === 0x0111) out += 'd';
    else if (c === 0x0110) out += 'D';
    else out += d[i];
  }
  return out;
}

/**
 * Key for duplicate detection and name search: lower-case, tone marks removed, đ → d,
 * whitespace collapsed and trimmed. `'  Nguyễn   Văn ĐẠT '` → `'nguyen van dat'`.
 */
export function normalizeVietnameseName(name: string): string {
  return cleanText(stripDiacritics(name)).toLowerCase();
}

/** True if the text has at least one non-ASCII letter (i.e. some Vietnamese diacritic survived). */
export function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return true;
  return false;
}

/**
 * Keyboard-wedge (USB-HID) scanners type `?` (or U+FFFD) in place of letters they cannot type.
 * Names and addresses never legitimately contain them.
 */
export function lostDiacritics(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3f || c === 0xfffd) return true;
  }
  return false;
}

/** True if every character is an ASCII digit (and the string is non-empty). */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** True if `s` is exactly `n` ASCII digits. */
export function isNDigits(s: string, n: number): boolean {
  return s.length === n && isDigits(s);
}

/** Upper-case ASCII letter test. */
export function isUpperAsciiLetter(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

/** Remove spaces, dots, hyphens/dashes from a typed number; ASCII-uppercase the rest. */
export function compactTypedNumber(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x2e || c === 0x2d || c === 0x2013 || c === 0x2014 || c === 0xa0) continue;
    out += c >= 0x61 && c <= 0x7a ? String.fromCharCode(c - 0x20) : s[i];
  }
  return out;
}
