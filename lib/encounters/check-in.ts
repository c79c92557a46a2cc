import type { Db } from '../db/client';
import { pgPoolOf, pgTransaction, prepared, sql, withConflictRetry, type Tx } from '../db/pg';
import { lockKeys } from '../db/transaction';
import { audit } from '../audit';
import type { Principal } from '../auth/roles';
import { IDENTIFIER_SYSTEMS, identifierSystems, normalizeVietnameseName, parseIdentity, type BhytInfo, type Identity, type IdentifierValue, type IdentityWarning } from '../identity';
import { loadPatient, matchPatient, type PatientMatch, type StoredCoverage, type StoredPatient } from '../patients/match';
import { addMissingIdentifiers, createPatient, missingIdentifiers, newPatientSchema } from '../patients/create';
import { findLikelyDuplicates, type DuplicateCandidate } from '../patients/duplicates';
import { formatTime, localDay } from '../time/local-day';
import { z } from '../validation';
import { checkBhytCard, gatewaySettings } from '../insurance/gateway-client';
import { verifyCoverage } from '../insurance/verify';
import { openEncounter, type IdentificationMethod, type OpenedEncounter, type TrustLevel } from './open';
import { PRIORITIES, suggestPriority } from './priority';

export const checkinSchema = z.object({
  raw: z.string().max(8192, 'Dữ liệu quét quá dài.').optional(),
  identifier: z.object({ system: z.enum(IDENTIFIER_SYSTEMS), value: z.string().trim().min(1).max(30) }).optional(),
  roomCode: z.string().trim().max(20).optional(),
  visitType: z.enum(['OUTPATIENT', 'EMERGENCY']).optional(),
  payer: z.enum(['BHYT', 'SELF_PAY']).optional(),
  priority: z.enum(PRIORITIES).optional(),
  /** The receptionist says the QR was shown in the VNeID app (its payload looks like the card's). */
  source: z.enum(['VNEID']).optional(),
  newPatient: newPatientSchema.optional(),
  /** "This is the same person": attach the scanned identifiers to this existing record instead of creating one. */
  samePatientId: z.string().uuid().optional(),
}).strict().refine((b) => b.raw !== undefined || b.identifier || b.newPatient, { message: 'Cần dữ liệu quét (raw), số định danh (identifier) hoặc thông tin người bệnh mới (newPatient).' });
export type CheckinRequest = z.infer<typeof checkinSchema>;

export type CheckinResult =
  | { status: 'created' | 'existing'; encounter: OpenedEncounter; patient: StoredPatient; identity: Identity | null; warnings: IdentityWarning[]; message: string }
  | { status: 'not-found'; identity: Identity | null; candidates: DuplicateCandidate[]; warnings: IdentityWarning[]; message: string }
  | { status: 'invalid'; code: string; message: string }
  | { status: 'conflict'; message: string };

type Resolved = { identity: Identity | null; identifiers: IdentifierValue[]; method: IdentificationMethod; warnings: IdentityWarning[] };

/** What was scanned or typed → identity, identifiers and how the patient was identified. */
function resolveInput(input: CheckinRequest): Resolved | { error: { code: string; message: string } } {
  if (input.raw !== undefined) {
    const parsed = parseIdentity(input.raw);
    if (!parsed.ok) return { error: parsed.error };
    const kind = parsed.identity.kind;
    const method: IdentificationMethod =
      kind === 'CCCD_QR' ? (input.source === 'VNEID' ? 'VNEID' : 'CCCD_QR')
        : kind === 'BHYT_QR' ? 'BHYT_QR'
          : kind === 'PERSONAL_ID' || kind === 'CMND' ? 'TYPED_ID' : 'TYPED_BHYT';
    return { identity: parsed.identity, identifiers: identifierSystems(parsed.identity), method, warnings: parsed.warnings };
  }
  if (input.identifier) {
    const { system, value } = input.identifier;
    if (system === 'HOSPITAL_CODE') return { identity: null, identifiers: [{ system, value: value.toUpperCase() }], method: 'TYPED_ID', warnings: [] };
    const parsed = parseIdentity(value);
    const expected = { PERSONAL_ID: 'PERSONAL_ID', CMND: 'CMND', BHYT_CARD: 'BHYT_CODE', BHXH_NUMBER: 'BHXH_NUMBER' }[system];
    if (!parsed.ok) return { error: parsed.error };
    // A 12-digit number typed as a BHYT identifier is a personal ID (cards since 2025 use it): accept it.
    if (parsed.identity.kind !== expected && !(system === 'BHYT_CARD' && parsed.identity.kind === 'BHXH_NUMBER')) {
      return { error: { code: 'IDENTIFIER_MISMATCH', message: 'Số đã nhập không đúng dạng của loại giấy tờ đã chọn.' } };
    }
    const method = system === 'PERSONAL_ID' || system === 'CMND' ? 'TYPED_ID' : 'TYPED_BHYT';
    return { identity: parsed.identity, identifiers: identifierSystems(parsed.identity), method, warnings: parsed.warnings };
  }
  return { identity: null, identifiers: [], method: 'MANUAL', warnings: [] };
}

function trustOf(method: IdentificationMethod, bhytVerified: boolean): TrustLevel {
  if (method === 'CCCD_QR' || method === 'VNEID') return 'CARD_VERIFIED';
  if (bhytVerified) return 'INSURER_VERIFIED';
  // A BHYT card QR carries no signature: until the BHXH gateway confirms it, it is as good as a typed number.
  return method === 'MANUAL' ? 'UNIDENTIFIED' : 'TYPED';
}

// Update: keep what the card did not carry (a typed BHXH number has no validity dates); a new card code
// needs verifying again.
const UPSERT_COVERAGE = prepared('coverage-upsert', `WITH existing AS (
     SELECT id, "cardCode" FROM "Coverage" WHERE "patientId" = $1::uuid AND ("cardCode" = $2 OR "bhxhNumber" = $3)
     ORDER BY "updatedAt" DESC LIMIT 1),
   upd AS (
     UPDATE "Coverage" c SET "cardCode" = COALESCE($2, c."cardCode"), "bhxhNumber" = COALESCE($3, c."bhxhNumber"),
       "benefitLevel" = COALESCE($4, c."benefitLevel"), "registeredFacility" = COALESCE($5, c."registeredFacility"),
       "validFrom" = COALESCE($6, c."validFrom"), "validTo" = COALESCE($7, c."validTo"), "fiveYearsFrom" = COALESCE($8, c."fiveYearsFrom"),
       verification = CASE WHEN $2 IS NOT NULL AND existing."cardCode" IS DISTINCT FROM $2 THEN 'UNVERIFIED' ELSE c.verification END,
       "verifiedAt" = CASE WHEN $2 IS NOT NULL AND existing."cardCode" IS DISTINCT FROM $2 THEN NULL ELSE c."verifiedAt" END,
       "updatedAt" = now()
     FROM existing WHERE c.id = existing.id RETURNING c.id),
   ins AS (
     INSERT INTO "Coverage" ("patientId", "cardCode", "bhxhNumber", "benefitLevel", "registeredFacility", "validFrom", "validTo", "fiveYearsFrom", "updatedAt")
     SELECT $1::uuid, $2, $3, $4, $5, $6, $7, $8, now() WHERE NOT EXISTS (SELECT 1 FROM existing) RETURNING id)
   SELECT id::text AS id FROM upd UNION ALL SELECT id::text FROM ins`);

/** True when the card says nothing that the stored coverage does not already say: storing it would change nothing. */
export function cardAlreadyStored(stored: StoredCoverage | null, card: BhytInfo | undefined): boolean {
  if (!card?.cardCode && !card?.bhxhNumber) return true;
  if (!stored) return false;
  // What the card leaves out (undefined) or prints as '-' (null) keeps the stored value, as in the upsert.
  const kept = (scanned: string | number | null | undefined, value: string | number | null) => scanned === undefined || scanned === null || scanned === value;
  return kept(card.cardCode, stored.cardCode) && kept(card.bhxhNumber, stored.bhxhNumber) && kept(card.benefitLevel, stored.benefitLevel)
    && kept(card.registeredFacility, stored.registeredFacility) && kept(card.validFrom, stored.validFrom) && kept(card.validTo, stored.validTo)
    && kept(card.fiveYearsFrom, stored.fiveYearsFrom);
}

/** Fill or refresh the patient's BHYT coverage from the card that was scanned or typed (one round trip). */
async function upsertCoverage(tx: Tx, patient: StoredPatient, identity: Identity | null): Promise<string | null> {
  const card = identity?.bhyt;
  if (!card?.cardCode && !card?.bhxhNumber) return patient.latestCoverage?.id ?? null;
  const [row] = await sql(tx)<{ id: string }>(
    UPSERT_COVERAGE,
    patient.id, card.cardCode ?? null, card.bhxhNumber ?? null, card.benefitLevel ?? null, card.registeredFacility ?? null,
    card.validFrom ?? null, card.validTo ?? null, card.fiveYearsFrom ?? null,
  );
  return row!.id;
}

/**
 * The desk's one step: scan or typed number → the right patient (or a new one, or "not found" with a pre-filled
 * form and likely duplicates) → today's encounter in the room with a queue number → HIS hand-off queued.
 * Repeated and concurrent check-ins of one person converge on one patient and one encounter.
 */
export async function checkIn(db: Db, actor: Principal, input: CheckinRequest, now = new Date()): Promise<CheckinResult> {
  const resolved = resolveInput(input);
  if ('error' in resolved) return { status: 'invalid', ...resolved.error };
  const { identity, identifiers, method, warnings } = resolved;

  const room = input.roomCode ? await findRoom(db, actor.facilityId, input.roomCode, now) : await defaultRoom(db, actor);
  if (!room || !room.active) return { status: 'invalid', code: 'UNKNOWN_ROOM', message: `Không có phòng khám "${input.roomCode ?? ''}" đang hoạt động.` };

  const pool = pgPoolOf(db); // plain `pg` (lib/db/pg.ts): CPU per check-in is what limits the desk's throughput
  const found = await matchPatient(pool, identifiers);
  if (found.kind === 'conflict') return identifierConflict(pool, actor, method);
  if (found.kind === 'none' && !input.newPatient && !input.samePatientId) {
    const candidates = identity?.fullName && identity.dateOfBirth
      ? await findLikelyDuplicates(pool, { fullName: identity.fullName, dateOfBirth: identity.dateOfBirth }, identifiers)
      : [];
    await audit(pool, { action: 'PATIENT_LOOKUP', outcome: 'FAILURE', actor, details: { method, reason: 'not-found', candidates: candidates.length } });
    return { status: 'not-found', identity, candidates, warnings, message: 'Chưa có hồ sơ người bệnh này. Kiểm tra thông tin và tạo hồ sơ mới.' };
  }

  /** Today's encounter for the patient (new or existing), in one statement with its hand-off and audit rows. */
  const open = async (tx: Tx, patient: StoredPatient, how: string, coverageId: string | null): Promise<CheckinResult> => {
    const payer = input.payer ?? (coverageId ? 'BHYT' : 'SELF_PAY');
    const { created, encounter } = await openEncounter(tx, {
      facility: { id: actor.facilityId, code: actor.facilityCode }, patientId: patient.id, room, now,
      visitType: input.visitType ?? 'OUTPATIENT', payer,
      priority: input.priority ?? suggestPriority({ birthDate: patient.birthDate, day: localDay(now), bhytGroup: identity?.bhyt?.groupCode, visitType: input.visitType }),
      identificationMethod: method, trustLevel: trustOf(method, false),
      coverageId: payer === 'BHYT' ? coverageId : null, bhytVerification: payer === 'BHYT' ? 'UNVERIFIED' : null,
      actor, auditDetails: { method, patient: how, room: room.code },
    });
    const message = created
      ? `Số thứ tự ${encounter.queueNumber} — ${encounter.room.name}`
      : `Đã tiếp đón lúc ${formatTime(encounter.checkedInAt)} — số ${encounter.queueNumber}`;
    return { status: created ? 'created' : 'existing', encounter, patient, identity, warnings, message };
  };

  // Most check-ins: a returning patient whose card (CCCD, or a BHYT card already on file) adds nothing new to the
  // record. The match above and one statement (a transaction of its own) are the whole check-in: two round trips.
  if (found.kind === 'one' && missingIdentifiers(found.patient.identifiers, identifiers).length === 0 && cardAlreadyStored(found.patient.latestCoverage, identity?.bhyt)) {
    return withConflictRetry(() => open(pool, found.patient, `matched:${found.matchedBy.join('+')}`, found.patient.latestCoverage?.id ?? null));
  }

  // Anything to write besides the encounter (identifiers, coverage, a new patient): one transaction.
  return pgTransaction(pool, async (tx) => {
    let match: PatientMatch = found;
    // A known identifier needs no lock (the partial unique index settles two desks opening one encounter);
    // creating a patient does: lock the card's identifiers, then look again.
    const manualKey = input.newPatient && identifiers.length === 0
      ? [`manual:${normalizeVietnameseName(input.newPatient.fullName)}:${input.newPatient.dateOfBirth}`] : [];
    if (match.kind === 'none') {
      await lockKeys(tx, [...identifiers.map((i) => `identifier:${i.system}:${i.value}`), ...manualKey]);
      match = await matchPatient(tx, identifiers);
    }
    if (match.kind === 'conflict') return identifierConflict(tx, actor, method);

    let patient: StoredPatient;
    let how: string;
    if (match.kind === 'one') {
      patient = match.patient;
      how = `matched:${match.matchedBy.join('+')}`;
      if (await addMissingIdentifiers(tx, patient.id, patient.identifiers, identifiers)) patient = await loadPatient(tx, patient.id);
    } else if (input.samePatientId) {
      const [same] = await sql(tx)<{ id: string; mergedIntoId: string | null; identifiers: { system: string; value: string }[] }>(
        `SELECT p.id::text AS id, p."mergedIntoId"::text AS "mergedIntoId",
           COALESCE((SELECT json_agg(json_build_object('system', i.system, 'value', i.value)) FROM "PatientIdentifier" i WHERE i."patientId" = p.id), '[]') AS identifiers
         FROM "Patient" p WHERE p.id = $1::uuid`, input.samePatientId);
      if (!same || same.mergedIntoId) return { status: 'invalid' as const, code: 'UNKNOWN_PATIENT', message: 'Không tìm thấy hồ sơ đã chọn.' };
      if (identifiers.some((s) => s.system !== 'BHYT_CARD' && same.identifiers.some((i) => i.system === s.system && i.value !== s.value))) {
        return { status: 'invalid' as const, code: 'IDENTIFIER_CONFLICT', message: 'Hồ sơ đã chọn có số giấy tờ khác với thẻ vừa quét: không phải cùng một người.' };
      }
      await addMissingIdentifiers(tx, same.id, same.identifiers, identifiers);
      patient = await loadPatient(tx, same.id);
      how = 'linked-to-existing';
    } else {
      const newPatient = input.newPatient!; // checked above: without it, "none" returned not-found
      // A manual form (no identifiers) sent twice must not make two records: reuse one made moments ago.
      const [twin] = manualKey.length ? await sql(tx)<{ id: string }>(
        `SELECT p.id::text AS id FROM "Patient" p
         WHERE p."normalizedName" = $1 AND p."birthDate" = $2 AND p.sex = $3::"Sex" AND p."createdAt" >= $4
           AND NOT EXISTS (SELECT 1 FROM "PatientIdentifier" i WHERE i."patientId" = p.id) LIMIT 1`,
        normalizeVietnameseName(newPatient.fullName), newPatient.dateOfBirth, newPatient.sex, new Date(now.getTime() - 5 * 60_000)) : [];
      patient = await loadPatient(tx, twin?.id ?? (await createPatient(tx, newPatient, identifiers)).id);
      how = twin ? 'manual-repeat' : 'created';
      if (!twin) await audit(tx, { action: 'PATIENT_CREATED', actor, patientId: patient.id, entityType: 'Patient', entityId: patient.id, details: { method, identifiers: identifiers.length } });
    }
    return open(tx, patient, how, await upsertCoverage(tx, patient, identity));
  });
}

async function identifierConflict(tx: Tx, actor: Principal, method: IdentificationMethod): Promise<CheckinResult> {
  await audit(tx, { action: 'PATIENT_LOOKUP', outcome: 'FAILURE', actor, details: { method, reason: 'identifier-conflict' } });
  return { status: 'conflict', message: 'Các số trên thẻ thuộc về nhiều hồ sơ khác nhau. Vui lòng chuyển bộ phận hỗ trợ kiểm tra và gộp hồ sơ.' };
}

/** Rooms change a few times a year and are read on every check-in: remembered for 30 s. */
type DeskRoom = { id: string; code: string; name: string; active: boolean };
const roomCache = new Map<string, { room: DeskRoom | null; until: number }>();
async function findRoom(db: Db, facilityId: string, code: string, now: Date) {
  const key = `${facilityId}:${code}`;
  const hit = roomCache.get(key);
  if (hit && hit.until > now.getTime()) return hit.room;
  const room = await db.room.findUnique({ where: { facilityId_code: { facilityId, code } }, select: { id: true, code: true, name: true, active: true } });
  if (roomCache.size > 5_000) roomCache.clear();
  roomCache.set(key, { room, until: now.getTime() + 30_000 });
  return room;
}

/** The receptionist's last room, else the facility's first active room. */
async function defaultRoom(db: Db, actor: Principal) {
  if (actor.kind === 'USER') {
    const user = await db.user.findUnique({ where: { id: actor.id }, select: { lastRoom: { select: { id: true, code: true, name: true, active: true } } } });
    if (user?.lastRoom?.active) return user.lastRoom;
  }
  return db.room.findFirst({ where: { facilityId: actor.facilityId, active: true }, orderBy: { code: 'asc' }, select: { id: true, code: true, name: true, active: true } });
}

/** How long the desk waits for the BHXH gateway before handing out the number "BHYT chưa xác minh". */
export const CHECKIN_GATEWAY_TIMEOUT_MS = 3_000;

/**
 * Right after a BHYT check-in commits, ask the BHXH gateway about the card (with the receptionist's name and
 * CCCD, as BHXH requires). The encounter already exists: a slow or absent gateway only leaves it
 * "BHYT chưa xác minh" for the worklist. Returns the verification now recorded, or null when not asked.
 */
export async function verifyBhytAfterCheckIn(db: Db, actor: Principal, encounter: OpenedEncounter): Promise<{ verification: 'VERIFIED' | 'REJECTED' | 'UNVERIFIED'; message: string } | null> {
  if (encounter.payer !== 'BHYT' || encounter.bhytVerification !== 'UNVERIFIED' || !encounter.coverageId) return null;
  if (!gatewaySettings() || actor.kind !== 'USER') return null;
  const staff = await db.user.findUnique({ where: { id: actor.id }, select: { fullName: true, staffIdNumber: true } });
  if (!staff?.staffIdNumber) return null;
  const outcome = await verifyCoverage(db, { coverageId: encounter.coverageId }, staff, {
    actor, check: (input) => checkBhytCard(input, { timeoutMs: CHECKIN_GATEWAY_TIMEOUT_MS }),
  });
  if (outcome.verification === 'VERIFIED' && encounter.trustLevel === 'TYPED') {
    await db.encounter.update({ where: { id: encounter.id }, data: { trustLevel: 'INSURER_VERIFIED' } });
  }
  return { verification: outcome.verification, message: outcome.message };
}
