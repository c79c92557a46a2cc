import QRCode from 'qrcode';
import type { Db } from '../db/client';
import { pgPoolOf, sql, type Queryable } from '../db/pg';
import { audit } from '../audit';
import type { KioskPrincipal } from '../auth/roles';
import { identifierSystems, normalizeVietnameseName, parseIdentity, type BhytInfo, type Identity } from '../identity';
import { matchPatient, type StoredPatient } from '../patients/match';
import { carriesScanned, findLikelyDuplicates } from '../patients/duplicates';
import { checkIn } from '../encounters/check-in';
import { CHECKIN_GATEWAY_TIMEOUT_MS } from '../encounters/bhyt-after-check-in';
import { checkBhytCard, type CardCheckInput, type GatewayResult } from '../insurance/gateway-client';
import { effectiveCard, recordVerification } from '../insurance/verify';
import { localDay } from '../time/local-day';
import { uuid, z } from '../validation';
import { endVisit, startVisit } from './visits';
import type { CounterReason, Payer } from '../codes';

/**
 * The kiosk's steps, each a request of its own (the screen keeps the scanned payload in memory for the few
 * seconds of a visit and sends it again; nothing of the person is kept on the server between steps):
 *   scan → the person's name and birth year only ("Đây có phải bạn không?"), or the counter with a reason;
 *   check in → room chosen, BHYT asked of the gateway first when chosen, then the desk's own `checkIn`
 *   (patients created only from the card), the ticket; a person already checked in today gets their ticket again.
 */
const raw = z.string().min(1).max(8192, 'Dữ liệu quét quá dài.');
const scanFields = { visitId: uuid(), raw, source: z.enum(['VNEID']).optional() };
export const kioskScanSchema = z.object({ raw, source: z.enum(['VNEID']).optional() }).strict();
export const kioskReprintSchema = z.object(scanFields).strict();
export const kioskCheckinSchema = z
  .object({
    ...scanFields,
    roomCode: z.string().trim().min(1).max(20),
    payer: z.enum(['BHYT', 'SELF_PAY']),
    /** A BHYT card's QR scanned on the insurance screen (paper card, VssID or VNeID image). */
    cardRaw: raw.optional(),
  })
  .strict();
export const kioskVisitEndSchema = z
  .object({
    outcome: z.enum(['COUNTER', 'EMERGENCY', 'ABANDONED']),
    /** Only what the person chose on screen; every other reason is decided here. */
    reason: z.enum(['NOT_ME', 'BHYT_REJECTED', 'BHYT_UNAVAILABLE']).optional(),
  })
  .strict();

export type Ticket = {
  encounterId: string;
  number: string;
  queueNumber: number;
  checkedInAt: string;
  room: { code: string; name: string; department: string };
  facilityName: string;
  payer: Payer;
  priority: string | null;
  reprint: boolean;
  /** SVG of a QR of the encounter number (no ID number on the ticket). */
  qrSvg: string;
};

export type ScanResult =
  | { visitId: string; person: { name: string; birthYear: number }; checkedInToday: boolean }
  | { visitId: string; counter: CounterReason };
export type CheckinOutcome =
  | { kind: 'ticket'; ticket: Ticket; created: boolean }
  | { kind: 'counter'; reason: CounterReason }
  | { kind: 'bhyt'; status: 'REJECTED' | 'UNAVAILABLE'; resultCode: string | null; canSelfPay: boolean }
  | { kind: 'invalid'; code: string; message: string };

/** From POST /api/v1/kiosk/scan: the person to confirm, or the counter with its reason. */
export type KioskScanResponse = ScanResult;
/** From POST /api/v1/kiosk/checkin and …/reprint: a ticket (201 new, 200 today's again), the counter, or a BHYT refusal to choose on. */
export type KioskCheckinResponse =
  | { ticket: Ticket }
  | { counter: CounterReason }
  | { bhyt: { status: 'REJECTED' | 'UNAVAILABLE'; resultCode: string | null; canSelfPay: boolean } };

type Person = {
  identity: Identity;
  source?: 'VNEID';
  patient: StoredPatient | null;
  name: string;
  dateOfBirth: string;
};

const sameBirth = (a: string, b: string) =>
  a.length === 4 || b.length === 4 ? a.slice(0, 4) === b.slice(0, 4) : a === b;
const sameName = (a: string, b: string) => normalizeVietnameseName(a) === normalizeVietnameseName(b);

/** Who the scan is, by the kiosk's rules: a chip card's QR (or the same shown in VNeID) and nothing else. */
async function identify(
  pool: Queryable,
  facilityId: string,
  payload: string,
  source: 'VNEID' | undefined,
): Promise<Person | { reason: CounterReason }> {
  const parsed = parseIdentity(payload);
  if (!parsed.ok) return { reason: 'UNREADABLE' };
  const identity = parsed.identity;
  if (identity.kind === 'BHYT_QR') return { reason: 'BHYT_ONLY' };
  if (identity.kind !== 'CCCD_QR') return { reason: 'TYPED_NUMBER' }; // a bare number, typed or from a barcode
  if (!identity.fullName || !identity.dateOfBirth || !identity.sex) return { reason: 'INCOMPLETE_CARD' };
  const identifiers = identifierSystems(identity);
  let match = await matchPatient(pool, identifiers, facilityId);
  if (match.kind === 'none') {
    const duplicates = await findLikelyDuplicates(
      pool,
      { fullName: identity.fullName, dateOfBirth: identity.dateOfBirth },
      identifiers,
    );
    // Two kiosks scanning one person: the other may have created them since our match (it carries this card's number).
    if (carriesScanned(duplicates, identifiers)) match = await matchPatient(pool, identifiers, facilityId);
    else if (duplicates.length) return { reason: 'LIKELY_DUPLICATE' };
  }
  if (match.kind === 'conflict') return { reason: 'IDENTITY_CONFLICT' };
  if (match.kind === 'one') {
    const p = match.patient;
    if (!sameName(p.fullName, identity.fullName) || !sameBirth(p.birthDate, identity.dateOfBirth))
      return { reason: 'RECORD_MISMATCH' };
    return { identity, source, patient: p, name: p.fullName, dateOfBirth: p.birthDate };
  }
  return { identity, source, patient: null, name: identity.fullName, dateOfBirth: identity.dateOfBirth };
}

async function todaysEncounter(
  pool: Queryable,
  kiosk: KioskPrincipal,
  patientId: string,
  now: Date,
): Promise<string | null> {
  const [row] = await sql(pool)<{ id: string }>(
    `SELECT id::text AS id FROM "Encounter" WHERE "patientId" = $1::uuid AND "facilityId" = $2::uuid AND "localDate" = $3::date AND status <> 'CANCELLED'
     ORDER BY "checkedInAt" DESC LIMIT 1`,
    patientId,
    kiosk.facilityId,
    localDay(now),
  );
  return row?.id ?? null;
}

/** The scan: name and birth year to confirm, or the counter. Starts the visit; audited as a look-up by the kiosk. */
export async function kioskScan(
  db: Db,
  kiosk: KioskPrincipal,
  input: z.infer<typeof kioskScanSchema>,
  now = new Date(),
): Promise<ScanResult> {
  const pool = pgPoolOf(db);
  const who = await identify(pool, kiosk.facilityId, input.raw, input.source);
  if ('reason' in who) {
    const visitId = await startVisit(pool, kiosk, now, who.reason);
    await audit(pool, {
      action: 'PATIENT_LOOKUP',
      outcome: 'FAILURE',
      actor: kiosk,
      entityType: 'KioskVisit',
      entityId: visitId,
      details: { channel: 'KIOSK', reason: who.reason },
    });
    return { visitId, counter: who.reason };
  }
  const visitId = await startVisit(pool, kiosk, now);
  const today = who.patient ? await todaysEncounter(pool, kiosk, who.patient.id, now) : null;
  await audit(pool, {
    action: 'PATIENT_LOOKUP',
    actor: kiosk,
    entityType: 'KioskVisit',
    entityId: visitId,
    patientId: who.patient?.id,
    details: {
      channel: 'KIOSK',
      method: who.source === 'VNEID' ? 'VNEID' : 'CCCD_QR',
      found: who.patient !== null,
      checkedInToday: today !== null,
    },
  });
  return {
    visitId,
    person: { name: who.name, birthYear: Number(who.dateOfBirth.slice(0, 4)) },
    checkedInToday: today !== null,
  };
}

async function loadTicket(db: Db, kiosk: KioskPrincipal, encounterId: string, reprint: boolean) {
  const e = await db.encounter.findFirst({
    where: { id: encounterId, facilityId: kiosk.facilityId },
    select: {
      id: true,
      number: true,
      queueNumber: true,
      checkedInAt: true,
      payer: true,
      priority: true,
      patientId: true,
      room: { select: { code: true, name: true, department: true } },
      facility: { select: { name: true } },
    },
  });
  if (!e) return null;
  const ticket: Ticket = {
    encounterId: e.id,
    number: e.number,
    queueNumber: e.queueNumber,
    checkedInAt: e.checkedInAt.toISOString(),
    room: e.room,
    facilityName: e.facility.name,
    payer: e.payer,
    priority: e.priority,
    reprint,
    qrSvg: await QRCode.toString(e.number, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' }),
  };
  return { ticket, patientId: e.patientId };
}

/** The ticket of an encounter of the kiosk's facility (audited as printed by the kiosk). */
async function ticketOf(db: Db, kiosk: KioskPrincipal, encounterId: string, reprint: boolean): Promise<Ticket> {
  const loaded = await loadTicket(db, kiosk, encounterId, reprint);
  if (!loaded) throw new Error('encounter of the ticket not found');
  await audit(db, {
    action: 'EXAM_SLIP_PRINTED',
    actor: kiosk,
    patientId: loaded.patientId,
    entityType: 'Encounter',
    entityId: encounterId,
    details: { channel: 'KIOSK', reprint },
  });
  return loaded.ticket;
}

/**
 * The ticket page the kiosk prints (/kiosk/phieu/:id): only an encounter this kiosk gave out or reprinted today,
 * so the device session reads nothing else. Not audited again: the answer that gave the ticket was.
 */
export async function printableTicket(
  db: Db,
  kiosk: KioskPrincipal,
  encounterId: string,
  now = new Date(),
): Promise<Ticket | null> {
  const visit = await db.kioskVisit.findFirst({
    where: {
      facilityId: kiosk.facilityId,
      localDate: new Date(`${localDay(now)}T00:00:00Z`),
      kioskId: kiosk.id,
      encounterId,
    },
    select: { id: true },
  });
  if (!visit) return null;
  return (await loadTicket(db, kiosk, encounterId, false))?.ticket ?? null;
}

/** Same day, same person: the ticket they already have, printed again. */
export async function kioskReprint(
  db: Db,
  kiosk: KioskPrincipal,
  input: z.infer<typeof kioskReprintSchema>,
  now = new Date(),
): Promise<CheckinOutcome> {
  const pool = pgPoolOf(db);
  const who = await identify(pool, kiosk.facilityId, input.raw, input.source);
  if ('reason' in who) return counter(pool, kiosk, input.visitId, who.reason, now);
  const today = who.patient ? await todaysEncounter(pool, kiosk, who.patient.id, now) : null;
  if (!today)
    return { kind: 'invalid', code: 'NOT_CHECKED_IN', message: 'Chưa tiếp đón hôm nay: mời chọn phòng khám.' };
  await endVisit(pool, kiosk, input.visitId, 'REPRINT', now, { encounterId: today });
  return { kind: 'ticket', ticket: await ticketOf(db, kiosk, today, true), created: false };
}

async function counter(
  pool: Queryable,
  kiosk: KioskPrincipal,
  visitId: string,
  reason: CounterReason,
  now: Date,
): Promise<CheckinOutcome> {
  await endVisit(pool, kiosk, visitId, 'COUNTER', now, { reason });
  return { kind: 'counter', reason };
}

export type KioskDeps = { checkCard?: (input: CardCheckInput) => Promise<GatewayResult> };

/** What the gateway confirmed, as the card fields a coverage stores. */
function confirmedCard(result: GatewayResult, scanned: BhytInfo | undefined): BhytInfo {
  const card = effectiveCard(result);
  const fields = {
    cardCode: card?.cardCode,
    bhxhNumber: card?.bhxhNumber,
    groupCode: card?.groupCode,
    benefitLevel: card?.benefitLevel,
    registeredFacility: card?.registeredFacility,
    validFrom: card?.validFrom,
    validTo: card?.validTo,
    fiveYearsFrom: card?.fiveYearsFrom,
  };
  return { ...scanned, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
}

/**
 * Room chosen: check the person in. With BHYT, the gateway is asked first (with the card scanned now, else the
 * card on file, else the personal ID, which BHYT accepts as the card number); a refusal or no answer comes back
 * before any encounter exists, so the person can still take a number as self-pay or go to the counter.
 */
export async function kioskCheckIn(
  db: Db,
  kiosk: KioskPrincipal,
  input: z.infer<typeof kioskCheckinSchema>,
  now = new Date(),
  deps: KioskDeps = {},
): Promise<CheckinOutcome> {
  const pool = pgPoolOf(db);
  const settings = await db.kiosk.findUniqueOrThrow({
    where: { id: kiosk.id },
    select: {
      offersBhyt: true,
      offersSelfPay: true,
      rooms: { select: { room: { select: { code: true, active: true } } } },
      bhytStaff: { select: { fullName: true, staffIdNumber: true, active: true } },
    },
  });
  if (!settings.rooms.some((r) => r.room.code === input.roomCode && r.room.active)) {
    return { kind: 'invalid', code: 'ROOM_NOT_OFFERED', message: 'Phòng khám này không có ở kiosk.' };
  }
  if (input.payer === 'BHYT' ? !settings.offersBhyt : !settings.offersSelfPay) {
    return { kind: 'invalid', code: 'PAYER_NOT_OFFERED', message: 'Kiosk không nhận đối tượng này.' };
  }
  const who = await identify(pool, kiosk.facilityId, input.raw, input.source);
  if ('reason' in who) return counter(pool, kiosk, input.visitId, who.reason, now);
  // Already checked in today (the same person at another kiosk a moment ago, or coming back): the same number.
  const today = who.patient ? await todaysEncounter(pool, kiosk, who.patient.id, now) : null;
  if (today) {
    await endVisit(pool, kiosk, input.visitId, 'REPRINT', now, { encounterId: today });
    return { kind: 'ticket', ticket: await ticketOf(db, kiosk, today, true), created: false };
  }

  let verified: { card: BhytInfo; result: GatewayResult } | undefined;
  if (input.payer === 'BHYT') {
    let scanned: BhytInfo | undefined;
    if (input.cardRaw !== undefined) {
      const card = parseIdentity(input.cardRaw);
      if (!card.ok || card.identity.kind !== 'BHYT_QR')
        return { kind: 'invalid', code: 'NOT_BHYT_CARD', message: 'Mã vừa quét không phải mã QR thẻ BHYT.' };
      const holder = card.identity;
      if (
        !holder.fullName ||
        !holder.dateOfBirth ||
        !sameName(holder.fullName, who.name) ||
        !sameBirth(holder.dateOfBirth, who.dateOfBirth)
      ) {
        return counter(pool, kiosk, input.visitId, 'CARD_MISMATCH', now);
      }
      scanned = holder.bhyt;
    }
    const onFile = who.patient?.latestCoverage ?? null;
    const cardNumber =
      scanned?.cardCode ?? scanned?.bhxhNumber ?? onFile?.cardCode ?? onFile?.bhxhNumber ?? who.identity.personalId!;
    const staff =
      settings.bhytStaff?.active && settings.bhytStaff.staffIdNumber
        ? { fullName: settings.bhytStaff.fullName, staffIdNumber: settings.bhytStaff.staffIdNumber }
        : null;
    const check =
      deps.checkCard ?? ((q: CardCheckInput) => checkBhytCard(q, { timeoutMs: CHECKIN_GATEWAY_TIMEOUT_MS }));
    const result: GatewayResult = staff
      ? await check({ cardNumber, fullName: who.name, dateOfBirth: who.dateOfBirth, staff })
      : {
          status: 'UNAVAILABLE',
          configError: true,
          message: 'Kiosk chưa được gán cán bộ tra cứu BHYT (trang Quản trị).',
        };
    if (result.status !== 'VERIFIED') {
      const askedOnFile = !scanned && onFile && (onFile.cardCode ?? onFile.bhxhNumber) === cardNumber;
      if (askedOnFile && who.patient)
        await recordVerification(db, { coverageId: onFile.id, patientId: who.patient.id }, result, {
          actor: kiosk,
          now,
        });
      else {
        await audit(pool, {
          action: result.status === 'REJECTED' ? 'BHYT_REJECTED' : 'BHYT_UNAVAILABLE',
          outcome: 'FAILURE',
          actor: kiosk,
          patientId: who.patient?.id,
          purpose: 'Xác minh thẻ BHYT với cổng BHXH',
          details: {
            channel: 'KIOSK',
            resultCode: result.resultCode ?? null,
            configError: result.configError ?? false,
          },
        });
      }
      return {
        kind: 'bhyt',
        status: result.status,
        resultCode: result.resultCode ?? null,
        canSelfPay: settings.offersSelfPay,
      };
    }
    verified = { card: confirmedCard(result, scanned), result };
  }

  const r = await checkIn(
    db,
    kiosk,
    { raw: input.raw, source: who.source, roomCode: input.roomCode, payer: input.payer },
    now,
    { createFromCard: true, verifiedCard: verified?.card },
  );
  switch (r.status) {
    case 'conflict':
      return counter(pool, kiosk, input.visitId, 'IDENTITY_CONFLICT', now);
    case 'rate-limited': // never for a kiosk: it shows no candidates, so its not-found answers are not limited
    case 'not-found':
      return counter(
        pool,
        kiosk,
        input.visitId,
        r.status === 'not-found' && r.candidates.length ? 'LIKELY_DUPLICATE' : 'INCOMPLETE_CARD',
        now,
      );
    case 'invalid':
      return { kind: 'invalid', code: r.code, message: r.message };
    case 'seen-today': // asked of people at the desk only, never of a kiosk
      return { kind: 'invalid', code: 'SEEN_TODAY', message: r.message };
  }
  if (verified && r.encounter.coverageId) {
    await recordVerification(db, { coverageId: r.encounter.coverageId, patientId: r.patient.id }, verified.result, {
      actor: kiosk,
      now,
    });
  }
  await endVisit(pool, kiosk, input.visitId, r.status === 'created' ? 'TICKET' : 'REPRINT', now, {
    encounterId: r.encounter.id,
  });
  return {
    kind: 'ticket',
    ticket: await ticketOf(db, kiosk, r.encounter.id, r.status !== 'created'),
    created: r.status === 'created',
  };
}

/** The kiosk's rooms (active, in its order) with how many people wait in each today. */
export async function kioskRooms(db: Db, kiosk: KioskPrincipal, now = new Date()) {
  return sql(pgPoolOf(db))<{ code: string; name: string; department: string; waiting: number }>(
    `SELECT r.code, r.name, r.department,
       (SELECT count(*)::int FROM "Encounter" e WHERE e."roomId" = r.id AND e."localDate" = $2::date AND e.status IN ('REGISTERED', 'CHECKED_IN')) AS waiting
     FROM "KioskRoom" kr JOIN "Room" r ON r.id = kr."roomId"
     WHERE kr."kioskId" = $1::uuid AND r.active ORDER BY kr.position`,
    kiosk.id,
    localDay(now),
  );
}

/** The person chose the counter or the emergency desk, or the screen timed out. */
export async function kioskEndVisit(
  db: Db,
  kiosk: KioskPrincipal,
  visitId: string,
  input: z.infer<typeof kioskVisitEndSchema>,
  now = new Date(),
): Promise<boolean> {
  return endVisit(pgPoolOf(db), kiosk, visitId, input.outcome, now, {
    reason: input.outcome === 'COUNTER' ? (input.reason ?? 'NOT_ME') : undefined,
  });
}

/** 200 from GET /api/v1/kiosk/rooms. */
export type KioskRoomsResponse = { rooms: Awaited<ReturnType<typeof kioskRooms>> };
