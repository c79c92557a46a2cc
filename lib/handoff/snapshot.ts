import type { DbTx } from '../db/client';

/**
 * Everything a hand-off message says about one encounter, read inside the caller's transaction. Plain data
 * (no Prisma types), so the HL7 / FHIR / XML0 builders are pure functions that are easy to test.
 */
export type HandoffSnapshot = {
  facility: { code: string; name: string };
  encounter: {
    id: string;
    number: string; // our encounter number, used as the visit number / MA_LK (to be agreed with the HIS)
    status: string;
    visitType: 'OUTPATIENT' | 'EMERGENCY';
    payer: 'BHYT' | 'SELF_PAY';
    checkedInAt: Date;
    room: { code: string; name: string; department: string };
  };
  patient: {
    id: string;
    fullName: string;
    birthDate: string; // 'YYYY-MM-DD' or 'YYYY'
    sex: 'M' | 'F' | null;
    address: string | null;
    phone: string | null;
    /** active identifiers only (retired ones are history, not sent) */
    identifiers: { system: string; value: string }[];
  };
  coverage: {
    cardCode: string | null;
    bhxhNumber: string | null;
    benefitLevel: number | null;
    registeredFacility: string | null;
    validFrom: string | null;
    validTo: string | null;
  } | null;
  operator: { username: string; fullName: string } | null;
};

export async function loadSnapshot(tx: DbTx, encounterId: string): Promise<HandoffSnapshot> {
  const e = await tx.encounter.findUniqueOrThrow({
    where: { id: encounterId },
    include: {
      facility: true,
      room: true,
      coverage: true,
      createdBy: { select: { username: true, fullName: true } },
      patient: { include: { identifiers: { where: { retiredAt: null }, orderBy: { createdAt: 'asc' } } } },
    },
  });
  return {
    facility: { code: e.facility.code, name: e.facility.name },
    encounter: {
      id: e.id,
      number: e.number,
      status: e.status,
      visitType: e.visitType,
      payer: e.payer,
      checkedInAt: e.checkedInAt,
      room: { code: e.room.code, name: e.room.name, department: e.room.department },
    },
    patient: {
      id: e.patient.id,
      fullName: e.patient.fullName,
      birthDate: e.patient.birthDate,
      sex: e.patient.sex,
      address: e.patient.address,
      phone: e.patient.phone,
      identifiers: e.patient.identifiers.map((i) => ({ system: i.system, value: i.value })),
    },
    coverage: e.coverage
      ? {
          cardCode: e.coverage.cardCode,
          bhxhNumber: e.coverage.bhxhNumber,
          benefitLevel: e.coverage.benefitLevel,
          registeredFacility: e.coverage.registeredFacility,
          validFrom: e.coverage.validFrom,
          validTo: e.coverage.validTo,
        }
      : null,
    operator: e.createdBy ? { username: e.createdBy.username, fullName: e.createdBy.fullName } : null,
  };
}

export function identifier(s: HandoffSnapshot, system: string): string | null {
  return s.patient.identifiers.find((i) => i.system === system)?.value ?? null;
}

/** Vietnam has no daylight saving: local time is always UTC+7. */
const VN_OFFSET_MS = 7 * 3600_000;

/** 'YYYYMMDDHHmmss' in Vietnamese local time. */
export function vnTimestamp(date: Date): string {
  return new Date(date.getTime() + VN_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** ISO 8601 with the +07:00 offset, for FHIR. */
export function vnIso(date: Date): string {
  return `${new Date(date.getTime() + VN_OFFSET_MS).toISOString().slice(0, 19)}+07:00`;
}
