import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { testDb, testFacility } from '@/lib/db/test-helpers';
import { callRoute, testCaller, useTestDatabaseForRoutes, type Caller } from '@/lib/db/test-api';
import { normalizeVietnameseName } from '@/lib/identity';
import { localDay } from '@/lib/time/local-day';
import { POST as checkinRoute } from '../checkins/route';
import { GET as searchRoute } from './route';
import { GET as recordRoute, PATCH as correctRoute } from './[id]/route';
import { POST as demographicsRoute } from './[id]/demographics/route';
import { POST as identifiersRoute } from './[id]/identifiers/route';
import { POST as breakGlassRoute } from './[id]/break-glass/route';
import { POST as mergeRoute } from './merge/route';
import { POST as unmergeRoute } from './merges/[mergeId]/unmerge/route';
import { GET as breakGlassListRoute } from '../audit/break-glass/route';
import { GET as encountersRoute } from '../encounters/route';
import { GET as intakeRoute } from '../intake/route';

/**
 * Issue 10, "facility boundaries", through the API with two facilities sharing one patient index: a patient seen
 * only at A is A's to read and change; B finds them (check-in, masked search rows) but opens or changes the record
 * only by break-glass, with a reason that is audited and listed for both facilities' managers.
 */
useTestDatabaseForRoutes();
const db = testDb();
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
type Staff = { desk: Caller; support: Caller; manager: Caller; facilityId: string };
let A: Staff;
let B: Staff;

async function staff(label: string): Promise<Staff> {
  const f = await testFacility(db);
  await db.room.create({ data: { facilityId: f.id, code: 'P01', name: 'Phòng 01', department: 'Khoa Khám bệnh' } });
  return {
    facilityId: f.id,
    desk: await testCaller(db, f.id, 'RECEPTIONIST', `desk-${label}`),
    support: await testCaller(db, f.id, 'SUPPORT', `support-${label}`),
    manager: await testCaller(db, f.id, 'MANAGER', `manager-${label}`),
  };
}

beforeAll(async () => {
  A = await staff('a');
  B = await staff('b');
});
afterAll(() => db.$disconnect());

/** A patient checked in (today) at `at` only, found by their personal ID. */
async function seenAt(at: Staff, fullName = 'Đoàn Thị Mẫu') {
  const personalId = `0581${digits(8)}`;
  const p = await db.patient.create({
    data: {
      fullName,
      normalizedName: normalizeVietnameseName(fullName),
      birthDate: '1979-06-15',
      birthYear: 1979,
      sex: 'F',
      address: 'Số 1 Đường Thử',
      phone: `09${digits(8)}`,
      identifiers: { create: [{ system: 'PERSONAL_ID', value: personalId }] },
    },
  });
  const r = await callRoute(checkinRoute, at.desk, 'POST', '/api/v1/checkins', {
    body: { identifier: { system: 'PERSONAL_ID', value: personalId }, roomCode: 'P01' },
  });
  expect(r.status).toBe(201);
  return { ...p, personalId, encounterId: r.json.encounter.id as string };
}

const demographics = (c: Caller, id: string, fullName: string) =>
  callRoute(demographicsRoute, c, 'POST', `/api/v1/patients/${id}/demographics`, {
    params: { id },
    body: { change: { fullName }, reason: 'Cập nhật từ thẻ' },
  });
const breakGlass = (c: Caller, id: string, reason: string) =>
  callRoute(breakGlassRoute, c, 'POST', `/api/v1/patients/${id}/break-glass`, { params: { id }, body: { reason } });
const record = (c: Caller, id: string) =>
  callRoute(recordRoute, c, 'GET', `/api/v1/patients/${id}`, { params: { id } });
const audits = (patientId: string, action: string) =>
  db.auditEvent.findMany({ where: { patientId, action }, orderBy: { id: 'asc' } });

describe('a patient seen only at facility A', () => {
  it("B's receptionist cannot rewrite the demographics (403, Vietnamese, audited as denied); after break-glass with a reason, can", async () => {
    const p = await seenAt(A);
    const refused = await demographics(B.desk, p.id, 'Tên Do B Sửa');
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('OUTSIDE_FACILITY');
    expect(refused.json.error.message).toMatch(/chưa khám tại cơ sở của bạn/);
    expect((await db.patient.findUniqueOrThrow({ where: { id: p.id } })).fullName).toBe('Đoàn Thị Mẫu');
    expect(await audits(p.id, 'PATIENT_CORRECTED')).toMatchObject([
      { outcome: 'DENIED', actorId: B.desk.id, facilityId: B.facilityId },
    ]);

    // A's own desk may.
    expect((await demographics(A.desk, p.id, 'Đoàn Thị Mẫu Hai')).status).toBe(200);

    const reason = 'Người bệnh chuyển tuyến, đang đứng tại quầy';
    const opened = await breakGlass(B.desk, p.id, reason);
    expect(opened.status).toBe(201);
    expect(opened.json.minutes).toBe(30);
    const after = await demographics(B.desk, p.id, 'Đoàn Thị Mẫu Ba');
    expect(after.status).toBe(200);
    expect((await db.patient.findUniqueOrThrow({ where: { id: p.id } })).fullName).toBe('Đoàn Thị Mẫu Ba');
    expect(await audits(p.id, 'BREAK_GLASS')).toMatchObject([
      { actorId: B.desk.id, facilityId: B.facilityId, details: { reason } },
    ]);
    // The grant is that key's alone: B's support still needs its own.
    expect((await record(B.support, p.id)).status).toBe(403);
  });

  it("B's support cannot open, correct or add identifiers to the record; its search shows who, not the details", async () => {
    const p = await seenAt(A, 'Quách Văn Ngoài');
    const opened = await record(B.support, p.id);
    expect(opened.status).toBe(403);
    expect(opened.text).not.toContain(p.personalId);
    expect(opened.text).not.toContain('Số 1 Đường Thử');
    expect(
      (
        await callRoute(correctRoute, B.support, 'PATCH', `/api/v1/patients/${p.id}`, {
          params: { id: p.id },
          body: { address: 'Địa chỉ khác', reason: 'Sửa' },
        })
      ).status,
    ).toBe(403);
    const added = await callRoute(identifiersRoute, B.support, 'POST', `/api/v1/patients/${p.id}/identifiers`, {
      params: { id: p.id },
      body: { system: 'HOSPITAL_CODE', value: `B${digits(6)}`, reason: 'Mã HIS' },
    });
    expect(added.status).toBe(403);
    expect(await db.patientIdentifier.count({ where: { patientId: p.id } })).toBe(1);
    expect(await audits(p.id, 'PATIENT_VIEWED')).toMatchObject([{ outcome: 'DENIED', actorId: B.support.id }]);

    const search = (c: Caller) => callRoute(searchRoute, c, 'GET', `/api/v1/patients?q=${p.personalId}`);
    const atB = await search(B.support);
    expect(atB.status).toBe(200);
    expect(atB.json.rows).toEqual([
      {
        id: p.id,
        fullName: 'Quách Văn Ngoài',
        birthDate: '1979',
        sex: 'F',
        phone: null,
        mergedIntoId: null,
        outside: true,
        identifiers: [{ system: 'PERSONAL_ID', value: `********${p.personalId.slice(-4)}`, retired: false }],
      },
    ]);
    const atA = await search(A.support);
    expect(atA.json.rows[0]).toMatchObject({
      birthDate: '1979-06-15',
      outside: false,
      phone: `*******${p.phone!.slice(-3)}`,
    });

    // Break-glass, then B's support reads it; the record shows B's encounters (none) and B's audit rows only.
    expect((await breakGlass(B.support, p.id, 'Hỗ trợ tích hợp VNeID')).status).toBe(201);
    const afterGlass = await record(B.support, p.id);
    expect(afterGlass.status).toBe(200);
    expect(afterGlass.json.patient.address).toBe('Số 1 Đường Thử');
    expect(afterGlass.json.encounters).toEqual([]);
    expect(
      afterGlass.json.auditTrail.every((a: { facilityId: string; action: string }) => a.facilityId === B.facilityId),
    ).toBe(true);
    expect((await search(B.support)).json.rows[0]).toMatchObject({ outside: false, birthDate: '1979-06-15' });
  });

  it("check-in stays national: B checks the person in, and from then on the record is also B's — but shows each facility its own visits and audit trail", async () => {
    const p = await seenAt(A, 'Lâm Thị Hai Nơi');
    const atB = await callRoute(checkinRoute, B.desk, 'POST', '/api/v1/checkins', {
      body: { identifier: { system: 'PERSONAL_ID', value: p.personalId }, roomCode: 'P01' },
    });
    expect(atB.status).toBe(201);
    expect(atB.json.patient.id).toBe(p.id);
    expect((await demographics(B.desk, p.id, 'Lâm Thị Hai Nơi')).status).toBe(200);

    const fromA = await record(A.support, p.id);
    const fromB = await record(B.support, p.id);
    expect(fromA.json.encounters.map((e: { id: string }) => e.id)).toEqual([p.encounterId]);
    expect(fromB.json.encounters.map((e: { id: string }) => e.id)).toEqual([atB.json.encounter.id]);
    for (const [r, staffOf] of [
      [fromA, A],
      [fromB, B],
    ] as const) {
      expect(r.json.auditTrail.length).toBeGreaterThan(0);
      expect(r.json.auditTrail.every((a: { facilityId: string }) => a.facilityId === staffOf.facilityId)).toBe(true);
    }
  });
});

describe('merges across facilities', () => {
  it("are refused without break-glass on the other facility's record (nothing moves), and go through with it", async () => {
    const atA = await seenAt(A, 'Tạ Văn Trùng');
    const atB = await seenAt(B, 'Tạ Văn Trùng');
    const merge = () =>
      callRoute(mergeRoute, B.support, 'POST', '/api/v1/patients/merge', {
        body: { survivorId: atB.id, mergedId: atA.id, reason: 'Trùng hồ sơ' },
      });
    const refused = await merge();
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('OUTSIDE_FACILITY');
    expect((await db.patient.findUniqueOrThrow({ where: { id: atA.id } })).mergedIntoId).toBeNull();
    expect(await db.patientMerge.count({ where: { mergedId: atA.id } })).toBe(0);
    expect(await audits(atA.id, 'PATIENT_MERGED')).toMatchObject([{ outcome: 'DENIED' }]);

    expect((await breakGlass(B.support, atA.id, 'Cùng một người: CCCD trùng trên giấy')).status).toBe(201);
    const done = await merge();
    expect(done.status).toBe(201);
    // The merged record is now the survivor's: A (whose visit moved there) may undo it; a third facility may not.
    const C = await staff('c');
    const mergeId = done.json.merge.id as string;
    const unmerge = (c: Caller) =>
      callRoute(unmergeRoute, c, 'POST', `/api/v1/patients/merges/${mergeId}/unmerge`, {
        params: { mergeId },
        body: { reason: 'Gộp nhầm' },
      });
    expect((await unmerge(C.support)).status).toBe(403);
    expect((await unmerge(A.support)).status).toBe(200);
  });
});

describe('lists, reports and the break-glass review are per facility', () => {
  it("B's encounter list and intake exclude A's encounters; each facility's managers see the break-glass events that concern it", async () => {
    const p = await seenAt(A, 'Mạc Văn Danh Sách');
    const day = localDay();
    const listB = await callRoute(encountersRoute, B.manager, 'GET', `/api/v1/encounters?date=${day}`);
    expect(listB.status).toBe(200);
    expect(JSON.stringify(listB.json)).not.toContain(p.id);
    const listA = await callRoute(encountersRoute, A.manager, 'GET', `/api/v1/encounters?date=${day}`);
    expect(JSON.stringify(listA.json)).toContain(p.encounterId);
    const totalA = (await callRoute(intakeRoute, A.manager, 'GET', `/api/v1/intake?date=${day}`)).json.total as number;
    const totalB = (await callRoute(intakeRoute, B.manager, 'GET', `/api/v1/intake?date=${day}`)).json.total as number;
    expect(totalA).toBe(
      await db.encounter.count({ where: { facilityId: A.facilityId, localDate: new Date(`${day}T00:00:00Z`) } }),
    );
    expect(totalB).toBe(
      await db.encounter.count({ where: { facilityId: B.facilityId, localDate: new Date(`${day}T00:00:00Z`) } }),
    );

    await breakGlass(B.desk, p.id, 'Kiểm tra thông tin chuyển tuyến');
    const review = (c: Caller) =>
      callRoute(breakGlassListRoute, c, 'GET', `/api/v1/audit/break-glass?from=${day}&to=${day}`);
    const ofB = (await review(B.manager)).json.events.filter((e: { patientId: string }) => e.patientId === p.id);
    const ofA = (await review(A.manager)).json.events.filter((e: { patientId: string }) => e.patientId === p.id);
    expect(ofB).toMatchObject([{ actorName: 'desk-b', reason: 'Kiểm tra thông tin chuyển tuyến', byOurStaff: true }]);
    expect(ofA).toMatchObject([{ actorName: 'desk-b', reason: 'Kiểm tra thông tin chuyển tuyến', byOurStaff: false }]);
    // A third facility, unconcerned, sees nothing of it; receptionists do not review.
    const C = await staff('c2');
    expect((await review(C.manager)).json.events.filter((e: { patientId: string }) => e.patientId === p.id)).toEqual(
      [],
    );
    expect((await review(B.desk)).status).toBe(403);
  });
});
