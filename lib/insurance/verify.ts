/**
 * Re-verification of a BHYT coverage with the BHXH gateway: asks the gateway (outside any transaction),
 * then records the verdict on the Coverage row and on today's encounters that use it, with an audit event.
 * UNAVAILABLE never downgrades a verdict already recorded.
 */
import type { Db } from '../db/client';
import type { Actor } from '../auth/roles';
import { audit } from '../audit';
import { localDayAsDate } from '../time/local-day';
import { checkBhytCard, type CardCheckInput, type GatewayResult } from './gateway-client';
import type { GatewayCard } from './gateway-card';
import { decodeBhytCardCode } from '../identity/bhyt-code';
import { DomainError } from '../errors';
import type { BhytVerification } from '../codes';

export type StaffIdentity = { fullName: string; staffIdNumber: string | null | undefined };

export type VerifyOptions = {
  actor?: Actor | null;
  ip?: string | null;
  /** The card check to use; defaults to the configured gateway (tests pass a client on the simulator). */
  check?: (input: CardCheckInput) => Promise<GatewayResult>;
  now?: Date;
};

export type VerifyOutcome = GatewayResult & {
  coverageId: string;
  verification: BhytVerification;
  encountersUpdated: number;
};

/** 200 from POST /api/v1/bhyt/verify, whatever the gateway said (`status` tells). */
export type CoverageVerifyResponse = Pick<
  VerifyOutcome,
  'coverageId' | 'status' | 'message' | 'verification' | 'encountersUpdated'
> & {
  resultCode: string | null;
  configError: boolean;
  manualCheck: boolean;
};

/** Concurrent re-verifications of one coverage (double click, "verify all") share one gateway call. */
const inflight = new Map<string, Promise<VerifyOutcome>>();

export function verifyCoverage(
  db: Db,
  target: { coverageId: string },
  staff: StaffIdentity,
  options: VerifyOptions = {},
): Promise<VerifyOutcome> {
  const running = inflight.get(target.coverageId);
  if (running) return running;
  const job = runVerification(db, target.coverageId, staff, options).finally(() => inflight.delete(target.coverageId));
  inflight.set(target.coverageId, job);
  return job;
}

/** What to send as maThe: the card code, else the 10-digit BHXH number, else the personal ID (kiosk practice, §3.1). */
function cardNumberOf(
  coverage: { cardCode: string | null; bhxhNumber: string | null },
  personalId: string | undefined,
): string | undefined {
  return coverage.cardCode ?? coverage.bhxhNumber ?? personalId;
}

/** For 003 the old card has expired and a new one was issued: the new card is the one to keep. */
export function effectiveCard(result: GatewayResult): GatewayCard | undefined {
  const card = result.card;
  if (!card) return undefined;
  if (result.resultCode === '003' && card.newCard?.cardCode) {
    const n = card.newCard;
    return {
      ...card,
      cardCode: n.cardCode,
      benefitLevel: decodeBhytCardCode(n.cardCode!)?.benefitLevel,
      validFrom: n.validFrom,
      validTo: n.validTo,
      registeredFacility: n.registeredFacility ?? card.registeredFacility,
    };
  }
  return card;
}

async function runVerification(
  db: Db,
  coverageId: string,
  staff: StaffIdentity,
  options: VerifyOptions,
): Promise<VerifyOutcome> {
  const now = options.now ?? new Date();
  const coverage = await db.coverage.findUnique({
    where: { id: coverageId },
    include: { patient: { include: { identifiers: { where: { system: 'PERSONAL_ID', retiredAt: null }, take: 1 } } } },
  });
  if (!coverage) throw new DomainError('not-found', 'NOT_FOUND', 'Không tìm thấy thẻ BHYT cần xác minh.');
  const patient = coverage.patient;
  const cardNumber = cardNumberOf(coverage, patient.identifiers[0]?.value);

  const check = options.check ?? ((input: CardCheckInput) => checkBhytCard(input));
  const result: GatewayResult = cardNumber
    ? await check({
        cardNumber,
        fullName: patient.fullName,
        dateOfBirth: patient.birthDate,
        staff: { fullName: staff.fullName, staffIdNumber: staff.staffIdNumber ?? '' },
      })
    : { status: 'UNAVAILABLE', message: 'Người bệnh chưa có số thẻ BHYT hoặc số định danh để tra cứu.' };

  const encountersUpdated = await recordVerification(db, { coverageId, patientId: patient.id }, result, {
    ...options,
    now,
  });
  const after = await db.coverage.findUniqueOrThrow({ where: { id: coverageId }, select: { verification: true } });
  return { ...result, coverageId, verification: after.verification, encountersUpdated };
}

/**
 * Records a gateway answer on the coverage and on today's encounters that use it, with its audit event (one
 * transaction). Also for answers got elsewhere (the kiosk asks before the encounter exists).
 */
export async function recordVerification(
  db: Db,
  target: { coverageId: string; patientId: string },
  result: GatewayResult,
  options: VerifyOptions = {},
): Promise<number> {
  const { coverageId } = target;
  const now = options.now ?? new Date();
  const verdict = result.status === 'UNAVAILABLE' ? null : result.status;
  const card = verdict === 'VERIFIED' ? effectiveCard(result) : undefined;
  const today = localDayAsDate(now);

  return db.$transaction(async (tx) => {
    if (verdict) {
      await tx.coverage.update({
        where: { id: coverageId },
        data: {
          verification: verdict,
          verifiedAt: now,
          gatewayResultCode: result.resultCode ?? null,
          gatewayMessage: result.message,
          ...(card?.cardCode ? { cardCode: card.cardCode, benefitLevel: card.benefitLevel ?? null } : {}),
          ...(card?.bhxhNumber ? { bhxhNumber: card.bhxhNumber } : {}),
          ...(card?.registeredFacility ? { registeredFacility: card.registeredFacility } : {}),
          ...(card?.validFrom ? { validFrom: card.validFrom } : {}),
          ...(card ? { validTo: card.validTo ?? null, fiveYearsFrom: card.fiveYearsFrom ?? null } : {}),
        },
      });
    } else {
      // No verdict: note the attempt only where nothing better is recorded.
      await tx.coverage.updateMany({
        where: { id: coverageId, verification: 'UNVERIFIED' },
        data: { gatewayResultCode: result.resultCode ?? null, gatewayMessage: result.message },
      });
    }
    const { count } = await tx.encounter.updateMany({
      where: verdict
        ? { coverageId, localDate: today, status: { not: 'CANCELLED' } }
        : { coverageId, localDate: today, status: { not: 'CANCELLED' }, bhytVerification: null },
      data: { bhytVerification: verdict ?? 'UNVERIFIED' },
    });
    await audit(tx, {
      action: verdict === 'VERIFIED' ? 'BHYT_VERIFIED' : verdict === 'REJECTED' ? 'BHYT_REJECTED' : 'BHYT_UNAVAILABLE',
      outcome: verdict ? 'SUCCESS' : 'FAILURE',
      actor: options.actor ?? null,
      ip: options.ip ?? null,
      entityType: 'Coverage',
      entityId: coverageId,
      patientId: target.patientId,
      purpose: 'Xác minh thẻ BHYT với cổng BHXH',
      details: {
        status: result.status,
        resultCode: result.resultCode ?? null,
        encounters: count,
        configError: result.configError ?? false,
      },
    });
    return count;
  });
}
