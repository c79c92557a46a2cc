/**
 * Every code the database stores, defined once; everything else imports it from here.
 * - Columns with a PostgreSQL enum: schema.prisma is the definition, and these are Prisma's generated enums
 *   (plain objects, safe in the browser) with their values as lists, in schema order.
 * - Free-string columns (`Encounter.priority`, `HandoffAttempt.outcome`, `AuditEvent.action` and `.outcome`,
 *   `KioskVisit.outcome` and `.reason`): an `as const` list here.
 * Labels live only in the message catalogue (lib/i18n/vi.ts `codes`), typed `Record<Code, string>`; code that
 * branches on a code ends with `unhandled(value)`. A new value is then a compile error until every label map
 * and branch handles it (lib/codes.test.ts shows one).
 */
import {
  BhytVerification,
  CheckinChannel,
  EncounterStatus,
  HandoffStatus,
  HandoffTarget,
  HelpdeskOutcome,
  HelpdeskService,
  IdentificationMethod,
  IdentifierSystem,
  PasswordState,
  Payer,
  Role,
  Sex,
  TrustLevel,
  VisitType,
} from './db/generated/enums';

export {
  BhytVerification,
  CheckinChannel,
  EncounterStatus,
  HandoffStatus,
  HandoffTarget,
  HelpdeskOutcome,
  HelpdeskService,
  IdentificationMethod,
  IdentifierSystem,
  PasswordState,
  Payer,
  Role,
  Sex,
  TrustLevel,
  VisitType,
};

/** The values of a stored enum, in schema order. */
function valuesOf<E extends Record<string, string>>(e: E): E[keyof E][] {
  return Object.values(e) as E[keyof E][];
}

export const ROLES = valuesOf(Role);
export const IDENTIFICATION_METHODS = valuesOf(IdentificationMethod);
export const IDENTIFIER_SYSTEMS = valuesOf(IdentifierSystem);
export const PAYERS = valuesOf(Payer);
export const VISIT_TYPES = valuesOf(VisitType);
export const CHECKIN_CHANNELS = valuesOf(CheckinChannel);
export const HANDOFF_STATUSES = valuesOf(HandoffStatus);
/** A message held back, not tried: the HIS does not answer (circuit open) or has no address yet. */
export type HeldStatus = Extract<HandoffStatus, 'WAITING_CONNECTION' | 'WAITING_CONFIG'>;
export const ENCOUNTER_STATUSES = valuesOf(EncounterStatus);
export const HELPDESK_SERVICES = valuesOf(HelpdeskService);
export const HELPDESK_OUTCOMES = valuesOf(HelpdeskOutcome);

/**
 * `Encounter.priority` (Luật Khám bệnh, chữa bệnh 2023, Art. 47 order of priority: emergency, children under 6,
 * people aged 75 or more, revolutionary contributors, pregnant women, people with severe disabilities).
 */
export const PRIORITIES = ['NORMAL', 'EMERGENCY', 'CHILD', 'ELDERLY', 'MERIT', 'PREGNANT', 'DISABILITY'] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * `HandoffAttempt.outcome`: one row per try (lib/handoff/deliver.ts), and RETRY_REQUESTED when staff ask for a
 * retry (lib/handoff/retry.ts). `…_PARKED`: the try that parked the message.
 */
export const HANDOFF_OUTCOMES = [
  'SENDING',
  'ACCEPTED',
  'REFUSED',
  'REFUSED_PARKED',
  'TIMEOUT',
  'TIMEOUT_PARKED',
  'UNREACHABLE',
  'UNREACHABLE_PARKED',
  'INTERRUPTED',
  'RETRY_REQUESTED',
  'NOT_CONFIGURED',
] as const;
export type HandoffOutcome = (typeof HANDOFF_OUTCOMES)[number];

/** `AuditEvent.action`: what was done (lib/audit). */
export const AUDIT_ACTIONS = [
  // patients
  'PATIENT_LOOKUP',
  'PATIENT_SEARCH',
  'PATIENT_VIEWED',
  'PATIENT_CREATED',
  'PATIENT_CORRECTED',
  'PATIENT_MERGED',
  'PATIENT_UNMERGED',
  'PATIENT_CANDIDATE_REVEALED',
  'IDENTIFIER_ADDED',
  'BREAK_GLASS',
  // patient import (lib/patients/import)
  'PATIENT_IMPORT_UPLOADED',
  'PATIENT_IMPORT_STARTED',
  'PATIENT_IMPORT_REPORT_DOWNLOADED',
  'PATIENT_IMPORT_DRY_RUN',
  'PATIENTS_IMPORTED',
  'PATIENT_IMPORTED',
  'PATIENT_IMPORT_ENRICHED',
  // encounters
  'ENCOUNTER_OPENED',
  'ENCOUNTER_RETURNED',
  'ENCOUNTER_LIST_VIEWED',
  'EXAM_SLIP_PRINTED',
  'ROOM_ASSIGNED',
  // BHYT
  'BHYT_VERIFIED',
  'BHYT_REJECTED',
  'BHYT_UNAVAILABLE',
  'BHYT_WORKLIST_VIEWED',
  // hand-off to the HIS
  'HANDOFF_RETRY',
  'HANDOFF_RETRY_ALL',
  'HANDOFF_PROBLEMS_VIEWED',
  // accounts, keys, kiosks, settings
  'LOGIN',
  'LOGIN_FAILED',
  'LOGOUT',
  'SESSION_MAX_AGE_EXPIRED',
  'SESSION_IDLE_EXPIRED',
  'ACCOUNT_LOCKED',
  'PASSWORD_CHANGED',
  'PASSWORD_CHANGE_FAILED',
  'USER_CREATED',
  'USER_DISABLED',
  'USER_ENABLED',
  'USER_PASSWORD_RESET',
  'USER_UNLOCKED',
  'FACILITY_CREATED',
  'API_KEY_CREATED',
  'API_KEY_REVOKED',
  'KIOSK_REGISTERED',
  'KIOSK_UPDATED',
  'KIOSK_DISABLED',
  'KIOSK_ENABLED',
  'KIOSK_PAIRING_CODE',
  'KIOSK_PAIRED',
  'KIOSK_PAIRING_FAILED',
  'SETTING_CHANGED',
  // reports and the help desk
  'WEEKLY_REPORT_GENERATED',
  'HELPDESK_RECORDED',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `AuditEvent.purpose` of a patient look-up: why staff look a patient up, chosen before any search that reveals one. */
export const PURPOSES = ['SUPPORT_PATIENT', 'BHYT_RECONCILIATION', 'FIX_RECORD', 'VNEID_HELPDESK'] as const;
export type Purpose = (typeof PURPOSES)[number];

/** `AuditEvent.outcome`. */
export const AUDIT_OUTCOMES = ['SUCCESS', 'FAILURE', 'DENIED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** `KioskVisit.outcome`: how a kiosk visit ended (lib/kiosk/visits.ts). */
export const KIOSK_OUTCOMES = ['TICKET', 'REPRINT', 'COUNTER', 'EMERGENCY', 'ABANDONED'] as const;
export type KioskOutcome = (typeof KIOSK_OUTCOMES)[number];

/**
 * `KioskVisit.reason`: why a kiosk sent a person to the counter. The kiosk creates patients only from a chip
 * card's QR and hands every doubt about who someone is to a receptionist.
 */
export const COUNTER_REASONS = [
  'UNREADABLE', // not an ID card QR (e.g. VNeID's own dynamic QR, which cannot be read offline)
  'TYPED_NUMBER', // a bare number: typed, or a barcode; never enough at a kiosk
  'BHYT_ONLY', // a BHYT card as the only identity
  'INCOMPLETE_CARD', // the card's QR lacks the name, birth date or sex a record needs
  'IDENTITY_CONFLICT', // the card's numbers belong to different records
  'RECORD_MISMATCH', // the record found has another name or birth date than the card
  'LIKELY_DUPLICATE', // a record with the same name and birth date exists without this card
  'NOT_ME', // the person said the name shown is not theirs
  'CARD_MISMATCH', // the BHYT card scanned belongs to someone else
  'BHYT_REJECTED', // the gateway refused the card and the person chose the counter
  'BHYT_UNAVAILABLE', // the gateway could not be asked and the person chose the counter
] as const;
export type CounterReason = (typeof COUNTER_REASONS)[number];

/** Whether `value` is one of `codes` (input from outside: a query string, a stored free string). */
export function isCode<C extends string>(codes: readonly C[], value: unknown): value is C {
  return typeof value === 'string' && (codes as readonly string[]).includes(value);
}

/**
 * The end of an exhaustive `switch` on a code: with every value handled, `value` is `never` here; a new value
 * not handled is a compile error at the call.
 */
export function unhandled(value: never): never {
  throw new Error(`Unhandled code: ${String(value)}`);
}
