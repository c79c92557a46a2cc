import { Hl7Message } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import { testDb, testFacility } from '../db/test-helpers';
import type { Principal } from '../auth/roles';
import { cccdPayload } from '../identity/test-fixtures';
import { checkIn } from '../encounters/check-in';
import { loadSnapshot } from './snapshot';
import { buildAdt } from './hl7';
import { fhirSystems } from './fhir';
import { TestFhirServer } from './test-fhir';
import { HIS_LOOKUP_TIMEOUT_MS, lookupHisPatient } from './his-lookup';

/**
 * Issue 15: a person the desk does not know is looked up in the HIS's FHIR endpoint (HIS_FHIR_URL) before the
 * new-patient form: a match brings the HIS's code and demographics, the record created from it carries that code
 * (PID-3), and a hostile, ambiguous, slow or huge answer never fills the form nor holds up the desk.
 */
const db = testDb();
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
let facility: { id: string; code: string };
let desk: Principal;
let fhir: TestFhirServer;
const systems = fhirSystems();

/** A chip card QR of a synthetic person born in 1962, and their 12-digit personal ID. */
function person() {
  const personalId = `058062${digits(6)}`;
  return {
    personalId,
    raw: cccdPayload({
      id: personalId,
      name: 'NGUYỄN VĂN HIS',
      dob: '15031962',
      sex: 'Nam',
      address: 'Thôn Thử, Xã Mẫu, Tỉnh Khánh Hòa',
      issued: '05082024',
      layout: '2024',
    }),
  };
}

/** Another peer: answers every request with `answer` (a HIS that ignores the search, or a hostile one). */
async function rawHis(
  answer: (res: http.ServerResponse) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => answer(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

beforeAll(async () => {
  facility = await testFacility(db);
  await db.room.create({
    data: { facilityId: facility.id, code: 'P01', name: 'Phòng khám Nội 1', department: 'Khoa Khám bệnh' },
  });
  desk = {
    kind: 'API_KEY',
    id: '00000000-0000-4000-8000-0000000000e1',
    name: 'desk',
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
  fhir = await new TestFhirServer().start();
  process.env.HIS_FHIR_URL = fhir.url;
});
afterAll(async () => {
  delete process.env.HIS_FHIR_URL;
  await fhir.stop();
  await db.$disconnect();
});

describe('the HIS look-up before the new-patient form', () => {
  it("finds the HIS's patient: its code and demographics come back; the record made from them carries the code to PID-3", async () => {
    const p = person();
    const code = `HIS${digits(7)}`;
    await fhir.repo.createResource({
      resourceType: 'Patient',
      identifier: [
        { system: systems.cccd, value: p.personalId },
        { system: systems.mrn(facility.code), value: code },
      ],
      name: [{ text: 'Nguyễn Văn His' }],
      gender: 'male',
      birthDate: '1962-03-15',
      address: [{ text: 'Số 3 Đường HIS, Xã Mẫu' }],
    });
    const r = await checkIn(db, desk, { raw: p.raw, roomCode: 'P01' });
    if (r.status !== 'not-found') throw new Error(r.status);
    expect(r.his).toEqual({
      status: 'found',
      patient: {
        hospitalCode: code,
        fullName: 'Nguyễn Văn His',
        dateOfBirth: '1962-03-15',
        sex: 'M',
        address: 'Số 3 Đường HIS, Xã Mẫu',
      },
    });
    const lookup = await db.auditEvent.findFirstOrThrow({
      where: { action: 'PATIENT_LOOKUP', actorId: desk.id },
      orderBy: { at: 'desc' },
    });
    expect(lookup.details).toMatchObject({ reason: 'not-found', his: 'found' });

    const created = await checkIn(db, desk, {
      raw: p.raw,
      roomCode: 'P01',
      newPatient: { fullName: 'Nguyễn Văn His', dateOfBirth: '1962-03-15', sex: 'M', hospitalCode: code },
    });
    if (created.status !== 'created') throw new Error(created.status);
    const stored = await db.patientIdentifier.findFirstOrThrow({
      where: { patientId: created.patient.id, system: 'HOSPITAL_CODE' },
    });
    expect(stored).toMatchObject({ value: code, assigningFacilityId: facility.id });
    const adt = buildAdt(await loadSnapshot(db, created.encounter.id), 'A04', 'TEST-1');
    const pid = Hl7Message.parse(adt).getSegment('PID')!.getField(3).toString();
    expect(pid.split('~')[0]).toBe(`${code}^^^${facility.code}^MR`);
    // The code now finds them at the desk (the HIS's code typed at the counter, for example).
    const typed = await checkIn(db, desk, { identifier: { system: 'HOSPITAL_CODE', value: code }, roomCode: 'P01' });
    expect(typed.status === 'existing' && typed.patient.id).toBe(created.patient.id);
  });

  it('a HIS that does not know them says so; an inactive (merged) Patient there is not a match', async () => {
    const p = person();
    await fhir.repo.createResource({
      resourceType: 'Patient',
      active: false,
      identifier: [{ system: systems.cccd, value: p.personalId }],
      name: [{ text: 'Hồ Sơ Cũ' }],
    });
    const r = await checkIn(db, desk, { raw: p.raw, roomCode: 'P01' });
    expect(r.status === 'not-found' && r.his).toEqual({ status: 'not-found' });
  });

  it("a HIS answering with people who do not carry the number asked for (a search it ignores) fills nothing; two are 'ambiguous'", async () => {
    const p = person();
    const stranger = (id: string) => ({
      resource: {
        resourceType: 'Patient',
        identifier: [{ system: systems.cccd, value: id }],
        name: [{ text: 'Người Khác' }],
        birthDate: '1970-01-01',
      },
    });
    const everyone = await rawHis((res) =>
      res
        .writeHead(200, { 'content-type': 'application/fhir+json' })
        .end(JSON.stringify({ resourceType: 'Bundle', entry: [stranger('058070000001'), stranger('058070000002')] })),
    );
    try {
      expect(
        await lookupHisPatient(everyone.url, facility.code, [{ system: 'PERSONAL_ID', value: p.personalId }]),
      ).toEqual({ status: 'not-found' });
    } finally {
      await everyone.close();
    }
    const twice = await rawHis((res) =>
      res
        .writeHead(200)
        .end(JSON.stringify({ resourceType: 'Bundle', entry: [stranger(p.personalId), stranger(p.personalId)] })),
    );
    try {
      expect(
        await lookupHisPatient(twice.url, facility.code, [{ system: 'PERSONAL_ID', value: p.personalId }]),
      ).toEqual({ status: 'ambiguous' });
    } finally {
      await twice.close();
    }
  });

  it('hostile fields are dropped: a name with control characters is cleaned, a bad code or impossible date is left empty', async () => {
    const p = person();
    const hostile = await rawHis((res) =>
      res.writeHead(200).end(
        JSON.stringify({
          resourceType: 'Bundle',
          entry: [
            {
              resource: {
                resourceType: 'Patient',
                identifier: [
                  { system: systems.cccd, value: p.personalId },
                  { system: systems.mrn(facility.code), value: 'x,012345678901' },
                ],
                name: [{ text: 'Trần\u000bThị\u001cLạ' }],
                birthDate: '1962-02-30',
                gender: 'other',
              },
            },
          ],
        }),
      ),
    );
    try {
      expect(
        await lookupHisPatient(hostile.url, facility.code, [{ system: 'PERSONAL_ID', value: p.personalId }]),
      ).toEqual({
        status: 'found',
        patient: { hospitalCode: null, fullName: 'TrầnThịLạ', dateOfBirth: null, sex: null, address: null },
      });
    } finally {
      await hostile.close();
    }
  });

  it('a HIS that does not answer in time, or answers too much, is "unavailable" and the desk still gets its not-found answer', async () => {
    const p = person();
    const silent = await rawHis(() => undefined);
    process.env.HIS_FHIR_URL = silent.url;
    try {
      const started = Date.now();
      const r = await checkIn(db, desk, { raw: p.raw, roomCode: 'P01' });
      expect(r.status === 'not-found' && r.his?.status).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(HIS_LOOKUP_TIMEOUT_MS + 1_500);
    } finally {
      process.env.HIS_FHIR_URL = fhir.url;
      await silent.close();
    }
    const huge = await rawHis((res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.write('{"resourceType":"Bundle","entry":[');
      const chunk = JSON.stringify({ resource: { resourceType: 'Patient', name: [{ text: 'x'.repeat(60_000) }] } });
      for (let i = 0; i < 20; i++) res.write(`${i ? ',' : ''}${chunk}`);
      res.end(']}');
    });
    try {
      expect(
        (await lookupHisPatient(huge.url, facility.code, [{ system: 'PERSONAL_ID', value: p.personalId }]))?.status,
      ).toBe('unavailable');
    } finally {
      await huge.close();
    }
  });

  it('a BHYT card alone is not looked up (the HIS finds Patients by CCCD, CMND or its own code)', async () => {
    expect(
      await lookupHisPatient(fhir.url, facility.code, [{ system: 'BHYT_CARD', value: 'DN4797938510012' }]),
    ).toBeNull();
  });
});
