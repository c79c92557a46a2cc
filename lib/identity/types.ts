/** Public types of lib/identity. Other parts of the product rely on these shapes exactly. */

export type IdentityKind = 'CCCD_QR' | 'BHYT_QR' | 'PERSONAL_ID' | 'CMND' | 'BHYT_CODE' | 'BHXH_NUMBER';
import type { Sex } from '../codes';

export type IdentityVariant = 'CCCD_2021' | 'CAN_CUOC_2024' | 'BHYT_OLD' | 'BHYT_NEW' | 'UNKNOWN';

export type BenefitLevel = 1 | 2 | 3 | 4 | 5;

export type BhytInfo = {
  cardCode?: string; // 15 characters, upper case
  bhxhNumber?: string; // 10 digits
  groupCode?: string;
  benefitLevel?: BenefitLevel;
  provinceCode?: string;
  registeredFacility?: string; // 5 characters, e.g. '79034' from '79 - 034'
  validFrom?: string; // 'YYYY-MM-DD'
  validTo?: string | null; // null = the card carries '-' (no printed end date)
  fiveYearsFrom?: string | null; // null = '-'
  issuedOn?: string;
  guardianName?: string;
  issuePlace?: string;
};

export type Identity = {
  kind: IdentityKind;
  variant?: IdentityVariant;
  personalId?: string; // 12 ASCII digits
  oldIdNumber?: string; // 9-digit CMND
  fullName?: string; // Unicode NFC, as printed (case kept)
  dateOfBirth?: string; // 'YYYY-MM-DD', or 'YYYY' when only the year is known
  sex?: Sex;
  address?: string; // NFC
  issuedOn?: string; // 'YYYY-MM-DD' (CCCD issue date)
  bhyt?: BhytInfo;
};

export type IdentityWarning = { code: string; message: string };
export type IdentityError = { code: string; message: string };

export type IdentityResult =
  { ok: true; identity: Identity; warnings: IdentityWarning[] } | { ok: false; error: IdentityError }; // message in Vietnamese, for the receptionist

export type ParseOptions = {
  /**
   * "Now", used only for soft checks (birth/issue date in the future, age > 125).
   * Defaults to the current time; pass a fixed value for deterministic results.
   */
  now?: Date;
};
