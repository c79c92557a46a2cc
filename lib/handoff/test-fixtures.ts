import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { enqueueHandoff, type HandoffEvent } from './outbox';
import type { HandoffTarget } from '../codes';

/** Synthetic rows for hand-off tests (made-up people and numbers). */
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export async function testRoom(db: Db, facilityId: string) {
  return db.room.create({
    data: { facilityId, code: `R${digits(6)}`, name: 'Phòng khám Nội thử', department: 'Khoa Khám bệnh' },
  });
}

/** With `hospitalCodeOf`, the patient also has that facility's hospital code (a HIS's patient number). */
export async function testPatient(db: Db, options: { bhyt?: boolean; hospitalCodeOf?: string } = {}) {
  const personalId = `0790${digits(8)}`;
  const card = `GD479${digits(10)}`;
  const patient = await db.patient.create({
    data: {
      fullName: 'Nguyễn Văn Thử',
      normalizedName: 'nguyen van thu',
      birthDate: '1990-05-20',
      birthYear: 1990,
      sex: 'M',
      address: 'Số 1 Đường Mẫu, Phường Mẫu',
      phone: '0900000001',
      identifiers: {
        create: [
          { system: 'PERSONAL_ID', value: personalId },
          ...(options.hospitalCodeOf
            ? [
                {
                  system: 'HOSPITAL_CODE' as const,
                  value: `BN${digits(8)}`,
                  assigningFacilityId: options.hospitalCodeOf,
                },
              ]
            : []),
          ...(options.bhyt ? [{ system: 'BHYT_CARD' as const, value: card }] : []),
        ],
      },
    },
  });
  const coverage = options.bhyt
    ? await db.coverage.create({
        data: {
          patientId: patient.id,
          cardCode: card,
          bhxhNumber: card.slice(5),
          benefitLevel: 4,
          registeredFacility: '79999',
          validFrom: '2026-01-01',
          validTo: '2026-12-31',
        },
      })
    : null;
  return { patient, coverage, personalId, card };
}

let queue = 0;

/** An encounter plus its A04 outbox row, in one transaction (as the check-in code does). */
export async function testEncounter(
  db: Db,
  facilityId: string,
  roomId: string,
  patient: { id: string },
  options: { coverageId?: string | null; targets?: HandoffTarget[]; emergency?: boolean } = {},
) {
  return db.$transaction(async (tx) => {
    const encounter = await tx.encounter.create({
      data: {
        number: `T-${randomUUID().slice(0, 18)}`,
        facilityId,
        patientId: patient.id,
        roomId,
        coverageId: options.coverageId ?? null,
        localDate: new Date('2026-11-25'),
        queueNumber: ++queue + randomInt(1_000_000),
        payer: options.coverageId ? 'BHYT' : 'SELF_PAY',
        visitType: options.emergency ? 'EMERGENCY' : 'OUTPATIENT',
        identificationMethod: 'CCCD_QR',
        trustLevel: 'CARD_VERIFIED',
      },
    });
    await enqueueHandoff(tx, { encounterId: encounter.id, event: 'A04', targets: options.targets ?? ['HL7V2'] });
    return encounter;
  });
}

export async function testEvent(
  db: Db,
  encounter: { id: string; patientId: string },
  event: HandoffEvent,
  targets: HandoffTarget[] = ['HL7V2'],
) {
  await db.$transaction((tx) => enqueueHandoff(tx, { encounterId: encounter.id, event, targets }));
}

export async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 20_000,
  stepMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
