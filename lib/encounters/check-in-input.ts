import { checkIdentifier, identifierSchema, isStoredIdentifier } from '../identity/schemas';
import {
  identifierSystems,
  parseIdentity,
  type Identity,
  type IdentifierValue,
  type IdentityWarning,
} from '../identity';
import { newPatientSchema } from '../patients/schemas';
import { z } from '../validation';
import type { IdentificationMethod } from '../codes';
import { PRIORITIES } from '../codes';

// What a check-in request may say (POST /api/v1/checkins, the kiosk, tests) and what it comes to: the identity
// scanned or typed, its identifiers and how the patient was identified.

/**
 * A typed identifier. The desk's "BHYT" choice also takes the 10-digit mã số BHXH printed on cards since 2021:
 * such a value is read as BHXH_NUMBER. Everything else must pass its own system's schema.
 */
const typedIdentifierSchema = z.preprocess((v) => {
  const i = v as { system?: unknown; value?: unknown } | null;
  return i && i.system === 'BHYT_CARD' && typeof i.value === 'string' && checkIdentifier('BHXH_NUMBER', i.value).ok
    ? { ...i, system: 'BHXH_NUMBER' }
    : v;
}, identifierSchema);

export const checkinSchema = z
  .object({
    raw: z.string().max(8192, 'Dữ liệu quét quá dài.').optional(),
    /** A typed number: its value is checked by its system's schema (lib/identity/schemas.ts), HOSPITAL_CODE too. */
    identifier: typedIdentifierSchema.optional(),
    roomCode: z.string().trim().max(20).optional(),
    visitType: z.enum(['OUTPATIENT', 'EMERGENCY']).optional(),
    payer: z.enum(['BHYT', 'SELF_PAY']).optional(),
    priority: z.enum(PRIORITIES).optional(),
    /** The receptionist says the QR was shown in the VNeID app (its payload looks like the card's). */
    source: z.enum(['VNEID']).optional(),
    newPatient: newPatientSchema.optional(),
    /**
     * "This is the same person": attach the scanned identifiers to the likely duplicate behind this token (from the
     * not-found answer's `candidates`) instead of creating a record. A token opens only for the principal it was
     * given to, for 15 minutes.
     */
    samePatientToken: z.string().max(200).optional(),
    /**
     * The receptionist confirmed a second visit today: without it, a person at the desk who checks in a patient
     * already seen today in another room gets 'seen-today' (409) and no encounter.
     */
    confirmSecondRoom: z.literal(true).optional(),
  })
  .strict()
  .refine((b) => b.raw !== undefined || b.identifier || b.newPatient, {
    message: 'Cần dữ liệu quét (raw), số định danh (identifier) hoặc thông tin người bệnh mới (newPatient).',
  });
export type CheckinRequest = z.infer<typeof checkinSchema>;

export type Resolved = {
  identity: Identity | null;
  identifiers: IdentifierValue[];
  method: IdentificationMethod;
  warnings: IdentityWarning[];
};

/** What was scanned or typed → identity, identifiers and how the patient was identified. */
export function resolveInput(input: CheckinRequest): Resolved | { error: { code: string; message: string } } {
  if (input.raw !== undefined) {
    const parsed = parseIdentity(input.raw);
    if (!parsed.ok) return { error: parsed.error };
    const kind = parsed.identity.kind;
    const method: IdentificationMethod =
      kind === 'CCCD_QR'
        ? input.source === 'VNEID'
          ? 'VNEID'
          : 'CCCD_QR'
        : kind === 'BHYT_QR'
          ? 'BHYT_QR'
          : kind === 'PERSONAL_ID' || kind === 'CMND'
            ? 'TYPED_ID'
            : 'TYPED_BHYT';
    const identifiers = identifierSystems(parsed.identity);
    // The parsers only produce valid values; checked again because whatever a scan carries is hostile.
    if (!identifiers.every((i) => isStoredIdentifier(i.system, i.value)))
      return { error: { code: 'INVALID_IDENTIFIER', message: 'Mã trên thẻ không đúng định dạng.' } };
    return { identity: parsed.identity, identifiers, method, warnings: parsed.warnings };
  }
  if (input.identifier) {
    // The route validated it already; callers in-process (kiosk, tests, benchmarks) go through the same schema.
    const typed = typedIdentifierSchema.safeParse(input.identifier);
    if (!typed.success)
      return {
        error: {
          code: 'IDENTIFIER_MISMATCH',
          message: typed.error.issues[0]?.message ?? 'Số đã nhập không đúng dạng của loại giấy tờ đã chọn.',
        },
      };
    const { system, value } = typed.data;
    if (system === 'HOSPITAL_CODE')
      return { identity: null, identifiers: [{ system, value }], method: 'TYPED_ID', warnings: [] };
    const parsed = parseIdentity(value); // a valid value of its system: for the identity and its soft warnings
    if (!parsed.ok) return { error: parsed.error };
    const method = system === 'PERSONAL_ID' || system === 'CMND' ? 'TYPED_ID' : 'TYPED_BHYT';
    return {
      identity: parsed.identity,
      identifiers: identifierSystems(parsed.identity),
      method,
      warnings: parsed.warnings,
    };
  }
  return { identity: null, identifiers: [], method: 'MANUAL', warnings: [] };
}
