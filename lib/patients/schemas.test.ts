import { describe, expect, it } from 'vitest';
import {
  birthDateSchema,
  cardUpdateSchema,
  demographicsCorrectionSchema,
  newPatientSchema,
  phoneSchema,
} from './schemas';
import { localDay } from '../time/local-day';

const firstMessage = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.success ? null : r.error!.issues[0]!.message;

describe('one rule per demographic field, wherever it comes in', () => {
  it('a birth date that is not in the calendar is refused at creation, in a correction and in an update from the card', () => {
    const notADay = 'Ngày sinh không có thật.';
    expect(
      firstMessage(newPatientSchema.safeParse({ fullName: 'Trần Thị Mẫu', dateOfBirth: '1958-02-30', sex: 'F' })),
    ).toBe(notADay);
    expect(
      firstMessage(demographicsCorrectionSchema.safeParse({ birthDate: '1958-02-30', reason: 'Sửa theo CCCD' })),
    ).toBe(notADay);
    expect(
      firstMessage(cardUpdateSchema.safeParse({ change: { dateOfBirth: '1958-02-30' }, reason: 'Cập nhật từ thẻ' })),
    ).toBe(notADay);
    expect(demographicsCorrectionSchema.safeParse({ birthDate: '1960-02-29', reason: 'Sửa theo CCCD' }).success).toBe(
      true,
    ); // a leap day
    expect(cardUpdateSchema.safeParse({ change: { dateOfBirth: '1958' }, reason: 'Cập nhật từ thẻ' }).success).toBe(
      true,
    ); // the year alone
  });

  it('birth dates: from 1890 to today in Vietnam, YYYY-MM-DD or YYYY', () => {
    expect(birthDateSchema.safeParse(localDay()).success).toBe(true);
    expect(firstMessage(birthDateSchema.safeParse('1889-12-31'))).toBe('Ngày sinh nằm ngoài khoảng hợp lệ.');
    expect(firstMessage(birthDateSchema.safeParse(`${Number(localDay().slice(0, 4)) + 1}`))).toBe(
      'Ngày sinh nằm ngoài khoảng hợp lệ.',
    );
    expect(firstMessage(birthDateSchema.safeParse('12/03/1958'))).toBe(
      'Ngày sinh phải có dạng YYYY-MM-DD (hoặc chỉ năm YYYY).',
    );
  });

  it('one phone rule: digits with +, spaces, dots or dashes, 8 to 20 characters', () => {
    for (const ok of ['0901234567', '+84 90 123 4567', '090.123.4567', '090-123-4567'])
      expect(phoneSchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      '0901',
      '09012345678901234567890',
      '090 123 45x7',
      '0901\r234567',
      '0901\n234567',
      '0901\t234567',
      '0901\u2028234567',
    ])
      expect(firstMessage(phoneSchema.safeParse(bad))).toBe('Số điện thoại không hợp lệ.');
    expect(
      newPatientSchema.safeParse({
        fullName: 'Trần Thị Mẫu',
        dateOfBirth: '1958-03-12',
        sex: 'F',
        phone: '090-123-4567',
      }).success,
    ).toBe(true);
  });
});
