import type { DbTx } from '../db/client';
import type { IdentifierValue } from '../identity';

export type StoredPatient = {
  id: string;
  fullName: string;
  birthDate: string;
  sex: 'M' | 'F' | null;
  address: string | null;
  phone: string | null;
  identifiers: { system: IdentifierValue['system']; value: string; retiredAt: Date | null }[];
};

export type PatientMatch =
  | { kind: 'none' }
  | { kind: 'one'; patient: StoredPatient; matchedBy: IdentifierValue['system'][] }
  | { kind: 'conflict'; patientIds: string[] }; // the card's identifiers belong to different records

const patientSelect = {
  id: true, fullName: true, birthDate: true, sex: true, address: true, phone: true, mergedIntoId: true,
  identifiers: { select: { system: true, value: true, retiredAt: true }, orderBy: { createdAt: 'asc' as const } },
};

/**
 * Finds the patient by every identifier the scan carries (one indexed query). A merged record leads to its
 * survivor, so old numbers keep working. Two different patients behind one card is a conflict for staff.
 */
export async function matchPatient(db: DbTx, identifiers: IdentifierValue[]): Promise<PatientMatch> {
  if (identifiers.length === 0) return { kind: 'none' };
  const rows = await db.patientIdentifier.findMany({
    where: { OR: identifiers.map((i) => ({ system: i.system, value: i.value })) },
    select: { system: true, patient: { select: patientSelect } },
  });
  if (rows.length === 0) return { kind: 'none' };
  const byPatient = new Map<string, { patient: StoredPatient; systems: IdentifierValue['system'][] }>();
  for (const row of rows) {
    let patient = row.patient;
    for (let hops = 0; patient.mergedIntoId && hops < 5; hops++) {
      patient = (await db.patient.findUniqueOrThrow({ where: { id: patient.mergedIntoId }, select: patientSelect }));
    }
    const entry = byPatient.get(patient.id) ?? { patient: strip(patient), systems: [] };
    entry.systems.push(row.system);
    byPatient.set(patient.id, entry);
  }
  if (byPatient.size > 1) return { kind: 'conflict', patientIds: [...byPatient.keys()] };
  const [only] = byPatient.values();
  return { kind: 'one', patient: only!.patient, matchedBy: only!.systems };
}

function strip(p: StoredPatient & { mergedIntoId?: string | null }): StoredPatient {
  const { mergedIntoId: _merged, ...rest } = p;
  return rest;
}
