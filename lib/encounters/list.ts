import type { DbTx } from '../db/client';
import { maskIdentifier } from '../identity';
import type { Jsonified } from '../http/json';

/** A local day's encounters at a facility (optionally one room), newest first, with identifiers masked. */
export async function listEncounters(
  db: DbTx,
  input: { facilityId: string; day: string; roomCode?: string; limit?: number },
) {
  const rows = await db.encounter.findMany({
    where: {
      facilityId: input.facilityId,
      localDate: new Date(`${input.day}T00:00:00.000Z`),
      ...(input.roomCode ? { room: { code: input.roomCode } } : {}),
    },
    orderBy: { checkedInAt: 'desc' },
    take: input.limit ?? 500,
    select: {
      id: true,
      number: true,
      queueNumber: true,
      status: true,
      identificationMethod: true,
      payer: true,
      priority: true,
      bhytVerification: true,
      checkedInAt: true,
      room: { select: { code: true, name: true } },
      patient: {
        select: {
          id: true,
          fullName: true,
          birthDate: true,
          identifiers: { where: { system: 'PERSONAL_ID' }, select: { value: true }, take: 1 },
        },
      },
      handoffs: { select: { status: true, lastError: true }, orderBy: { id: 'desc' }, take: 1 },
    },
  });
  return rows.map(({ patient, handoffs, ...e }) => ({
    ...e,
    handoff: handoffs[0] ?? null,
    patient: {
      id: patient.id,
      fullName: patient.fullName,
      birthDate: patient.birthDate,
      personalIdMasked: patient.identifiers[0] ? maskIdentifier(patient.identifiers[0].value) : null,
    },
  }));
}

/** One row of the list (identifiers masked, the latest hand-off's state). */
export type EncounterListRow = Awaited<ReturnType<typeof listEncounters>>[number];
/** 200 from GET /api/v1/encounters. */
export type EncounterListResponse = Jsonified<{ date: string; encounters: EncounterListRow[] }>;
