/** The message catalogue: Vietnamese first (lib/i18n/vi.ts, the reference), English second (lib/i18n/en.ts). */
import { en } from './en';
import { vi, type Messages } from './vi';

export const LANGS = ['vi', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export const MESSAGES: Record<Lang, Messages> = { vi, en };
export type { Messages };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGS as readonly string[]).includes(value);
}

/** A catalogue template with its {placeholders} filled: fill('Số {n}', { n: 5 }). */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}
