import { isValidCalendarDate, toIso } from '../identity/dates';
import { formatIsoDate } from './local-day';

/**
 * Dates as users type them: dd/MM/yyyy (the product is Vietnamese; a native date input would follow the
 * browser's locale, e.g. mm/dd/yyyy). Also accepted while typing: d/M/yyyy, '.' or '-' as separators, and
 * ddMMyyyy without separators; with `allowYearOnly`, a bare yyyy (birth dates known only by year).
 */
export type TypedDate = { ok: true; iso: string; yearOnly: boolean } | { ok: false; reason: 'format' | 'not-a-date' };

export function parseTypedDate(text: string, options: { allowYearOnly?: boolean } = {}): TypedDate {
  const s = text.trim();
  if (options.allowYearOnly && /^\d{4}$/.test(s)) {
    const y = Number(s);
    return isValidCalendarDate(y, 1, 1) ? { ok: true, iso: s, yearOnly: true } : { ok: false, reason: 'not-a-date' };
  }
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (!m) return { ok: false, reason: 'format' };
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Well formed but not in the calendar (31/02, 00/01): say so, not "wrong format".
  return isValidCalendarDate(y, mo, d)
    ? { ok: true, iso: toIso(y, mo, d), yearOnly: false }
    : { ok: false, reason: 'not-a-date' };
}

/** 'YYYY-MM-DD' → 'dd/MM/yyyy'; 'YYYY' stays; anything else → ''. */
export function isoToTyped(iso: string | null | undefined): string {
  if (!iso) return '';
  if (/^\d{4}$/.test(iso)) return iso;
  const formatted = formatIsoDate(iso);
  return formatted === iso ? '' : formatted;
}
