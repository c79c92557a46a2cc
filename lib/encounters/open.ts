import type { Prisma } from '../db/client';
import { enqueueHandoff } from '../handoff/outbox';
import { localDay } from '../time/local-day';
import type { Priority } from './priority';

export type IdentificationMethod = 'CCCD_QR' | 'VNEID' | 'BHYT_QR' | 'TYPED_ID' | 'TYPED_BHYT' | 'MANUAL';
export type TrustLevel = 'CARD_VERIFIED' | 'INSURER_VERIFIED' | 'TYPED' | 'UNIDENTIFIED';

export type OpenEncounterInput = {
  facility: { id: string; code: string };
  patientId: string;
  room: { id: string; code: string };
  visitType: 'OUTPATIENT' | 'EMERGENCY';
  payer: 'BHYT' | 'SELF_PAY';
  priority: Priority;
  identificationMethod: IdentificationMethod;
  trustLevel: TrustLevel;
  coverageId: string | null;
  bhytVerification: 'UNVERIFIED' | 'VERIFIED' | 'REJECTED' | null;
  createdById: string | null;
  actorName: string;
  now: Date;
};

export const encounterSelect = {
  id: true, number: true, queueNumber: true, status: true, identificationMethod: true, trustLevel: true, payer: true,
  visitType: true, priority: true, bhytVerification: true, checkedInAt: true, localDate: true, patientId: true, coverageId: true,
  room: { select: { code: true, name: true } },
} satisfies Prisma.EncounterSelect;
export type OpenedEncounter = Prisma.EncounterGetPayload<{ select: typeof encounterSelect }>;

/** Next value of a gap-free daily counter; the row lock also orders concurrent check-ins to the same room. */
async function nextCounter(tx: Prisma.TransactionClient, scope: string, day: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ value: number }[]>`
    INSERT INTO "DailyCounter" (scope, "localDate", value) VALUES (${scope}, ${day}::date, 1)
    ON CONFLICT (scope, "localDate") DO UPDATE SET value = "DailyCounter".value + 1
    RETURNING value`;
  return row!.value;
}

/**
 * Opens today's encounter for a patient in a room, or returns the one already open: at most one non-cancelled
 * encounter per patient, room and local day (also enforced by a partial unique index, so two desks racing
 * cannot both win).  Queue numbers count per room per local day; the encounter number is built from it
 * (`58999-261125-P01-015`, unique because the queue number is). The HIS hand-off is queued in the same transaction. Call inside a transaction.
 */
export async function openEncounter(tx: Prisma.TransactionClient, input: OpenEncounterInput): Promise<{ created: boolean; encounter: OpenedEncounter }> {
  const day = localDay(input.now);
  const localDate = new Date(`${day}T00:00:00.000Z`);
  const existing = await tx.encounter.findFirst({
    where: { patientId: input.patientId, roomId: input.room.id, localDate, status: { not: 'CANCELLED' } },
    select: encounterSelect,
  });
  if (existing) return { created: false, encounter: existing };

  const queueNumber = await nextCounter(tx, `room:${input.room.id}`, day);
  const number = `${input.facility.code}-${day.slice(2).replaceAll('-', '')}-${input.room.code}-${String(queueNumber).padStart(3, '0')}`;
  const encounter = await tx.encounter.create({
    data: {
      number, queueNumber, localDate,
      facilityId: input.facility.id, patientId: input.patientId, roomId: input.room.id,
      coverageId: input.coverageId, status: 'CHECKED_IN', visitType: input.visitType, payer: input.payer,
      priority: input.priority, identificationMethod: input.identificationMethod, trustLevel: input.trustLevel,
      bhytVerification: input.bhytVerification, createdById: input.createdById, checkedInAt: input.now,
      history: { create: { fromStatus: null, toStatus: 'CHECKED_IN', changedAt: input.now, changedBy: input.actorName } },
    },
    select: encounterSelect,
  });
  await enqueueHandoff(tx, { encounterId: encounter.id, patientId: input.patientId, event: 'A04' });
  return { created: true, encounter };
}
