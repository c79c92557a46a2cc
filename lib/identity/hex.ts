/**
 * Strict hex → UTF-8 decoding for BHYT QR text fields (spec §4.3). Names/addresses are lower-case hex of
 * the UTF-8 bytes; upper-case hex is accepted too. Decoding is fatal: invalid UTF-8 is a failure, never
 * silently replaced with U+FFFD.
 */

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** True if every character is a hex digit (non-empty). Odd length still counts as "hex-looking". */
export function looksLikeHex(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (hexVal(s.charCodeAt(i)) < 0) return false;
  return true;
}

/**
 * Decode hex of UTF-8 bytes. Returns undefined when the length is odd, a character is not hex, the
 * bytes are not valid UTF-8, or the text contains control characters (a real name/address never does).
 * Result is NFC.
 */
export function decodeHexUtf8(hex: string): string | undefined {
  const n = hex.length;
  if (n === 0 || n % 2 !== 0) return undefined;
  const bytes = new Uint8Array(n / 2);
  for (let i = 0; i < n; i += 2) {
    const hi = hexVal(hex.charCodeAt(i));
    const lo = hexVal(hex.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return undefined;
    const b = (hi << 4) | lo;
    if (b < 0x20 || b === 0x7f) return undefined; // control bytes (UTF-8 continuation bytes are ≥ 0x80)
    bytes[i / 2] = b;
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return undefined;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x80 && c < 0xa0) || c === 0xfeff) return undefined; // C1 controls / BOM
  }
  return text.normalize('NFC');
}

/** Encode text as lower-case hex of its UTF-8 bytes (used by tests and fixtures). */
export function encodeHexUtf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] as number).toString(16).padStart(2, '0');
  return out;
}
