import { isValidCalendarDate } from '../identity/dates';
import { hospitalCodeSchema } from '../identity/schemas';
import { localDay } from '../time/local-day';
import { text, uuid, z } from '../validation';

// A patient's demographics, one rule each, for every way in: the desk's and kiosk's new patient (check-in), the
// support team's correction and the desk's "update from card". Identifiers have theirs in lib/identity/schemas.ts.

/** A patient record's id. */
export const patientIdSchema = uuid('Mã hồ sơ không hợp lệ.');

export const fullNameSchema = text().min(2, 'Họ tên quá ngắn.').max(100, 'Họ tên quá dài.');

/** A birth date ('YYYY-MM-DD' or 'YYYY') no earlier than 1890 and no later than `today` (Vietnam's day): also the import's rule. */
export function birthDateInRange(iso: string, today = localDay()): boolean {
  return Number(iso.slice(0, 4)) >= 1890 && iso <= today;
}

/** 'YYYY-MM-DD', or 'YYYY' when only the year is known: a day of the calendar, from 1890 to today in Vietnam. */
export const birthDateSchema = z
  .string()
  .regex(/^\d{4}(-\d{2}-\d{2})?$/, 'Ngày sinh phải có dạng YYYY-MM-DD (hoặc chỉ năm YYYY).')
  .refine(
    (s) => s.length === 4 || isValidCalendarDate(Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))),
    'Ngày sinh không có thật.',
  )
  .refine((s) => birthDateInRange(s), 'Ngày sinh nằm ngoài khoảng hợp lệ.');

export const sexSchema = z.enum(['M', 'F'], { message: 'Giới tính phải là M (nam) hoặc F (nữ).' });
export const addressSchema = text().max(300, 'Địa chỉ quá dài.');
/**
 * As people write numbers: digits, '+', spaces, dots and dashes (stored as digits: lib/patients/search.ts
 * normalizePhone). Only the space itself (and the no-break space a paste brings), not `\s`: no CR, LF, tab or other
 * control or line-separator character gets in with a number.
 */
export const phoneSchema = z.string().regex(/^[+\d \u00a0.-]{8,20}$/, 'Số điện thoại không hợp lệ.');

/** A new patient, as the desk's form (or a kiosk's chip card) gives them at check-in. */
export const newPatientSchema = z.object({
  fullName: fullNameSchema,
  dateOfBirth: birthDateSchema,
  sex: sexSchema,
  address: addressSchema.optional(),
  phone: phoneSchema.optional(),
  /** The HIS's own patient code, when the desk's look-up found the person there (lib/handoff/his-lookup.ts). */
  hospitalCode: hospitalCodeSchema.optional(),
});
export type NewPatient = z.infer<typeof newPatientSchema>;

/** Why someone changes or opens a record (audited with it): corrections, merges, break-glass. */
export const reasonSchema = text()
  .min(3, 'Hãy ghi lý do (ít nhất 3 ký tự).')
  .max(200, 'Lý do quá dài (tối đa 200 ký tự).');

/** `PATCH /api/v1/patients/:id`: the support team corrects what is wrong (null clears a field). */
export const demographicsCorrectionSchema = z
  .object({
    fullName: fullNameSchema.optional(),
    birthDate: birthDateSchema.optional(),
    sex: sexSchema.nullable().optional(),
    phone: phoneSchema.nullable().optional(),
    address: addressSchema.nullable().optional(),
    reason: reasonSchema,
  })
  .strict();

/** `POST /api/v1/patients/:id/demographics`: the desk's "cập nhật từ thẻ", the card's values for the chosen fields. */
export const cardUpdateSchema = z
  .object({
    change: z
      .object({
        fullName: fullNameSchema.optional(),
        dateOfBirth: birthDateSchema.optional(),
        sex: sexSchema.optional(),
        address: addressSchema.optional(),
      })
      .strict()
      .refine((c) => Object.keys(c).length > 0, { message: 'Chưa chọn trường nào để cập nhật.' }),
    reason: text().min(3, 'Cần ghi lý do thay đổi.').max(200),
  })
  .strict();
