import { isValidCalendarDate, toIso } from '../identity/dates';

/**
 * Dates as users type them: dd/MM/yyyy (the product is Vietnamese; a native date input would follow the
 * browser's locale, e.g. mm/dd/yyyy). Also accepted while typing: d/M/yyyy, '.' or '-' as separators, and
 * ddMMyyyy without separators; with `allowYearOnly`, a bare yyyy (birth dates known only by year).
 */
export type TypedDate = { ok: true; iso: string; yearOnly: boolean } | { ok: false };

export function parseTypedDate(text: string, options: { allowYearOnly?: boolean } = {}): TypedDate {
  const s = text.trim();
  if (options.allowYearOnly && /^\d{4}$/.test(s)) {
    const y = Number(s);
    return isValidCalendarDate(y, 1, 1) ? { ok: true, iso: s, yearOnly: true } : { ok: false };
  }
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  if (!m) return { ok: false };
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isValidCalendarDate(y, mo, d) ? { ok: true, iso: toIso(y, mo, d), yearOnly: false } : { ok: false };
}

/** 'YYYY-MM-DD' → 'dd/MM/yyyy'; 'YYYY' stays; anything else → ''. */
export function isoToTyped(iso: string | null | undefined): string {
  if (!iso) return '';
  if (/^\d{4}$/.test(iso)) return iso;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

export const TYPED_DATE_MESSAGE = {
  vi: 'Nhập ngày theo dạng dd/MM/yyyy, ví dụ 25/11/2026.',
  viYear: 'Nhập ngày dd/MM/yyyy hoặc năm yyyy.',
  after: 'Ngày này sau ngày muộn nhất được phép.',
} as const;
