import { describe, expect, it } from 'vitest';
import {
  formatDate,
  formatDateTime,
  formatIsoDate,
  formatTime,
  fromLocalClock,
  localClock,
  localDay,
  localDayAsDate,
  localDayStart,
  vnIso,
  vnTimestamp,
} from './local-day';

// Vietnam is UTC+7: 23:59 there is 16:59 UTC the same day, 00:00 there is 17:00 UTC the day before.
const lastMinute = new Date('2026-11-30T16:59:59.999Z'); // 30/11/2026 23:59:59.999 in Hồ Chí Minh
const midnight = new Date('2026-11-30T17:00:00.000Z'); // 01/12/2026 00:00 in Hồ Chí Minh

describe('the local day at its boundaries', () => {
  it('23:59 is still the day; 00:00 is the next one (whatever the UTC date says)', () => {
    expect(localDay(lastMinute)).toBe('2026-11-30');
    expect(localDay(midnight)).toBe('2026-12-01');
    expect(localDayAsDate(midnight).toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(formatDate(lastMinute)).toBe('30/11/2026');
    expect(formatDate(midnight)).toBe('01/12/2026');
    expect(formatTime(lastMinute)).toBe('23:59');
    expect(formatTime(midnight)).toBe('00:00');
    expect(formatDateTime(lastMinute, { seconds: true })).toBe('30/11/2026 23:59:59');
    expect(formatDateTime(midnight)).toBe('01/12/2026 00:00');
  });

  it('across a month and a year end, and a leap day', () => {
    expect(localDay(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(localDay(new Date('2028-02-28T17:00:00Z'))).toBe('2028-02-29');
    expect(localDay(new Date('2028-02-29T16:59:00Z'))).toBe('2028-02-29');
  });

  it('a local day starts at 00:00 in Vietnam; the local clock and back', () => {
    expect(localDayStart('2026-12-01').toISOString()).toBe(midnight.toISOString());
    expect(localDay(localDayStart('2026-12-01'))).toBe('2026-12-01');
    expect(localDay(new Date(localDayStart('2026-12-01').getTime() - 1))).toBe('2026-11-30');
    expect(localClock(midnight).getUTCHours()).toBe(0);
    expect(fromLocalClock(localClock(lastMinute)).getTime()).toBe(lastMinute.getTime());
  });

  it('agrees with the time-zone database (Intl) around the clock', () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
    for (let t = Date.parse('2026-11-30T00:00:00Z'); t < Date.parse('2026-12-02T00:00:00Z'); t += 17 * 60_000) {
      expect(localDay(new Date(t))).toBe(day.format(new Date(t)));
    }
  });
});

describe('formats', () => {
  it('a stored date as people read it: dd/MM/yyyy; a year alone, or anything else, unchanged', () => {
    expect(formatIsoDate('1958-03-12')).toBe('12/03/1958');
    expect(formatIsoDate('1958')).toBe('1958');
    expect(formatIsoDate('')).toBe('');
    expect(formatIsoDate(null)).toBe('');
  });

  it('HL7/XML0 and FHIR timestamps in local time', () => {
    expect(vnTimestamp(midnight)).toBe('20261201000000');
    expect(vnTimestamp(lastMinute)).toBe('20261130235959');
    expect(vnIso(midnight)).toBe('2026-12-01T00:00:00+07:00');
  });
});
