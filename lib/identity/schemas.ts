/**
 * One zod schema per identifier system: the only place that says what a stored identifier value may be.
 * Every path that lets a value in — check-in (scanned or typed), support corrections, the patient import —
 * goes through `IDENTIFIER_SCHEMAS` (or `identifierSchema` for a `{ system, value }` pair), so nothing else in
 * the product ever holds an identifier it did not check. Each schema takes what a person typed (spaces, dots,
 * hyphens between groups, lower case, full-width digits) and outputs the stored form, or fails with a
 * Vietnamese message for the receptionist.
 *
 * The values also travel to the HIS (HL7 CX fields, FHIR search strings, XML0): the character sets below
 * contain none of HL7's delimiters or FHIR's search-escape characters, but the hand-off still escapes them
 * (defence in depth).
 */
import { z } from '../validation';
import { isValidBhxhNumber, isValidBhytCardCode } from './bhyt-code';
import { IDENTIFIER_SYSTEMS, type IdentifierSystem } from './identifiers';
import { compactTypedNumber, normalizePayload } from './normalize';
import { isValidCmnd, isValidPersonalId } from './personal-id';

/** Longer than anything a person types for one number, separators included: refused before any work. */
const MAX_INPUT_LENGTH = 64;

/** Typed numbers: full-width forms → ASCII, then spaces, dots and hyphens between groups removed, upper case. */
const compact = (raw: string) => compactTypedNumber(normalizePayload(raw));

/**
 * HOSPITAL_CODE is the facility's own patient number (mã người bệnh / MRN). No national rule exists: this is
 * a LOCAL CONVENTION of this product, chosen so the code is safe in every format it travels in (HL7 v2 CX,
 * FHIR token, XML0 MA_BN, file names): after trimming and upper-casing, 1–20 characters of A–Z, 0–9, `.`,
 * `_`, `-`, starting with a letter or digit. Dots and hyphens are kept (HIS numbers such as `BN-2024.00017`
 * use them), unlike in the national numbers where they are only typing separators.
 */
export const HOSPITAL_CODE_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,19}$/;

function system(normalize: (raw: string) => string, valid: (value: string) => boolean, message: string) {
  return z.string({ message }).max(MAX_INPUT_LENGTH, message).transform(normalize).refine(valid, message);
}

export const IDENTIFIER_MESSAGES: Record<IdentifierSystem, string> = {
  PERSONAL_ID: 'Số định danh cá nhân (CCCD) phải gồm đúng 12 chữ số.',
  CMND: 'Số CMND phải gồm đúng 9 chữ số.',
  BHYT_CARD: 'Mã thẻ BHYT phải gồm 15 ký tự: 2 chữ cái, mức hưởng 1–5 và 12 chữ số.',
  BHXH_NUMBER: 'Mã số BHXH phải gồm đúng 10 chữ số.',
  HOSPITAL_CODE: 'Mã người bệnh chỉ gồm 1–20 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.',
};

export const personalIdSchema = system(compact, isValidPersonalId, IDENTIFIER_MESSAGES.PERSONAL_ID);
export const cmndSchema = system(compact, isValidCmnd, IDENTIFIER_MESSAGES.CMND);
export const bhytCardSchema = system(compact, isValidBhytCardCode, IDENTIFIER_MESSAGES.BHYT_CARD);
export const bhxhNumberSchema = system(compact, isValidBhxhNumber, IDENTIFIER_MESSAGES.BHXH_NUMBER);
/**
 * ASCII letters upper-cased, nothing else: `toUpperCase` would turn look-alikes into ASCII ('ı' → 'I', 'ſ' → 'S',
 * 'ﬀ' → 'FF') and store a code nobody typed; left as they are, they fail the pattern.
 */
const asciiUpper = (s: string) => s.replace(/[a-z]+/g, (letters) => letters.toUpperCase());

export const hospitalCodeSchema = system(
  (raw) => asciiUpper(normalizePayload(raw)),
  (value) => HOSPITAL_CODE_PATTERN.test(value),
  IDENTIFIER_MESSAGES.HOSPITAL_CODE,
);

/** The schema of each system: input is what was typed or received, output the stored value. */
export const IDENTIFIER_SCHEMAS = {
  PERSONAL_ID: personalIdSchema,
  CMND: cmndSchema,
  BHYT_CARD: bhytCardSchema,
  BHXH_NUMBER: bhxhNumberSchema,
  HOSPITAL_CODE: hospitalCodeSchema,
} as const satisfies Record<IdentifierSystem, z.ZodType<string, string>>;

/** The fields of an identifier as it arrives (the value is checked by `checkedIdentifier`, per system). */
export const identifierFields = {
  system: z.enum(IDENTIFIER_SYSTEMS, { message: 'Loại giấy tờ không hợp lệ.' }),
  value: z
    .string({ message: 'Thiếu số giấy tờ.' })
    .min(1, 'Thiếu số giấy tờ.')
    .max(MAX_INPUT_LENGTH, 'Số giấy tờ quá dài.'),
};

/**
 * An object schema carrying `system` and `value` (e.g. `z.object({ ...identifierFields, reason })`) → the same
 * object with the value in stored form; an invalid value fails on `value` with its system's message.
 */
export function checkedIdentifier<S extends z.ZodType<{ system: IdentifierSystem; value: string }>>(schema: S) {
  return schema.transform((input, ctx): z.output<S> => {
    const checked = checkIdentifier(input.system, input.value);
    if (!checked.ok) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: checked.message });
      return z.NEVER;
    }
    return { ...input, value: checked.value };
  });
}

/** `{ system, value }` → the pair in stored form. */
export const identifierSchema = checkedIdentifier(z.object(identifierFields).strict());

export type IdentifierCheck = { ok: true; value: string } | { ok: false; message: string };

/** One value of one system, outside a zod object (e.g. a row of an import file, an identity a parser produced). */
export function checkIdentifier(system: IdentifierSystem, raw: string): IdentifierCheck {
  const parsed = IDENTIFIER_SCHEMAS[system].safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, message: IDENTIFIER_MESSAGES[system] };
}

/** True when `value` is already in stored form and valid for `system` (normalising would not change it). */
export function isStoredIdentifier(system: IdentifierSystem, value: string): boolean {
  const checked = checkIdentifier(system, value);
  return checked.ok && checked.value === value;
}
