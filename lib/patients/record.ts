import type { DbTx } from '../db/client';
import { BREAK_GLASS_ACTION } from './access';

/**
 * Everything the support team's patient page shows, in a fixed number of queries: identifiers with their
 * history (retired ones stay), BHYT coverages with the gateway's verdict, encounters with their hand-off
 * state, merges, and the audit trail of who saw or changed what. Per facility (access.ts): hospital codes,
 * encounters and audit rows of `facilityId` only, plus every break-glass on this record (whoever opened it from
 * outside). Identifiers, coverage and merges belong to the shared index.
 */
export async function getPatientRecord(db: DbTx, patientId: string, facilityId: string) {
  const patient = await db.patient.findUnique({
    where: { id: patientId },
    include: {
      identifiers: {
        where: { OR: [{ assigningFacilityId: null }, { assigningFacilityId: facilityId }] },
        orderBy: [{ retiredAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
      },
      coverages: { orderBy: { createdAt: 'desc' } },
      mergedInto: { select: { id: true, fullName: true } },
    },
  });
  if (!patient) return null;
  const [encounters, merges, auditTrail] = await Promise.all([
    db.encounter.findMany({
      where: { patientId, facilityId },
      orderBy: { checkedInAt: 'desc' },
      take: 50,
      select: {
        id: true,
        number: true,
        localDate: true,
        checkedInAt: true,
        status: true,
        payer: true,
        identificationMethod: true,
        bhytVerification: true,
        room: { select: { code: true, name: true } },
        handoffs: {
          orderBy: { id: 'desc' },
          take: 1,
          select: { status: true, event: true, deliveredAt: true, attempts: true },
        },
      },
    }),
    db.patientMerge.findMany({
      where: { OR: [{ survivorId: patientId }, { mergedId: patientId }] },
      orderBy: { mergedAt: 'desc' },
    }),
    db.auditEvent.findMany({
      where: { patientId, OR: [{ facilityId }, { action: BREAK_GLASS_ACTION }] },
      orderBy: { at: 'desc' },
      take: 100,
      select: {
        id: true,
        at: true,
        action: true,
        outcome: true,
        actorType: true,
        actorName: true,
        purpose: true,
        details: true,
        facilityId: true,
      },
    }),
  ]);
  return {
    patient,
    encounters: encounters.map(({ handoffs, ...e }) => ({ ...e, handoff: handoffs[0] ?? null })),
    merges,
    auditTrail: auditTrail.map((a) => ({ ...a, id: a.id.toString() })),
  };
}

export type PatientRecord = NonNullable<Awaited<ReturnType<typeof getPatientRecord>>>;
