import { afterAll, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { testDb, testFacility } from '@/lib/db/test-helpers';
import { callRoute, testCaller, useTestDatabaseForRoutes } from '@/lib/db/test-api';
import { POST as checkinRoute } from '../checkins/route';
import { PATCH as correctRoute } from './[id]/route';
import { POST as demographicsRoute } from './[id]/demographics/route';

/** One birth-date rule (lib/patients/schemas.ts) for creating a patient and for correcting one: 30/02 is no day. */
useTestDatabaseForRoutes();
const db = testDb();
afterAll(() => db.$disconnect());

it('1958-02-30 is refused at creation, as a correction and as an update from the card; the record keeps its date', async () => {
  const f = await testFacility(db);
  await db.room.create({ data: { facilityId: f.id, code: 'P01', name: 'Phòng 01', department: 'Khoa Khám bệnh' } });
  const desk = await testCaller(db, f.id, 'RECEPTIONIST');
  const support = await testCaller(db, f.id, 'SUPPORT');
  const personalId = `0581${Array.from({ length: 8 }, () => randomInt(10)).join('')}`;
  const refused = { error: { code: 'VALIDATION', message: 'Dữ liệu không hợp lệ: Ngày sinh không có thật.' } };
  const newPatient = { fullName: 'Đoàn Thị Lịch', sex: 'F', dateOfBirth: '1958-02-30' };

  const create = (dateOfBirth: string) =>
    callRoute(checkinRoute, desk, 'POST', '/api/v1/checkins', {
      body: {
        identifier: { system: 'PERSONAL_ID', value: personalId },
        roomCode: 'P01',
        newPatient: { ...newPatient, dateOfBirth },
      },
    });
  expect(await create('1958-02-30')).toMatchObject({ status: 400, json: refused });
  const created = await create('1958-02-28');
  expect(created.status).toBe(201);
  const id = created.json.patient.id as string;

  const correction = await callRoute(correctRoute, support, 'PATCH', `/api/v1/patients/${id}`, {
    params: { id },
    body: { birthDate: '1958-02-30', reason: 'Sửa theo CCCD' },
  });
  expect(correction).toMatchObject({ status: 400, json: refused });
  const fromCard = await callRoute(demographicsRoute, desk, 'POST', `/api/v1/patients/${id}/demographics`, {
    params: { id },
    body: { change: { dateOfBirth: '1958-02-30' }, reason: 'Cập nhật từ thẻ' },
  });
  expect(fromCard).toMatchObject({ status: 400, json: refused });
  expect((await db.patient.findUniqueOrThrow({ where: { id } })).birthDate).toBe('1958-02-28');
});
