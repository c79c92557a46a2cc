/**
 * The "BHYT chưa xác minh" worklist: a facility's encounters of one local day that are paid by BHYT and
 * whose card the gateway has not confirmed or rejected yet. Card numbers leave here masked (group, level and
 * province kept).
 */
import type { DbTx } from '../db/client';
import { maskBhytCardCode } from '../identity/bhyt-code';
import { formatTime } from '../time/local-day';

export type UnverifiedItem = {
  encounterId: string;
  encounterNumber: string;
  coverageId: string | null;
  patientId: string;
  fullName: string;
  cardMasked: string | null;
  room: { code: string; name: string };
  queueNumber: number;
  checkedInAt: string; // ISO
  time: string; // HH:mm, Vietnam
  lastResultCode: string | null;
  lastMessage: string | null;
};

export async function listUnverified(db: DbTx, facilityId: string, day: string): Promise<UnverifiedItem[]> {
  const rows = await db.encounter.findMany({
    where: {
      facilityId,
      localDate: new Date(`${day}T00:00:00.000Z`),
      payer: 'BHYT',
      bhytVerification: 'UNVERIFIED',
      status: { not: 'CANCELLED' },
    },
    orderBy: [{ checkedInAt: 'asc' }, { queueNumber: 'asc' }],
    take: 500,
    select: {
      id: true,
      number: true,
      queueNumber: true,
      checkedInAt: true,
      patientId: true,
      coverageId: true,
      room: { select: { code: true, name: true } },
      patient: { select: { fullName: true } },
      coverage: { select: { cardCode: true, bhxhNumber: true, gatewayResultCode: true, gatewayMessage: true } },
    },
  });
  return rows.map((r) => {
    const number = r.coverage?.cardCode ?? r.coverage?.bhxhNumber ?? null;
    return {
      encounterId: r.id,
      encounterNumber: r.number,
      coverageId: r.coverageId,
      patientId: r.patientId,
      fullName: r.patient.fullName,
      cardMasked: number ? maskBhytCardCode(number) : null,
      room: r.room,
      queueNumber: r.queueNumber,
      checkedInAt: r.checkedInAt.toISOString(),
      time: formatTime(r.checkedInAt),
      lastResultCode: r.coverage?.gatewayResultCode ?? null,
      lastMessage: r.coverage?.gatewayMessage ?? null,
    };
  });
}

/** 200 from GET /api/v1/bhyt/unverified. */
export type UnverifiedResponse = { date: string; items: UnverifiedItem[] };
