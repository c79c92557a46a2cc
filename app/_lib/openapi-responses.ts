/**
 * Response schemas of the API description (app/_lib/openapi.ts), for the answers integrators read most. Each is
 * checked at compile time against the answer type exported next to its route's domain function (both ways: the
 * schema's output is that type and that type is the schema's output), so a change to an answer that is not made
 * here too fails `tsc`.
 */
import { z } from '@/lib/validation';
import type { Health } from '@/lib/ops/health';
import type { IdentityResult } from '@/lib/identity/types';
import type { CheckinResponse } from '@/lib/encounters/check-in';
import type { EncounterListResponse } from '@/lib/encounters/list';
import type { RoomAssignedResponse } from '@/lib/encounters/rooms';
import type { EncounterHandoffs } from '@/lib/handoff/status';
import type { HandoffRetryResponse, RetryParkedResponse } from '@/lib/handoff/retry';
import type { HisConnectionResponse, HisProbeResponse } from '@/lib/handoff/config';
import type { UnverifiedResponse } from '@/lib/insurance/worklist';
import type { CoverageVerifyResponse } from '@/lib/insurance/verify';
import type { IdentifierAddedResponse } from '@/lib/patients/corrections';
import type { BreakGlassResponse } from '@/lib/patients/access';
import type { MeResponse } from '@/lib/auth/roles';
import type { PasswordChangeResponse } from '@/lib/auth/users';
import type { ApiKeyRevokedResponse } from '@/lib/auth/api-keys';
import type { KioskDisabledResponse, KioskPairedResponse, PairingCodeResponse } from '@/lib/kiosk/devices';
import { AREAS, ROLES } from '@/lib/auth/roles';
import {
  ENCOUNTER_STATUSES,
  HANDOFF_OUTCOMES,
  HANDOFF_STATUSES,
  IDENTIFICATION_METHODS,
  IDENTIFIER_SYSTEMS,
  PAYERS,
  VISIT_TYPES,
} from '@/lib/codes';

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable();
const sex = z.enum(['M', 'F']);
const warning = z.object({ code: z.string(), message: z.string().describe('Vietnamese') });

const bhyt = z.object({
  cardCode: z.string().optional(),
  bhxhNumber: z.string().optional(),
  groupCode: z.string().optional(),
  benefitLevel: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]).optional(),
  provinceCode: z.string().optional(),
  registeredFacility: z.string().optional(),
  validFrom: z.string().optional(),
  validTo: z.string().nullable().optional(),
  fiveYearsFrom: z.string().nullable().optional(),
  issuedOn: z.string().optional(),
  guardianName: z.string().optional(),
  issuePlace: z.string().optional(),
});
const identity = z.object({
  kind: z.enum(['CCCD_QR', 'BHYT_QR', 'PERSONAL_ID', 'CMND', 'BHYT_CODE', 'BHXH_NUMBER']),
  variant: z.enum(['CCCD_2021', 'CAN_CUOC_2024', 'BHYT_OLD', 'BHYT_NEW', 'UNKNOWN']).optional(),
  personalId: z.string().optional(),
  oldIdNumber: z.string().optional(),
  fullName: z.string().optional(),
  dateOfBirth: z.string().optional().describe("'YYYY-MM-DD', or 'YYYY' when only the year is known"),
  sex: sex.optional(),
  address: z.string().optional(),
  issuedOn: z.string().optional(),
  bhyt: bhyt.optional(),
});
const maskedIdentifier = z.object({ system: z.enum(IDENTIFIER_SYSTEMS), masked: z.string() });

export const RESPONSES = {
  health: z.object({
    status: z.enum(['ok', 'degraded', 'database-unavailable', 'migrations-pending']),
    problems: z.array(z.enum(['database-unavailable', 'migrations-pending', 'worker-down', 'handoff-backlog'])),
    worker: z.object({ alive: z.number(), lastSeenSecondsAgo: nullable(z.number()) }).optional(),
    handoff: z
      .object({
        undelivered: z.number(),
        held: z.number(),
        waitingConfig: z.number(),
        oldestUndeliveredSeconds: nullable(z.number()),
      })
      .optional(),
    migrations: z.object({ pending: z.number(), failed: z.number() }).optional(),
  }),
  identify: z.union([
    z.object({ ok: z.literal(true), identity, warnings: z.array(warning) }),
    z.object({ ok: z.literal(false), error: warning }),
  ]),
  checkin: z.object({
    created: z.boolean(),
    message: z.string(),
    encounter: z.object({
      id: z.string(),
      number: z.string(),
      queueNumber: z.number(),
      roomCode: z.string(),
      roomName: z.string(),
      status: z.string(),
      identificationMethod: z.enum(IDENTIFICATION_METHODS),
      trustLevel: z.enum(['CARD_VERIFIED', 'INSURER_VERIFIED', 'TYPED', 'UNIDENTIFIED']),
      payer: z.enum(PAYERS),
      visitType: z.enum(VISIT_TYPES),
      priority: nullable(z.string()),
      bhytVerification: nullable(z.enum(['UNVERIFIED', 'VERIFIED', 'REJECTED'])),
      checkedInAt: z.string(),
    }),
    patient: z.object({
      id: z.string(),
      fullName: z.string(),
      birthDate: z.string(),
      sex: nullable(sex),
      address: nullable(z.string()),
      identifiers: z.array(maskedIdentifier),
    }),
    identity: nullable(identity).describe('the scan the client sent, as parsed'),
    warnings: z.array(warning),
    bhytMessage: nullable(z.string()),
  }),
  encounterList: z.object({
    date: z.string(),
    encounters: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        queueNumber: z.number(),
        status: z.enum(ENCOUNTER_STATUSES),
        identificationMethod: z.enum(IDENTIFICATION_METHODS),
        payer: z.enum(PAYERS),
        priority: nullable(z.string()),
        bhytVerification: nullable(z.enum(['UNVERIFIED', 'VERIFIED', 'REJECTED'])),
        checkedInAt: z.string(),
        room: z.object({ code: z.string(), name: z.string() }),
        handoff: nullable(z.object({ status: z.enum(HANDOFF_STATUSES), lastError: nullable(z.string()) })),
        patient: z.object({
          id: z.string(),
          fullName: z.string(),
          birthDate: z.string(),
          personalIdMasked: nullable(z.string()),
        }),
      }),
    ),
  }),
  encounterHandoffs: z.object({
    state: z.enum(['none', 'waiting', 'sent', 'accepted', 'rejected', 'parked', 'held', 'no-target']),
    reason: nullable(z.string()),
    messages: z.array(
      z.object({
        id: z.string(),
        target: z.string(),
        event: z.string(),
        status: z.enum(HANDOFF_STATUSES),
        state: z.enum(['none', 'waiting', 'sent', 'accepted', 'rejected', 'parked', 'held', 'no-target']),
        attempts: z.number(),
        lastError: nullable(z.string()),
        externalRef: nullable(z.string()),
        createdAt: z.string(),
        deliveredAt: nullable(z.string()),
        nextAttemptAt: z.string(),
      }),
    ),
    log: z.array(
      z.object({
        id: z.string(),
        messageId: z.string(),
        event: z.string(),
        target: z.string(),
        attempt: z.number(),
        outcome: z.enum(HANDOFF_OUTCOMES),
        ackCode: nullable(z.string()),
        detail: nullable(z.string()),
        actor: nullable(z.string()),
        startedAt: z.string(),
        finishedAt: nullable(z.string()),
      }),
    ),
  }),
  handoffRetry: z.object({ ok: z.literal(true), status: z.literal('PENDING') }),
  retryParked: z.object({ ok: z.literal(true), requeued: z.number() }),
  unverified: z.object({
    date: z.string(),
    items: z.array(
      z.object({
        encounterId: z.string(),
        encounterNumber: z.string(),
        coverageId: nullable(z.string()),
        patientId: z.string(),
        fullName: z.string(),
        cardMasked: nullable(z.string()),
        room: z.object({ code: z.string(), name: z.string() }),
        queueNumber: z.number(),
        checkedInAt: z.string(),
        time: z.string(),
        lastResultCode: nullable(z.string()),
        lastMessage: nullable(z.string()),
      }),
    ),
  }),
  coverageVerify: z.object({
    coverageId: z.string(),
    status: z.enum(['VERIFIED', 'REJECTED', 'UNAVAILABLE']),
    resultCode: nullable(z.string()),
    message: z.string(),
    configError: z.boolean(),
    manualCheck: z.boolean(),
    verification: z.enum(['VERIFIED', 'REJECTED', 'UNVERIFIED']),
    encountersUpdated: z.number(),
  }),
  identifierAdded: z.object({ id: z.string(), system: z.enum(IDENTIFIER_SYSTEMS) }),
  breakGlass: z.object({ until: z.string(), minutes: z.number() }),
  me: z.object({
    kind: z.enum(['USER', 'API_KEY']),
    name: z.string(),
    role: z.enum(ROLES),
    facilityCode: z.string(),
    areas: z.array(z.enum(Object.keys(AREAS) as [keyof typeof AREAS, ...(keyof typeof AREAS)[]])),
    mustChangePassword: z.boolean(),
  }),
  passwordChanged: z.object({ changed: z.literal(true) }),
  roomAssigned: z.object({ roomCode: nullable(z.string()) }),
  apiKeyRevoked: z.object({ revoked: z.literal(true) }),
  kioskDisabled: z.object({ ok: z.literal(true), disabled: z.boolean() }),
  pairingCode: z.object({ pairingCode: z.string() }),
  kioskPaired: z.object({ kiosk: z.object({ name: z.string() }) }),
  hisConnection: z.object({ mllpUrl: nullable(z.string()), environmentMllpUrl: nullable(z.string()) }),
  hisProbe: z.union([
    z.object({ url: z.string(), ok: z.literal(true), ms: z.number() }),
    z.object({ url: z.string(), ok: z.literal(false), text: z.string() }),
  ]),
};

// ---- each schema is its answer type, both ways (a compile error names the one that drifted) ----
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<K extends keyof typeof RESPONSES> = z.output<(typeof RESPONSES)[K]>;
type Checks = {
  health: Same<Out<'health'>, Health>;
  identify: Same<Out<'identify'>, IdentityResult>;
  checkin: Same<Out<'checkin'>, CheckinResponse>;
  encounterList: Same<Out<'encounterList'>, EncounterListResponse>;
  encounterHandoffs: Same<Out<'encounterHandoffs'>, EncounterHandoffs>;
  handoffRetry: Same<Out<'handoffRetry'>, HandoffRetryResponse>;
  retryParked: Same<Out<'retryParked'>, RetryParkedResponse>;
  unverified: Same<Out<'unverified'>, UnverifiedResponse>;
  coverageVerify: Same<Out<'coverageVerify'>, CoverageVerifyResponse>;
  identifierAdded: Same<Out<'identifierAdded'>, IdentifierAddedResponse>;
  breakGlass: Same<Out<'breakGlass'>, BreakGlassResponse>;
  me: Same<Out<'me'>, MeResponse>;
  passwordChanged: Same<Out<'passwordChanged'>, PasswordChangeResponse>;
  roomAssigned: Same<Out<'roomAssigned'>, RoomAssignedResponse>;
  apiKeyRevoked: Same<Out<'apiKeyRevoked'>, ApiKeyRevokedResponse>;
  kioskDisabled: Same<Out<'kioskDisabled'>, KioskDisabledResponse>;
  pairingCode: Same<Out<'pairingCode'>, PairingCodeResponse>;
  kioskPaired: Same<Out<'kioskPaired'>, KioskPairedResponse>;
  hisConnection: Same<Out<'hisConnection'>, HisConnectionResponse>;
  hisProbe: Same<Out<'hisProbe'>, HisProbeResponse>;
};
/** Every response schema is checked: a schema added above without its line in `Checks` fails here too. */
export const RESPONSE_TYPES_MATCH: { [K in keyof typeof RESPONSES]: K extends keyof Checks ? Checks[K] : false } = {
  health: true,
  identify: true,
  checkin: true,
  encounterList: true,
  encounterHandoffs: true,
  handoffRetry: true,
  retryParked: true,
  unverified: true,
  coverageVerify: true,
  identifierAdded: true,
  breakGlass: true,
  me: true,
  passwordChanged: true,
  roomAssigned: true,
  apiKeyRevoked: true,
  kioskDisabled: true,
  pairingCode: true,
  kioskPaired: true,
  hisConnection: true,
  hisProbe: true,
};
