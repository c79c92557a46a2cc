import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { pgPoolOf, pgTransaction, withConflictRetry, type Queryable } from '../db/pg';
import { isRetryableConflict, lockKeys } from '../db/transaction';
import { audit } from '../audit';
import { channelOf, type Actor } from '../auth/roles';
import {
  identifierSystems,
  normalizeVietnameseName,
  type BhytInfo,
  type Identity,
  type IdentifierValue,
  type IdentityWarning,
} from '../identity';
import { loadLinkTarget, loadPatient, matchPatient, type PatientMatch, type StoredPatient } from '../patients/match';
import { addMissingIdentifiers, createPatient, missingIdentifiers, recentManualTwin } from '../patients/create';
import { newPatientSchema } from '../patients/schemas';
import { carriesScanned, findLikelyDuplicates, type DuplicateCandidate } from '../patients/duplicates';
import { cardAlreadyStored, storeCoverage } from '../insurance/coverage';
import {
  maskIdentifiers,
  mintCandidateToken,
  notFoundRetryAfter,
  openCandidateToken,
  type CandidateSummary,
  type RevealedCandidate,
} from './candidates';
import { formatTime, localDay } from '../time/local-day';
import { countCheckin } from '../ops/metrics';
import { findRoom, defaultRoom } from './rooms';
import { typedPersonWarnings } from '../identity/soft-checks';
import { openEncounter, type PatientToCreate, type SameDayVisit, type OpenedEncounter } from './open';
import { suggestPriority } from './priority';
import { hisFhirUrl, lookupHisPatient, type HisLookup } from '../handoff/his-lookup';
import { resolveInput, type CheckinRequest, type Resolved } from './check-in-input';
import type { BhytVerification, IdentificationMethod, TrustLevel } from '../codes';
import type { Jsonified } from '../http/json';

/** What the check-in takes (the route validates the body with this schema). */
export { checkinSchema, type CheckinRequest } from './check-in-input';

// The desk's check-in, step by step: what the request says (./check-in-input.ts) → the room (./rooms.ts) → the
// patient (lib/patients) → today's encounter in one statement (./open.ts), with the card's coverage
// (lib/insurance/coverage.ts); after the commit, the BHXH gateway (./bhyt-after-check-in.ts).

/**
 * The patient as the desk sees it after a check-in: what the result screen shows (stored demographics beside the
 * card's) and current identifiers masked. No phone, no retired identifiers, nothing of other facilities.
 */
export type DeskPatient = RevealedCandidate; // the same fields the desk sees of a revealed likely duplicate

export type CheckinResult =
  | {
      status: 'created' | 'existing';
      encounter: OpenedEncounter;
      patient: DeskPatient;
      identity: Identity | null;
      warnings: IdentityWarning[];
      message: string;
    }
  | {
      status: 'not-found';
      identity: Identity | null;
      candidates: CandidateSummary[];
      warnings: IdentityWarning[];
      his: HisLookup | null;
      message: string;
    }
  | { status: 'rate-limited'; retryAfterSeconds: number; message: string }
  | { status: 'invalid'; code: string; message: string }
  | { status: 'conflict'; message: string }
  | { status: 'seen-today'; patient: { fullName: string }; visits: SameDayVisit[]; message: string };

/** What callers other than the desk's API need (they are not part of the request: clients cannot set them). */
export type CheckInOptions = {
  /**
   * The self check-in kiosk: a person with no record is created from their chip card's QR (CCCD / Căn cước,
   * also shown in VNeID) — never from typed numbers or a BHYT card alone — unless a likely duplicate exists,
   * which comes back as not-found with its candidates, for the counter.
   */
  createFromCard?: boolean;
  /** A BHYT card the BHXH gateway has just confirmed for this person: stored as their coverage, the encounter verified. */
  verifiedCard?: BhytInfo;
};

// ---- what POST /api/v1/checkins answers (the desk and kiosk UIs import these types) ----

export type { CandidateSummary, MaskedIdentifier, RevealedCandidate } from './candidates';
export type { HisLookup, HisPatient } from '../handoff/his-lookup';
/** The encounter in the answer: as ./open.ts stores it, with its room and the time as text. */
export type CheckinEncounter = Pick<
  OpenedEncounter,
  | 'id'
  | 'number'
  | 'queueNumber'
  | 'status'
  | 'identificationMethod'
  | 'trustLevel'
  | 'payer'
  | 'visitType'
  | 'priority'
  | 'bhytVerification'
> & {
  roomCode: string;
  roomName: string;
  checkedInAt: string;
};
/** 201 (new encounter) or 200 (already checked in today). `identity` is the scan the client sent, as parsed. */
export type CheckinResponse = {
  created: boolean;
  message: string;
  encounter: CheckinEncounter;
  patient: DeskPatient;
  identity: Identity | null;
  warnings: IdentityWarning[];
  bhytMessage: string | null;
};
/**
 * 404: the scan's identity (to pre-fill the new-patient form), likely duplicates as masked summaries, and what the
 * HIS said when it has a FHIR endpoint (null: not asked) — a match pre-fills the form with the HIS's code.
 */
export type CheckinNotFoundResponse = {
  error: { code: 'PATIENT_NOT_FOUND'; message: string };
  identity: Identity | null;
  candidates: CandidateSummary[];
  warnings: IdentityWarning[];
  his: HisLookup | null;
};
/** 409 SEEN_TODAY_OTHER_ROOM's details (in `error`): where the patient was seen today; send again with `confirmSecondRoom: true`. */
export type SeenTodayDetails = Jsonified<Pick<Extract<CheckinResult, { status: 'seen-today' }>, 'patient' | 'visits'>>;
/** 200 from POST /api/v1/checkins/candidates/reveal. */
export type CandidateRevealResponse = { patient: RevealedCandidate };

export function checkinResponse(
  result: Extract<CheckinResult, { status: 'created' | 'existing' }>,
  bhyt: { verification: BhytVerification; message: string } | null,
): CheckinResponse {
  const e = result.encounter;
  return {
    created: result.status === 'created',
    message: result.message,
    encounter: {
      id: e.id,
      number: e.number,
      queueNumber: e.queueNumber,
      roomCode: e.room.code,
      roomName: e.room.name,
      status: e.status,
      identificationMethod: e.identificationMethod,
      trustLevel: e.trustLevel,
      payer: e.payer,
      visitType: e.visitType,
      priority: e.priority,
      bhytVerification: bhyt?.verification ?? e.bhytVerification,
      checkedInAt: e.checkedInAt.toISOString(),
    },
    patient: result.patient,
    identity: result.identity,
    warnings: result.warnings,
    bhytMessage: bhyt?.message ?? null,
  };
}

function deskPatient(p: StoredPatient): DeskPatient {
  return {
    id: p.id,
    fullName: p.fullName,
    birthDate: p.birthDate,
    sex: p.sex,
    address: p.address,
    identifiers: maskIdentifiers(p.identifiers),
  };
}

function trustOf(method: IdentificationMethod, bhytVerified: boolean): TrustLevel {
  if (method === 'CCCD_QR' || method === 'VNEID') return 'CARD_VERIFIED';
  if (bhytVerified) return 'INSURER_VERIFIED';
  // A BHYT card QR carries no signature: until the BHXH gateway confirms it, it is as good as a typed number.
  return method === 'MANUAL' ? 'UNIDENTIFIED' : 'TYPED';
}

/**
 * The desk's one step: scan or typed number → the right patient (or a new one, or "not found" with a pre-filled
 * form and likely duplicates) → today's encounter in the room with a queue number → HIS hand-off queued.
 * Repeated and concurrent check-ins of one person converge on one patient and one encounter.
 */
export async function checkIn(
  db: Db,
  actor: Actor,
  input: CheckinRequest,
  now = new Date(),
  options: CheckInOptions = {},
): Promise<CheckinResult> {
  const resolved = resolveInput(input);
  const method = 'error' in resolved ? 'UNREADABLE' : resolved.method;
  try {
    const result =
      'error' in resolved
        ? { status: 'invalid' as const, ...resolved.error }
        : await checkInResolved(db, actor, input, resolved, now, options);
    countCheckin(method, result.status);
    return result;
  } catch (error) {
    countCheckin(method, 'error');
    throw error;
  }
}

async function checkInResolved(
  db: Db,
  actor: Actor,
  input: CheckinRequest,
  resolved: Resolved,
  now: Date,
  options: CheckInOptions,
): Promise<CheckinResult> {
  const { method } = resolved;
  let { identity, identifiers } = resolved;
  // Typed details against the personal ID, as for a scanned card (the desk asked the receptionist to confirm).
  const typedChecks = input.newPatient
    ? typedPersonWarnings(identity?.personalId, input.newPatient.dateOfBirth, input.newPatient.sex, localDay(now))
    : [];
  const warnings = [
    ...resolved.warnings,
    ...typedChecks.filter((w) => !resolved.warnings.some((r) => r.code === w.code)),
  ];
  // The HIS's code for this person (its look-up found them there): matched like a typed code, stored as this facility's.
  const hisCode = input.newPatient?.hospitalCode;
  if (hisCode && !identifiers.some((i) => i.system === 'HOSPITAL_CODE'))
    identifiers = [...identifiers, { system: 'HOSPITAL_CODE', value: hisCode }];
  if (options.verifiedCard && identity) {
    identity = { ...identity, bhyt: { ...identity.bhyt, ...options.verifiedCard } };
    identifiers = identifierSystems(identity);
  }
  // Kiosk: the card itself is the new patient's form (name, birth date and sex are all on a chip card's QR).
  const fromCard =
    options.createFromCard &&
    (method === 'CCCD_QR' || method === 'VNEID') &&
    identity?.fullName &&
    identity.dateOfBirth &&
    identity.sex
      ? newPatientSchema.safeParse({
          fullName: identity.fullName,
          dateOfBirth: identity.dateOfBirth,
          sex: identity.sex,
          address: identity.address?.slice(0, 300),
        })
      : null;
  const newPatient = input.newPatient ?? (fromCard?.success ? fromCard.data : undefined);

  const room = input.roomCode
    ? await findRoom(db, actor.facilityId, input.roomCode, now)
    : await defaultRoom(db, actor);
  if (!room) {
    return input.roomCode
      ? { status: 'invalid', code: 'UNKNOWN_ROOM', message: `Không có phòng khám "${input.roomCode}" đang hoạt động.` }
      : {
          status: 'invalid',
          code: 'ROOM_REQUIRED',
          message: 'Chưa chọn phòng khám. Chọn phòng khám rồi tiếp đón lại.',
        };
  }

  const pool = pgPoolOf(db); // plain `pg` (lib/db/pg.ts): CPU per check-in is what limits the desk's throughput
  let found = await matchPatient(pool, identifiers, actor.facilityId);
  if (found.kind === 'conflict') return identifierConflict(pool, actor, method);
  if (found.kind === 'none' && !input.samePatientToken && !input.newPatient) {
    const duplicates =
      identity?.fullName && identity.dateOfBirth
        ? await findLikelyDuplicates(
            pool,
            { fullName: identity.fullName, dateOfBirth: identity.dateOfBirth },
            identifiers,
          )
        : [];
    // A "candidate" carrying the scanned number is this very person, created at another desk or kiosk since the match.
    if (carriesScanned(duplicates, identifiers)) {
      found = await matchPatient(pool, identifiers, actor.facilityId);
      if (found.kind === 'conflict') return identifierConflict(pool, actor, method);
    }
    if (found.kind === 'none' && (!newPatient || duplicates.length > 0))
      return notFound(pool, actor, method, identity, identifiers, duplicates, warnings, now);
  }

  /** Today's encounter for the patient (new or existing), in one statement with its hand-off and audit rows. */
  const open = async (
    db: Queryable,
    patient: StoredPatient,
    how: string,
    coverageId: string | null,
    create?: PatientToCreate,
  ): Promise<CheckinResult> => {
    const payer = input.payer ?? (coverageId ? 'BHYT' : 'SELF_PAY');
    const verified = payer === 'BHYT' && options.verifiedCard !== undefined;
    const opened = await openEncounter(db, {
      facility: { id: actor.facilityId, code: actor.facilityCode },
      patientId: patient.id,
      room,
      now,
      visitType: input.visitType ?? 'OUTPATIENT',
      payer,
      priority:
        input.priority ??
        suggestPriority({
          birthDate: patient.birthDate,
          day: localDay(now),
          bhytGroup: identity?.bhyt?.groupCode,
          visitType: input.visitType,
        }),
      identificationMethod: method,
      trustLevel: trustOf(method, verified),
      coverageId: payer === 'BHYT' ? coverageId : null,
      bhytVerification: payer === 'BHYT' ? (verified ? 'VERIFIED' : 'UNVERIFIED') : null,
      actor,
      auditDetails: { method, channel: channelOf(actor), patient: how, room: room.code },
      create,
      // A person at the desk confirms a second room the same day; kiosks and integrations choose the room themselves.
      refuseIfSeenInAnotherRoom: actor.kind === 'USER' && !input.confirmSecondRoom,
    });
    if (!opened.encounter) {
      await audit(db, {
        action: 'PATIENT_LOOKUP',
        actor,
        patientId: patient.id,
        entityType: 'Patient',
        entityId: patient.id,
        details: { method, reason: 'seen-today-in-another-room', room: room.code },
      });
      const visits = opened.seenToday;
      const where = visits.map((v) => `${v.roomName} (số ${v.queueNumber}, ${formatTime(v.checkedInAt)})`).join(', ');
      return {
        status: 'seen-today',
        patient: { fullName: patient.fullName },
        visits,
        message: `Người bệnh đã được tiếp đón hôm nay: ${where}. Tiếp đón thêm vào ${room.name}?`,
      };
    }
    const { created, encounter } = opened;
    const message = created
      ? `Số thứ tự ${encounter.queueNumber} — ${encounter.room.name}`
      : `Đã tiếp đón lúc ${formatTime(encounter.checkedInAt)} — số ${encounter.queueNumber}`;
    return {
      status: created ? 'created' : 'existing',
      encounter,
      patient: deskPatient(patient),
      identity,
      warnings,
      message,
    };
  };

  // A new patient with a card or number: ONE statement creates them (identifiers, the card's coverage, the audit
  // row) and opens their encounter with its hand-off, as for a returning patient. Two desks creating the same
  // person at once: the identifier's unique index lets one statement win; the other fails whole and leaves
  // nothing, and this check-in goes on with the winner's record.
  if (found.kind === 'none' && newPatient && identifiers.length > 0 && !input.samePatientToken) {
    const card = identity?.bhyt?.cardCode || identity?.bhyt?.bhxhNumber ? identity.bhyt : undefined;
    const coverage = card ? { id: randomUUID(), card } : null;
    const patient: StoredPatient = {
      id: randomUUID(),
      fullName: newPatient.fullName,
      birthDate: newPatient.dateOfBirth,
      sex: newPatient.sex,
      address: newPatient.address ?? null,
      phone: newPatient.phone ?? null,
      identifiers: identifiers.map((i) => ({ system: i.system, value: i.value, retiredAt: null })),
      latestCoverage:
        coverage && card
          ? {
              id: coverage.id,
              cardCode: card.cardCode ?? null,
              bhxhNumber: card.bhxhNumber ?? null,
              benefitLevel: card.benefitLevel ?? null,
              registeredFacility: card.registeredFacility ?? null,
              validFrom: card.validFrom ?? null,
              validTo: card.validTo ?? null,
              fiveYearsFrom: card.fiveYearsFrom ?? null,
            }
          : null,
    };
    const create: PatientToCreate = {
      patient: newPatient,
      identifiers,
      coverage,
      auditDetails: { method, channel: channelOf(actor), identifiers: identifiers.length },
    };
    try {
      return await open(pool, patient, 'created', coverage?.id ?? null, create);
    } catch (error) {
      if (!isRetryableConflict(error)) throw error;
    }
    found = await matchPatient(pool, identifiers, actor.facilityId); // created at another desk meanwhile
    if (found.kind === 'conflict') return identifierConflict(pool, actor, method);
  }

  // Most check-ins: a returning patient whose card (CCCD, or a BHYT card already on file) adds nothing new to the
  // record. The match above and one statement (a transaction of its own) are the whole check-in: two round trips.
  if (
    found.kind === 'one' &&
    missingIdentifiers(found.patient.identifiers, identifiers).length === 0 &&
    cardAlreadyStored(found.patient.latestCoverage, identity?.bhyt)
  ) {
    const { patient, matchedBy } = found;
    return withConflictRetry(() =>
      open(pool, patient, `matched:${matchedBy.join('+')}`, patient.latestCoverage?.id ?? null),
    );
  }

  // Anything to write besides the encounter (identifiers, coverage, a new patient): one transaction.
  return pgTransaction(pool, async (tx) => {
    let match: PatientMatch = found;
    // A known identifier needs no lock (the partial unique index settles two desks opening one encounter);
    // creating a patient does: lock the card's identifiers, then look again.
    const manualKey =
      input.newPatient && identifiers.length === 0
        ? [`manual:${normalizeVietnameseName(input.newPatient.fullName)}:${input.newPatient.dateOfBirth}`]
        : [];
    if (match.kind === 'none') {
      await lockKeys(tx, [...identifiers.map((i) => `identifier:${i.system}:${i.value}`), ...manualKey]);
      match = await matchPatient(tx, identifiers, actor.facilityId);
    }
    if (match.kind === 'conflict') return identifierConflict(tx, actor, method);

    let patient: StoredPatient;
    let how: string;
    if (match.kind === 'one') {
      patient = match.patient;
      how = `matched:${match.matchedBy.join('+')}`;
      if (await addMissingIdentifiers(tx, patient.id, patient.identifiers, identifiers, actor.facilityId))
        patient = await loadPatient(tx, patient.id, actor.facilityId);
    } else if (input.samePatientToken) {
      const samePatientId = openCandidateToken(actor, input.samePatientToken, now.getTime());
      if (!samePatientId)
        return {
          status: 'invalid' as const,
          code: 'CANDIDATE_EXPIRED',
          message: 'Lựa chọn hồ sơ đã hết hạn. Vui lòng quét lại thẻ.',
        };
      const same = await loadLinkTarget(tx, samePatientId, actor.facilityId);
      if (!same || same.mergedIntoId)
        return { status: 'invalid' as const, code: 'UNKNOWN_PATIENT', message: 'Không tìm thấy hồ sơ đã chọn.' };
      if (
        identifiers.some(
          (s) => s.system !== 'BHYT_CARD' && same.identifiers.some((i) => i.system === s.system && i.value !== s.value),
        )
      ) {
        return {
          status: 'invalid' as const,
          code: 'IDENTIFIER_CONFLICT',
          message: 'Hồ sơ đã chọn có số giấy tờ khác với thẻ vừa quét: không phải cùng một người.',
        };
      }
      await addMissingIdentifiers(tx, same.id, same.identifiers, identifiers, actor.facilityId);
      patient = await loadPatient(tx, same.id, actor.facilityId);
      how = 'linked-to-existing';
    } else {
      if (!newPatient) return notFound(tx, actor, method, identity, identifiers, [], warnings, now); // checked above; keeps TypeScript sure
      // A manual form (no identifiers) sent twice must not make two records: reuse one made moments ago.
      const twin = manualKey.length
        ? await recentManualTwin(tx, newPatient, new Date(now.getTime() - 5 * 60_000))
        : null;
      patient = await loadPatient(
        tx,
        twin?.id ?? (await createPatient(tx, newPatient, identifiers, actor.facilityId)).id,
        actor.facilityId,
      );
      how = twin ? 'manual-repeat' : 'created';
      if (!twin)
        await audit(tx, {
          action: 'PATIENT_CREATED',
          actor,
          patientId: patient.id,
          entityType: 'Patient',
          entityId: patient.id,
          details: { method, channel: channelOf(actor), identifiers: identifiers.length },
        });
    }
    return open(tx, patient, how, await storeCoverage(tx, patient, identity?.bhyt));
  });
}

/**
 * "Not found": each such answer tells the caller something about the patient index, so they are limited per
 * principal; likely duplicates go out as masked summaries, and the audit row names them (ids only).
 */
async function notFound(
  db: Queryable,
  actor: Actor,
  method: IdentificationMethod,
  identity: Identity | null,
  identifiers: IdentifierValue[],
  duplicates: DuplicateCandidate[],
  warnings: IdentityWarning[],
  now: Date,
): Promise<CheckinResult> {
  // A kiosk is exempt: it shows the person no candidates (they go to the counter), so it cannot be used to fish.
  const retryAfterSeconds = actor.kind === 'KIOSK' ? null : await notFoundRetryAfter(db, actor, now);
  if (retryAfterSeconds !== null) {
    await audit(db, {
      action: 'PATIENT_LOOKUP',
      outcome: 'DENIED',
      actor,
      details: { method, reason: 'rate-limited' },
    });
    return {
      status: 'rate-limited',
      retryAfterSeconds,
      message: `Quá nhiều lượt tra cứu không tìm thấy hồ sơ trong thời gian ngắn. Vui lòng thử lại sau ${Math.ceil(retryAfterSeconds / 60)} phút hoặc báo bộ phận hỗ trợ.`,
    };
  }
  // Not here: does the HIS know them? (a kiosk sends such people to the counter, which asks)
  const fhirUrl = actor.kind === 'KIOSK' ? null : hisFhirUrl();
  const his = fhirUrl ? await lookupHisPatient(fhirUrl, actor.facilityCode, identifiers) : null;
  await audit(db, {
    action: 'PATIENT_LOOKUP',
    outcome: 'FAILURE',
    actor,
    details: {
      method,
      reason: 'not-found',
      candidates: duplicates.length,
      candidateIds: duplicates.map((d) => d.id),
      ...(his ? { his: his.status } : {}),
    },
  });
  const candidates = duplicates.map((d): CandidateSummary => ({
    token: mintCandidateToken(actor, d.id, now.getTime()),
    fullName: d.fullName,
    birthYear: Number(d.birthDate.slice(0, 4)),
    sex: d.sex,
    identifiers: maskIdentifiers(d.identifiers),
  }));
  return {
    status: 'not-found',
    identity,
    candidates,
    warnings,
    his,
    message: 'Chưa có hồ sơ người bệnh này. Kiểm tra thông tin và tạo hồ sơ mới.',
  };
}

async function identifierConflict(db: Queryable, actor: Actor, method: IdentificationMethod): Promise<CheckinResult> {
  await audit(db, {
    action: 'PATIENT_LOOKUP',
    outcome: 'FAILURE',
    actor,
    details: { method, reason: 'identifier-conflict' },
  });
  return {
    status: 'conflict',
    message: 'Các số trên thẻ thuộc về nhiều hồ sơ khác nhau. Vui lòng chuyển bộ phận hỗ trợ kiểm tra và gộp hồ sơ.',
  };
}
