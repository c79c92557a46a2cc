/**
 * Date reading for identity payloads. Output is ISO 'YYYY-MM-DD', or 'YYYY' when only the year is known.
 * Accepted inputs: `ddMMyyyy` (CCCD), `d/M/yyyy` and `dd/MM/yyyy` (BHYT QR, middleware-reformatted CCCD),
 * `yyyy` (year-only BHYT birth dates). Everything else, and impossible calendar dates, is invalid.
 */
import { formatIsoDate, localDay } from '../time/local-day';

/** Years outside this range are treated as impossible (the personal-ID century digit covers 1900–2399). */
export const MIN_YEAR = 1800;
export const MAX_YEAR = 2399;

export type DateParse = { ok: true; value: string; yearOnly: boolean } | { ok: false };

const INVALID: DateParse = { ok: false };

function digitsAt(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return to > from ? n : -1;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** True if y-m-d is a real calendar date within [MIN_YEAR, MAX_YEAR]. */
export function isValidCalendarDate(y: number, m: number, d: number): boolean {
  return (
    Number.isInteger(y) &&
    Number.isInteger(m) &&
    Number.isInteger(d) &&
    y >= MIN_YEAR &&
    y <= MAX_YEAR &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, m)
  );
}

function pad(n: number, width: number): string {
  let s = String(n);
  while (s.length < width) s = '0' + s;
  return s;
}

export function toIso(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function ymd(y: number, m: number, d: number): DateParse {
  return isValidCalendarDate(y, m, d) ? { ok: true, value: toIso(y, m, d), yearOnly: false } : INVALID;
}

/**
 * Parse a Vietnamese-order date. `allowYearOnly` accepts a bare `yyyy` (BHYT QR for people whose
 * exact birth date is unknown). Surrounding spaces are ignored (BHYT field 12 often has a leading space).
 */
export function parseVnDate(input: string, allowYearOnly: boolean): DateParse {
  const s = input.trim();
  const n = s.length;
  if (n === 4) {
    if (!allowYearOnly) return INVALID;
    const y = digitsAt(s, 0, 4);
    return y >= MIN_YEAR && y <= MAX_YEAR ? { ok: true, value: pad(y, 4), yearOnly: true } : INVALID;
  }
  if (n === 8 && s.indexOf('/') < 0) return ymd(digitsAt(s, 4, 8), digitsAt(s, 2, 4), digitsAt(s, 0, 2));
  if (n < 8 || n > 10) return INVALID;
  const a = s.indexOf('/');
  const b = a < 0 ? -1 : s.indexOf('/', a + 1);
  if (a < 1 || a > 2 || b - a < 2 || b - a > 3 || n - b !== 5 || s.indexOf('/', b + 1) >= 0) return INVALID;
  return ymd(digitsAt(s, b + 1, n), digitsAt(s, a + 1, b), digitsAt(s, 0, a));
}

/** True for strict ISO `yyyy-mm-dd` shape (digits only, no calendar check). Used to spot the legacy COVID QR. */
export function isIsoDateShape(s: string): boolean {
  return (
    s.length === 10 &&
    s.charCodeAt(4) === 0x2d &&
    s.charCodeAt(7) === 0x2d &&
    digitsAt(s, 0, 4) >= 0 &&
    digitsAt(s, 5, 7) >= 0 &&
    digitsAt(s, 8, 10) >= 0
  );
}

/** Today's date in Vietnam as 'YYYY-MM-DD' (an invalid clock: far in the future, so no date is refused as future). */
export function vietnamToday(now: Date): string {
  return Number.isFinite(now.getTime()) ? localDay(now) : '9999-12-31';
}

/** ISO date plus `days` (UTC arithmetic on a date-only string). */
export function addDays(iso: string, days: number): string {
  const t = Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** Year of an ISO date or year-only value. */
export function yearOf(isoOrYear: string): number {
  return Number(isoOrYear.slice(0, 4));
}

/**
 * Compare two parsed dates ('YYYY' or 'YYYY-MM-DD'). Year-only values compare by year only.
 * Returns negative / 0 / positive.
 */
export function compareDates(a: string, b: string): number {
  if (a.length === 4 || b.length === 4) return yearOf(a) - yearOf(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Format an ISO date (or year) as the BHXH gateway and printed cards expect: 'dd/MM/yyyy' or 'yyyy'.
 * Returns undefined for anything else.
 */
export function toVietnameseDate(isoOrYear: string): string | undefined {
  if (isoOrYear.length === 4 && digitsAt(isoOrYear, 0, 4) >= 0) return isoOrYear;
  if (!isIsoDateShape(isoOrYear)) return undefined;
  return formatIsoDate(isoOrYear);
}
