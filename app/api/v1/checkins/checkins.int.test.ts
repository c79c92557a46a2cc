import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { testDb, testFacility } from '@/lib/db/test-helpers';
import { callRoute, testCaller, useTestDatabaseForRoutes, type Caller } from '@/lib/db/test-api';
import { cccdPayload } from '@/lib/identity/test-fixtures';
import { normalizeVietnameseName } from '@/lib/identity';
import type { CheckinNotFoundResponse, CheckinResponse } from '@/lib/encounters/check-in';
import { POST as checkinRoute } from './route';
import { POST as revealRoute } from './candidates/reveal/route';

/** Issue 10, "the desk sees what the desk needs": POST /api/v1/checkins through its route handler, with API keys. */
useTestDatabaseForRoutes();
const db = testDb();
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
let desk: Caller;
let otherDesk: Caller;
let facilityId: string;

beforeAll(async () => {
  const facility = await testFacility(db);
  facilityId = facility.id;
  await db.room.create({
    data: { facilityId: facility.id, code: 'P01', name: 'Phòng 01', department: 'Khoa Khám bệnh' },
  });
  desk = await testCaller(db, facility.id, 'RECEPTIONIST', 'desk-a');
  otherDesk = await testCaller(db, facility.id, 'RECEPTIONIST', 'desk-b');
});
afterAll(() => db.$disconnect());

const checkin = (caller: Caller, body: unknown) =>
  callRoute(checkinRoute, caller, 'POST', '/api/v1/checkins', { body });
const reveal = (caller: Caller, token: string) =>
  callRoute(revealRoute, caller, 'POST', '/api/v1/checkins/candidates/reveal', { body: { token } });

async function patient(
  fullName: string,
  birthDate: string,
  identifiers: { system: 'PERSONAL_ID' | 'CMND' | 'HOSPITAL_CODE' | 'BHXH_NUMBER'; value: string; retiredAt?: Date }[],
) {
  return db.patient.create({
    data: {
      fullName,
      normalizedName: normalizeVietnameseName(fullName),
      birthDate,
      birthYear: Number(birthDate.slice(0, 4)),
      sex: 'F',
      address: `Số ${digits(3)} Đường Thử, Phường Mẫu`,
      phone: `09${digits(8)}`,
      updatedAt: new Date(), // A hospital code is this facility's (its assigning authority).
      identifiers: {
        create: identifiers.map((i) => (i.system === 'HOSPITAL_CODE' ? { ...i, assigningFacilityId: facilityId } : i)),
      },
    },
  });
}

describe('check-in answers', () => {
  it('a check-in answer carries the scan and the stored identifiers masked: no retired one, no phone', async () => {
    const personalId = `0581${digits(8)}`;
    const cmnd = digits(9);
    const code = `BN${digits(8)}`;
    const p = await patient('Chế Thị Hiện', '1981-02-03', [
      { system: 'PERSONAL_ID', value: personalId },
      { system: 'CMND', value: cmnd, retiredAt: new Date() },
      { system: 'HOSPITAL_CODE', value: code },
    ]);
    const r = await checkin(desk, { identifier: { system: 'PERSONAL_ID', value: personalId }, roomCode: 'P01' });
    expect(r.status).toBe(201);
    const body = r.json as CheckinResponse;
    expect(body.identity).toMatchObject({ kind: 'PERSONAL_ID', personalId }); // what the client sent
    expect(body.patient).toEqual({
      id: p.id,
      fullName: 'Chế Thị Hiện',
      birthDate: '1981-02-03',
      sex: 'F',
      address: p.address,
      identifiers: [
        { system: 'PERSONAL_ID', masked: `********${personalId.slice(-4)}` },
        { system: 'HOSPITAL_CODE', masked: `******${code.slice(-4)}` },
      ],
    });
    for (const secret of [cmnd, code, p.phone!]) expect(r.text).not.toContain(secret);
  });

  it("not found: likely duplicates are masked summaries; the audit row names them; the reveal is audited; the token is the desk's own", async () => {
    const dob = `19${10 + randomInt(80)}-0${1 + randomInt(9)}-1${randomInt(10)}`;
    const code = `BN${digits(8)}`;
    const bhxh = digits(10);
    const legacy = await patient('Phạm Thị Đào', dob, [
      { system: 'HOSPITAL_CODE', value: code },
      { system: 'BHXH_NUMBER', value: bhxh },
    ]);
    const personalId = `0581${dob.slice(2, 4)}${digits(6)}`;
    const [y, m, d] = dob.split('-');
    const raw = cccdPayload({
      id: personalId,
      name: 'PHẠM THỊ ĐÀO',
      dob: `${d}${m}${y}`,
      sex: 'Nữ',
      address: 'Thôn Thử, Xã Mẫu, Tỉnh Khánh Hòa',
      issued: '05082024',
      layout: '2024',
    });

    const r = await checkin(desk, { raw, roomCode: 'P01' });
    expect(r.status).toBe(404);
    const body = r.json as CheckinNotFoundResponse;
    expect(body.identity).toMatchObject({ personalId, fullName: 'PHẠM THỊ ĐÀO', dateOfBirth: dob }); // the scan, to pre-fill the form
    const mine = body.candidates.filter((c) => c.identifiers.some((i) => i.masked.endsWith(code.slice(-4))));
    expect(mine).toEqual([
      {
        token: expect.any(String),
        fullName: 'Phạm Thị Đào',
        birthYear: Number(y),
        sex: 'F',
        identifiers: [
          { system: 'BHXH_NUMBER', masked: `******${bhxh.slice(-4)}` },
          { system: 'HOSPITAL_CODE', masked: `******${code.slice(-4)}` },
        ],
      },
    ]);
    // Nothing of the record beyond the summary: no id, birth date, address, phone or full identifier.
    for (const secret of [legacy.id, legacy.address!, legacy.phone!, code, bhxh]) expect(r.text).not.toContain(secret);
    expect(JSON.stringify(body.candidates)).not.toContain(dob);
    const lookup = await db.auditEvent.findFirstOrThrow({
      where: { actorId: desk.id, action: 'PATIENT_LOOKUP' },
      orderBy: { id: 'desc' },
    });
    expect(lookup).toMatchObject({
      outcome: 'FAILURE',
      details: { reason: 'not-found', candidateIds: expect.arrayContaining([legacy.id]) },
    });

    const token = mine[0]!.token;
    const forged = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
    expect((await reveal(otherDesk, token)).status).toBe(404); // another desk cannot use it
    expect((await reveal(desk, forged)).status).toBe(404);
    expect(await db.auditEvent.count({ where: { patientId: legacy.id, action: 'PATIENT_CANDIDATE_REVEALED' } })).toBe(
      0,
    );

    const shown = await reveal(desk, token);
    expect(shown.status).toBe(200);
    expect(shown.json.patient).toEqual({
      id: legacy.id,
      fullName: 'Phạm Thị Đào',
      birthDate: dob,
      sex: 'F',
      address: legacy.address,
      identifiers: mine[0]!.identifiers,
    });
    expect(
      await db.auditEvent.findMany({
        where: { patientId: legacy.id, action: 'PATIENT_CANDIDATE_REVEALED' },
        select: { actorId: true, facilityId: true },
      }),
    ).toEqual([{ actorId: desk.id, facilityId: desk.facilityId }]);

    expect(await checkin(otherDesk, { raw, roomCode: 'P01', samePatientToken: token })).toMatchObject({
      status: 400,
      json: { error: { code: 'CANDIDATE_EXPIRED' } },
    });
    const linked = await checkin(desk, { raw, roomCode: 'P01', samePatientToken: token });
    expect(linked.status).toBe(201);
    expect(linked.json.patient.id).toBe(legacy.id);
  });

  it('not-found answers are limited per principal: a clear Vietnamese 429, other desks and found patients unaffected', async () => {
    process.env.CHECKIN_NOT_FOUND_LIMIT = '3';
    try {
      const facility = await testFacility(db);
      await db.room.create({
        data: { facilityId: facility.id, code: 'P01', name: 'Phòng 01', department: 'Khoa Khám bệnh' },
      });
      const fishing = await testCaller(db, facility.id, 'RECEPTIONIST', 'fishing');
      const honest = await testCaller(db, facility.id, 'RECEPTIONIST', 'honest');
      const unknown = () => ({ identifier: { system: 'PERSONAL_ID', value: `0581${digits(8)}` }, roomCode: 'P01' });
      for (let i = 0; i < 3; i++) expect((await checkin(fishing, unknown())).status).toBe(404);
      const limited = await checkin(fishing, unknown());
      expect(limited.status).toBe(429);
      expect(limited.json.error).toMatchObject({
        code: 'TOO_MANY_NOT_FOUND',
        message: expect.stringMatching(/^Quá nhiều lượt tra cứu không tìm thấy hồ sơ.*thử lại sau \d+ phút/),
        retryAfterSeconds: expect.any(Number),
      });
      expect(limited.json.candidates).toBeUndefined();
      expect(
        await db.auditEvent.count({ where: { actorId: fishing.id, action: 'PATIENT_LOOKUP', outcome: 'DENIED' } }),
      ).toBe(1);
      expect((await checkin(honest, unknown())).status).toBe(404);
      const known = `0581${digits(8)}`;
      await patient('Chế Thị Biết', '1981-01-01', [{ system: 'PERSONAL_ID', value: known }]);
      expect(
        (await checkin(fishing, { identifier: { system: 'PERSONAL_ID', value: known }, roomCode: 'P01' })).status,
      ).toBe(201);
    } finally {
      delete process.env.CHECKIN_NOT_FOUND_LIMIT;
    }
  });
});
