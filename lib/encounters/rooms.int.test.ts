import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import type { Db } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import type { Principal } from '../auth/roles';
import { checkIn } from './check-in';
import { assignRoom, defaultRoom } from './rooms';

let db: Db;
let facility: { id: string; code: string };
let admin: Principal;
let apiKey: Principal;
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const personalId = () => `0580${digits(2)}${digits(6)}`;

async function receptionist(): Promise<Principal> {
  const username = `letan${digits(8)}`;
  const user = await db.user.create({
    data: {
      username,
      fullName: 'Lễ Tân Thử',
      passwordHash: 'x',
      role: 'RECEPTIONIST',
      facilityId: facility.id,
      updatedAt: new Date(),
    },
  });
  return {
    kind: 'USER',
    id: user.id,
    name: username,
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
}
const roomId = async (code: string, f = facility) =>
  (await db.room.findFirstOrThrow({ where: { facilityId: f.id, code } })).id;

beforeAll(async () => {
  db = testDb();
  facility = await testFacility(db);
  // "CC" sorts first: it must never be anyone's silent default.
  await db.room.createMany({
    data: ['CC', 'P01', 'P02', 'P09'].map((code) => ({
      facilityId: facility.id,
      code,
      name: code === 'CC' ? 'Cấp cứu' : `Phòng ${code}`,
      department: 'Khoa Khám bệnh',
      active: code !== 'P09',
    })),
  });
  const adminUser = await db.user.create({
    data: {
      username: `quantri${digits(8)}`,
      fullName: 'Quản Trị Thử',
      passwordHash: 'x',
      role: 'ADMIN',
      facilityId: facility.id,
      updatedAt: new Date(),
    },
  });
  admin = {
    kind: 'USER',
    id: adminUser.id,
    name: adminUser.username,
    role: 'ADMIN',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
  apiKey = {
    kind: 'API_KEY',
    id: '00000000-0000-4000-8000-0000000000aa',
    name: 'his-test',
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
});
afterAll(async () => db.$disconnect());

describe('the desk default room: one rule', () => {
  it('assigned room first, then the last used, each only while active and in the facility; none otherwise', async () => {
    const desk = await receptionist();
    expect(await defaultRoom(db, desk)).toBeNull(); // new receptionist: no silent "CC"
    expect(await defaultRoom(db, apiKey)).toBeNull();
    await db.user.update({ where: { id: desk.id }, data: { lastRoomId: await roomId('P02') } });
    expect((await defaultRoom(db, desk))?.code).toBe('P02');
    expect(await assignRoom(db, admin, desk.id, 'P01')).toEqual({ ok: true });
    expect((await defaultRoom(db, desk))?.code).toBe('P01');
    await db.room.update({ where: { id: await roomId('P01') }, data: { active: false } });
    expect((await defaultRoom(db, desk))?.code).toBe('P02'); // the assigned room closed: the last one
    await db.room.update({ where: { id: await roomId('P02') }, data: { active: false } });
    expect(await defaultRoom(db, desk)).toBeNull(); // both closed: no default, never an inactive room
    await db.room.updateMany({
      where: { id: { in: [await roomId('P01'), await roomId('P02')] } },
      data: { active: true },
    });
    const other = await testFacility(db);
    const foreign = await db.room.create({
      data: { facilityId: other.id, code: 'P01', name: 'Phòng khác', department: 'Khoa' },
    });
    await db.user.update({ where: { id: desk.id }, data: { assignedRoomId: foreign.id, lastRoomId: foreign.id } });
    expect(await defaultRoom(db, desk)).toBeNull();
  });

  it('an administrator assigns rooms only in their facility, only active ones, audited', async () => {
    const desk = await receptionist();
    await expect(assignRoom(db, admin, desk.id, 'P09')).rejects.toMatchObject({ code: 'UNKNOWN_ROOM' });
    const other = await testFacility(db);
    const stranger = await db.user.create({
      data: {
        username: `khac${digits(8)}`,
        fullName: 'Người Khác',
        passwordHash: 'x',
        role: 'RECEPTIONIST',
        facilityId: other.id,
        updatedAt: new Date(),
      },
    });
    await expect(assignRoom(db, admin, stranger.id, 'P01')).rejects.toMatchObject({ code: 'UNKNOWN_USER' });
    expect(await assignRoom(db, admin, desk.id, 'P02')).toEqual({ ok: true });
    expect(await assignRoom(db, admin, desk.id, null)).toEqual({ ok: true });
    const rows = await db.auditEvent.findMany({
      where: { action: 'ROOM_ASSIGNED', entityId: desk.id },
      orderBy: { at: 'asc' },
    });
    expect(rows.map((r) => r.details)).toEqual([{ room: 'P02' }, { room: null }]);
  });

  it('a check-in without a room goes to the default room, or asks for one', async () => {
    const desk = await receptionist();
    const body = {
      identifier: { system: 'PERSONAL_ID' as const, value: personalId() },
      newPatient: { fullName: 'Chế Thị Phòng', dateOfBirth: '1970-01-01', sex: 'F' as const },
    };
    expect(await checkIn(db, desk, body)).toMatchObject({ status: 'invalid', code: 'ROOM_REQUIRED' });
    await assignRoom(db, admin, desk.id, 'P02');
    expect(await checkIn(db, desk, body)).toMatchObject({ status: 'created', encounter: { room: { code: 'P02' } } });
  });
});

describe('a second room on the same day', () => {
  it('a person at the desk is asked first; nothing is opened or remembered until they confirm', async () => {
    const desk = await receptionist();
    const id = personalId();
    const first = await checkIn(db, desk, {
      identifier: { system: 'PERSONAL_ID', value: id },
      roomCode: 'P01',
      newPatient: { fullName: 'Ka Văn Hai', dateOfBirth: '1961-06-06', sex: 'M' },
    });
    if (first.status !== 'created') throw new Error(first.status);
    expect(
      await checkIn(db, desk, { identifier: { system: 'PERSONAL_ID', value: id }, roomCode: 'P01' }),
    ).toMatchObject({ status: 'existing' }); // same room: no question

    const asked = await checkIn(db, desk, { identifier: { system: 'PERSONAL_ID', value: id }, roomCode: 'P02' });
    expect(asked).toMatchObject({
      status: 'seen-today',
      patient: { fullName: 'Ka Văn Hai' },
      visits: [{ roomCode: 'P01', queueNumber: first.encounter.queueNumber }],
    });
    expect(asked.status === 'seen-today' && asked.message).toMatch(
      /^Người bệnh đã được tiếp đón hôm nay: Phòng P01 \(số \d+, \d\d:\d\d\)\. Tiếp đón thêm vào Phòng P02\?$/,
    );
    expect(await db.encounter.count({ where: { patientId: first.patient.id } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id: desk.id } })).lastRoomId).toBe(await roomId('P01'));
    expect(
      await db.auditEvent.count({
        where: {
          patientId: first.patient.id,
          action: 'PATIENT_LOOKUP',
          details: { path: ['reason'], equals: 'seen-today-in-another-room' },
        },
      }),
    ).toBe(1);

    const confirmed = await checkIn(db, desk, {
      identifier: { system: 'PERSONAL_ID', value: id },
      roomCode: 'P02',
      confirmSecondRoom: true,
    });
    expect(confirmed).toMatchObject({ status: 'created', encounter: { room: { code: 'P02' } } });
  });

  it('integrations and kiosks choose the room themselves: not asked', async () => {
    const id = personalId();
    await checkIn(db, apiKey, {
      identifier: { system: 'PERSONAL_ID', value: id },
      roomCode: 'P01',
      newPatient: { fullName: 'Ka Thị Ba', dateOfBirth: '1962-06-06', sex: 'F' },
    });
    expect(
      await checkIn(db, apiKey, { identifier: { system: 'PERSONAL_ID', value: id }, roomCode: 'P02' }),
    ).toMatchObject({ status: 'created' });
  });
});
