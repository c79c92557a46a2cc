import { describe, expect, it } from 'vitest';
import { isoToTyped, parseTypedDate } from './typed-date';

describe('parseTypedDate', () => {
  it('reads dd/MM/yyyy and its looser typed forms as ISO', () => {
    expect(parseTypedDate('25/11/2026')).toEqual({ ok: true, iso: '2026-11-25', yearOnly: false });
    expect(parseTypedDate(' 5/3/2026 ')).toEqual({ ok: true, iso: '2026-03-05', yearOnly: false });
    expect(parseTypedDate('05.03.2026')).toMatchObject({ iso: '2026-03-05' });
    expect(parseTypedDate('05-03-2026')).toMatchObject({ iso: '2026-03-05' });
    expect(parseTypedDate('05032026')).toMatchObject({ iso: '2026-03-05' });
  });

  it('is day first, never month first, and refuses impossible dates', () => {
    expect(parseTypedDate('12/01/2026')).toMatchObject({ iso: '2026-01-12' });
    expect(parseTypedDate('01/13/2026')).toEqual({ ok: false, reason: 'not-a-date' });
    expect(parseTypedDate('30/02/2026')).toEqual({ ok: false, reason: 'not-a-date' });
    expect(parseTypedDate('31/02/1990')).toEqual({ ok: false, reason: 'not-a-date' }); // "ngày không có thật", not a format error
    expect(parseTypedDate('29/02/2024')).toMatchObject({ iso: '2024-02-29' });
    expect(parseTypedDate('2026-11-25')).toEqual({ ok: false, reason: 'format' });
    expect(parseTypedDate('')).toEqual({ ok: false, reason: 'format' });
    expect(parseTypedDate('25/11/26')).toEqual({ ok: false, reason: 'format' });
  });

  it('takes a bare year only when asked', () => {
    expect(parseTypedDate('1985')).toEqual({ ok: false, reason: 'format' });
    expect(parseTypedDate('1985', { allowYearOnly: true })).toEqual({ ok: true, iso: '1985', yearOnly: true });
    expect(parseTypedDate('0999', { allowYearOnly: true })).toEqual({ ok: false, reason: 'not-a-date' });
  });
});

describe('isoToTyped', () => {
  it('shows ISO dates as dd/MM/yyyy and keeps a bare year', () => {
    expect(isoToTyped('2026-11-05')).toBe('05/11/2026');
    expect(isoToTyped('1985')).toBe('1985');
    expect(isoToTyped('')).toBe('');
    expect(isoToTyped('garbage')).toBe('');
  });
});
