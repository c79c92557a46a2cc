/** Every "day" in the product (queue numbers, intake, reports) is the local day in Vietnam. */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const displayDate = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const displayTime = new Intl.DateTimeFormat('vi-VN', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false });

/** 'YYYY-MM-DD' of the local day in Vietnam at instant `at`. */
export function localDay(at: Date = new Date()): string {
  return dayFormat.format(at);
}

/** The local day as a Date at UTC midnight, the form Prisma reads and writes for a DATE column. */
export function localDayAsDate(at: Date = new Date()): Date {
  return new Date(`${localDay(at)}T00:00:00.000Z`);
}

/** dd/MM/yyyy in Vietnam's time zone. */
export function formatDate(at: Date): string {
  return displayDate.format(at);
}

/** HH:mm (24 h) in Vietnam's time zone. */
export function formatTime(at: Date): string {
  return displayTime.format(at);
}
