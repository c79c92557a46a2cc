import { Hl7Message } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { testDb, testFacility } from '../db/test-helpers';
import type { Principal } from '../auth/roles';
import { checkIn } from '../encounters/check-in';
import { loadSnapshot } from '../handoff/snapshot';
import { buildAdt } from '../handoff/hl7';
import { buildFhirBundle, fhirSystems } from '../handoff/fhir';
import { addIdentifier } from './corrections';
import { auditedRecord, auditedSearch } from './lookup';

/** A hospital's patient code is that facility's: two hospitals may use the same code for different people. */
const db = testDb();
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
let a: Principal;
let b: Principal;

const actor = (f: { id: string; code: string }, role: Principal['role']): Principal => ({
  kind: 'API_KEY',
  id: '00000000-0000-4000-8000-0000000000aa',
  name: 'hc-test',
  role,
  facilityId: f.id,
  facilityCode: f.code,
});

async function patient(name: string) {
  return db.patient.create({
    data: {
      fullName: name,
      normalizedName: name.toLowerCase(),
      birthDate: '1980-01-02',
      birthYear: 1980,
      sex: 'M',
      updatedAt: new Date(),
    },
  });
}

const rooms = new Map<string, string>();
/** A past visit at `at`'s facility: the record is then that facility's to change (lib/patients/access.ts). */
async function seenAt(at: Principal, p: { id: string }) {
  await db.encounter.create({
    data: {
      number: `HC-${digits(12)}`,
      facilityId: at.facilityId,
      patientId: p.id,
      roomId: rooms.get(at.facilityId)!,
      localDate: new Date('2025-03-0' + (1 + randomInt(9))),
      queueNumber: randomInt(1, 1_000_000),
      identificationMethod: 'MANUAL',
      trustLevel: 'TYPED',
    },
  });
}

beforeAll(async () => {
  const [fa, fb] = [await testFacility(db), await testFacility(db)];
  for (const f of [fa, fb])
    rooms.set(
      f.id,
      (await db.room.create({ data: { facilityId: f.id, code: 'P01', name: 'Phòng khám 1', department: 'Khám bệnh' } }))
        .id,
    );
  a = actor(fa, 'ADMIN');
  b = actor(fb, 'ADMIN');
});
afterAll(() => db.$disconnect());

describe('HOSPITAL_CODE per facility', () => {
  it('the same code in two facilities names two patients; within one facility it is unique', async () => {
    const code = `BN-${digits(7)}`;
    const [p, q, r] = [await patient('Nguyen Van Mot'), await patient('Tran Van Hai'), await patient('Le Van Ba')];
    await seenAt(a, p);
    await seenAt(b, q);
    await seenAt(a, r);
    await addIdentifier(db, a, p.id, { system: 'HOSPITAL_CODE', value: code, reason: 'Mã HIS' });
    await addIdentifier(db, b, q.id, { system: 'HOSPITAL_CODE', value: code, reason: 'Mã HIS' });
    await expect(
      addIdentifier(db, a, r.id, { system: 'HOSPITAL_CODE', value: code, reason: 'Mã HIS' }),
    ).rejects.toMatchObject({ code: 'IDENTIFIER_TAKEN' });
    const stored = await db.patientIdentifier.findMany({
      where: { system: 'HOSPITAL_CODE', value: code },
      orderBy: { patientId: 'asc' },
    });
    expect(stored.map((i) => [i.patientId, i.assigningFacilityId]).sort()).toEqual(
      [
        [p.id, a.facilityId],
        [q.id, b.facilityId],
      ].sort(),
    );
    // The database itself refuses a code without its facility, and a national number with one.
    await expect(
      db.patientIdentifier.create({ data: { patientId: r.id, system: 'HOSPITAL_CODE', value: `BN-${digits(7)}` } }),
    ).rejects.toThrow();
    await expect(
      db.patientIdentifier.create({
        data: {
          patientId: r.id,
          system: 'PERSONAL_ID',
          value: `0580800${digits(5)}`,
          assigningFacilityId: a.facilityId,
        },
      }),
    ).rejects.toThrow();

    // Typed at each facility's desk, the code finds that facility's patient.
    const atA = await checkIn(
      db,
      { ...a, role: 'RECEPTIONIST' },
      { identifier: { system: 'HOSPITAL_CODE', value: code }, roomCode: 'P01' },
    );
    const atB = await checkIn(
      db,
      { ...b, role: 'RECEPTIONIST' },
      { identifier: { system: 'HOSPITAL_CODE', value: code }, roomCode: 'P01' },
    );
    expect(atA.status === 'created' && atA.patient.id).toBe(p.id);
    expect(atB.status === 'created' && atB.patient.id).toBe(q.id);
    // Support search and the record page show a facility its own codes only.
    expect((await auditedSearch(db, a, 'FIX_RECORD', { q: code.toLowerCase() })).rows.map((x) => x.id)).toEqual([p.id]);
    await seenAt(b, p);
    await addIdentifier(db, b, p.id, { system: 'HOSPITAL_CODE', value: `B2-${digits(6)}`, reason: 'Mã HIS cơ sở B' });
    const record = await auditedRecord(db, a, 'FIX_RECORD', p.id);
    expect(record!.patient.identifiers.map((i) => [i.system, i.value])).toEqual([['HOSPITAL_CODE', code]]);
  });

  it("PID-3 and the FHIR Patient carry the encounter facility's code with the facility as assigning authority", async () => {
    const p = await patient('Pham Thi Bon');
    await seenAt(a, p);
    await seenAt(b, p);
    const personalId = `0581800${digits(5)}`;
    await addIdentifier(db, a, p.id, { system: 'PERSONAL_ID', value: personalId, reason: 'CCCD' });
    // The other facility's code is older: it must still not be sent.
    await addIdentifier(db, b, p.id, { system: 'HOSPITAL_CODE', value: 'B.999999', reason: 'Mã HIS' });
    await addIdentifier(db, a, p.id, { system: 'HOSPITAL_CODE', value: 'A.000123', reason: 'Mã HIS' });
    const r = await checkIn(
      db,
      { ...a, role: 'RECEPTIONIST' },
      { identifier: { system: 'PERSONAL_ID', value: personalId }, roomCode: 'P01' },
    );
    if (r.status !== 'created') throw new Error(r.status);
    const snapshot = await loadSnapshot(db, r.encounter.id);
    const pid3 = Hl7Message.parse(buildAdt(snapshot, 'A04', 'TEST1'))
      .getSegment('PID')!
      .getField(3)
      .toString();
    expect(pid3).toBe(`A.000123^^^${a.facilityCode}^MR~${personalId}^^^BCA^NNVNM`);
    const fhirPatient = (
      buildFhirBundle(snapshot, 'A04') as { entry: { resource: { resourceType: string; identifier?: unknown[] } }[] }
    ).entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
    expect(fhirPatient.identifier).toContainEqual({ system: fhirSystems().mrn(a.facilityCode), value: 'A.000123' });
    expect(JSON.stringify(fhirPatient)).not.toContain('B.999999');
  });
});
