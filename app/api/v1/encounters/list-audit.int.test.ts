import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { getDb, type Db } from '@/lib/db/client';
import { testDb, testFacility } from '@/lib/db/test-helpers';
import { createApiKey } from '@/lib/auth/api-keys';
import { checkIn } from '@/lib/encounters/check-in';
import { POLL_HEADER } from '@/lib/auth/polling';
import { newInListView } from '@/lib/audit/list-views';
import { GET } from './route';

/**
 * The desk's today-list refreshes every 5 s. Each refresh used to write an audit row; now a view is audited when it
 * shows its viewer something new (first view of the day, or a newly listed encounter): lib/audit/list-views.ts.
 */
let db: Db;
let key: string;
let facility: { id: string; code: string };
let keyId: string;

const poll = () =>
  GET(
    new Request('http://localhost/api/v1/encounters?roomCode=P01', {
      headers: { authorization: `Bearer ${key}`, [POLL_HEADER]: '1' },
    }),
    { params: Promise.resolve({}) },
  );
const viewRows = () => db.auditEvent.count({ where: { action: 'ENCOUNTER_LIST_VIEWED', actorId: keyId } });

beforeAll(async () => {
  process.env.DATABASE_URL = inject('databaseUrl'); // the route's getDb() and the test share the test database
  db = testDb();
  facility = await testFacility(db);
  await db.room.create({
    data: { facilityId: facility.id, code: 'P01', name: 'Phòng 1', department: 'Khoa Khám bệnh' },
  });
  ({ id: keyId, key } = await createApiKey(db, {
    name: 'man-hinh-quay',
    role: 'RECEPTIONIST',
    facilityId: facility.id,
  }));
});
afterAll(async () => {
  await db.$disconnect();
  await getDb().$disconnect();
});

async function checkInSomeone() {
  const desk = {
    kind: 'API_KEY' as const,
    id: keyId,
    name: 'man-hinh-quay',
    role: 'RECEPTIONIST' as const,
    facilityId: facility.id,
    facilityCode: facility.code,
  };
  const personalId = `058058${String(randomInt(1_000_000)).padStart(6, '0')}`;
  const r = await checkIn(db, desk, {
    identifier: { system: 'PERSONAL_ID', value: personalId },
    roomCode: 'P01',
    newPatient: { fullName: 'Chế Thị Danh Sách', dateOfBirth: '1958-03-12', sex: 'F' },
  });
  if (r.status !== 'created') throw new Error(r.status);
}

describe('list polling and the audit trail', () => {
  it('a minute of 5-second refreshes writes one row; a newly listed encounter writes one more', async () => {
    await checkInSomeone();
    for (let i = 0; i < 12; i++) expect((await poll()).status).toBe(200);
    expect(await viewRows()).toBe(1);
    await checkInSomeone();
    for (let i = 0; i < 12; i++) expect((await poll()).status).toBe(200);
    expect(await viewRows()).toBe(2);
    const last = await db.auditEvent.findFirstOrThrow({
      where: { action: 'ENCOUNTER_LIST_VIEWED', actorId: keyId },
      orderBy: { id: 'desc' },
    });
    expect(last.details).toMatchObject({ room: 'P01', count: 2, newRows: 1 });
  });

  it('counts each viewer and each day apart', () => {
    const actor = {
      kind: 'USER' as const,
      id: 'u1',
      name: 'letan',
      role: 'RECEPTIONIST' as const,
      facilityId: 'f',
      facilityCode: '58999',
      sessionId: 's1',
    };
    const view = { actor, list: 'encounters', params: { day: '2026-12-01', room: 'P01' }, ids: ['a', 'b'] };
    const morning = new Date('2026-12-01T01:00:00Z');
    expect(newInListView(view, morning)).toEqual(['a', 'b']);
    expect(newInListView(view, morning)).toBeNull();
    expect(newInListView({ ...view, ids: ['b', 'a'] }, morning)).toBeNull();
    expect(newInListView({ ...view, ids: ['c', 'a'] }, morning)).toEqual(['c']);
    expect(newInListView({ ...view, actor: { ...actor, sessionId: 's2' } }, morning)).toEqual(['a', 'b']); // signed in anew
    expect(newInListView({ ...view, params: { ...view.params, room: 'P02' } }, morning)).toEqual(['a', 'b']);
    expect(newInListView(view, new Date('2026-12-01T18:00:00Z'))).toEqual(['a', 'b']); // 01:00 next day in Vietnam
  });
});
