/**
 * Dates and times as the product shows and counts them, in one place. Every "day" (queue numbers, intake,
 * reports, backups) is the local day in Vietnam, and every date people read is dd/MM/yyyy. Pure: usable by server
 * and client code alike.
 */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** Vietnam keeps UTC+7 all year (no daylight saving since 1975): its wall clock is UTC shifted by seven hours. */
const OFFSET_MS = 7 * 3_600_000;

const pad = (n: number) => String(n).padStart(2, '0');

/** Vietnam's wall clock at instant `at`, as a Date whose UTC fields read it (`getUTCHours()` is the local hour). */
export function localClock(at: Date): Date {
  return new Date(at.getTime() + OFFSET_MS);
}

/** The instant at which Vietnam's wall clock reads the UTC fields of `clock` (the inverse of `localClock`). */
export function fromLocalClock(clock: Date | number): Date {
  return new Date((typeof clock === 'number' ? clock : clock.getTime()) - OFFSET_MS);
}

/** 'YYYY-MM-DD' of the local day in Vietnam at instant `at`. */
export function localDay(at: Date = new Date()): string {
  return localClock(at).toISOString().slice(0, 10);
}

/** The local day as a Date at UTC midnight, the form Prisma reads and writes for a DATE column. */
export function localDayAsDate(at: Date = new Date()): Date {
  return new Date(`${localDay(at)}T00:00:00.000Z`);
}

/** The instant the local day 'YYYY-MM-DD' begins (00:00 in Vietnam). */
export function localDayStart(day: string): Date {
  return fromLocalClock(new Date(`${day}T00:00:00.000Z`));
}

/** A stored date 'YYYY-MM-DD' as people read it, dd/MM/yyyy; a year alone ('YYYY'), or anything else, as it is (nothing: ''). */
export function formatIsoDate(iso: string | null | undefined): string {
  if (!iso) return '';
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
}

/** dd/MM/yyyy of instant `at` in Vietnam. */
export function formatDate(at: Date): string {
  return formatIsoDate(localDay(at));
}

/** HH:mm (24 h) of instant `at` in Vietnam. */
export function formatTime(at: Date): string {
  const c = localClock(at);
  return `${pad(c.getUTCHours())}:${pad(c.getUTCMinutes())}`;
}

/** dd/MM/yyyy HH:mm (with `seconds`, HH:mm:ss) of instant `at` in Vietnam. */
export function formatDateTime(at: Date, options: { seconds?: boolean } = {}): string {
  const text = `${formatDate(at)} ${formatTime(at)}`;
  return options.seconds ? `${text}:${pad(localClock(at).getUTCSeconds())}` : text;
}

/** 'YYYYMMDDHHmmss' in Vietnam (HL7 v2 and XML0 timestamps, file names). */
export function vnTimestamp(at: Date): string {
  return localClock(at).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** ISO 8601 with the +07:00 offset (FHIR). */
export function vnIso(at: Date): string {
  return `${localClock(at).toISOString().slice(0, 19)}+07:00`;
}
