import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { randomInt } from 'node:crypto';
import { createDb, type Db } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import type { Principal } from '../auth/roles';
import { bhytOldPayload } from '../identity/test-fixtures';
import { checkIn, type CheckinRequest } from './check-in';

/**
 * Many desks on two app instances checking a small crowd into a few rooms at once, with repeats, by typed
 * personal ID (the one-statement path) and by BHYT card (a transaction the first time, one statement after).
 * Whatever the interleaving: one encounter per patient, room and day; gap-free queue numbers per room; one
 * A04 hand-off and one "opened" audit row per encounter; every other check-in answered with the existing one.
 */
let db: Db;
let second: Db;
let desk: Principal;
const ROOMS = ['Q1', 'Q2', 'Q3'];
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

beforeAll(async () => {
  db = testDb();
  second = createDb(inject('databaseUrl'), 8);
  const facility = await testFacility(db);
  await db.room.createMany({
    data: ROOMS.map((code) => ({ facilityId: facility.id, code, name: `Phòng ${code}`, department: 'Khoa Khám bệnh' })),
  });
  desk = {
    kind: 'API_KEY',
    id: '00000000-0000-4000-8000-0000000000c0',
    name: 'desk-concurrency',
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
});
afterAll(async () => {
  await second.$disconnect();
  await db.$disconnect();
});

it('24 patients, 3 rooms, 16 desks at once with repeats: the invariants hold', async () => {
  const people = await Promise.all(
    Array.from({ length: 24 }, async (_, i) => {
      const personalId = `0580${String(70 + (i % 20)).padStart(2, '0')}${digits(6)}`;
      const bhxh = `58${digits(8)}`;
      const card = bhytOldPayload({
        code: `HT358${bhxh}`,
        name: 'Chế Thị Đông',
        dob: '01/01/1970',
        sex: '2',
        facility: '58 - 003',
        from: '01/01/2026',
        to: '31/12/2026',
        issued: '20/12/2025',
        mgmt: `5801${bhxh}`,
        five: '01/01/2015',
      });
      const patient = await db.patient.create({
        data: {
          fullName: 'Chế Thị Đông',
          normalizedName: 'che thi dong',
          birthDate: '1970-01-01',
          birthYear: 1970,
          sex: 'F',
          updatedAt: new Date(),
          identifiers: {
            create: [
              { system: 'PERSONAL_ID', value: personalId },
              { system: 'BHXH_NUMBER', value: bhxh },
            ],
          },
        },
      });
      return { id: patient.id, personalId, card, bhyt: i % 3 === 0 };
    }),
  );
  const requests: CheckinRequest[] = [];
  for (const p of people)
    for (const room of ROOMS)
      for (let k = 0; k < 3; k++) {
        requests.push(
          p.bhyt && k !== 1
            ? { raw: p.card, roomCode: room }
            : { identifier: { system: 'PERSONAL_ID', value: p.personalId }, roomCode: room },
        );
      }
  requests.sort(() => Math.random() - 0.5);

  const now = new Date();
  const results: Awaited<ReturnType<typeof checkIn>>[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async (_, desk16) => {
      while (next < requests.length) {
        const request = requests[next++]!;
        results.push(await checkIn(desk16 % 2 ? second : db, desk, request, now));
      }
    }),
  );

  expect(results.filter((r) => r.status !== 'created' && r.status !== 'existing')).toEqual([]);
  const encounters = await db.encounter.findMany({
    where: { facilityId: desk.facilityId },
    include: { room: true, handoffs: true },
  });
  expect(encounters).toHaveLength(people.length * ROOMS.length);
  expect(results.filter((r) => r.status === 'created')).toHaveLength(encounters.length);
  expect(new Set(encounters.map((e) => `${e.patientId}:${e.roomId}`)).size).toBe(encounters.length);
  for (const room of ROOMS) {
    const numbers = encounters
      .filter((e) => e.room.code === room)
      .map((e) => e.queueNumber)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: people.length }, (_, i) => i + 1));
  }
  for (const e of encounters) expect(e.handoffs.map((h) => h.event)).toEqual(['A04']);
  // A visit opened by a card scan is on that card (one opened by a typed ID first, before any card, is not).
  const byCard = results.flatMap((r) =>
    r.status === 'created' && r.encounter.identificationMethod === 'BHYT_QR' ? [r.encounter] : [],
  );
  expect(byCard.length).toBeGreaterThan(0);
  expect(byCard.filter((e) => e.payer !== 'BHYT' || !e.coverageId)).toEqual([]);
  expect(await db.coverage.count({ where: { patientId: { in: people.map((p) => p.id) } } })).toBe(
    people.filter((p) => p.bhyt).length,
  );
  const audits = await db.auditEvent.groupBy({
    by: ['action'],
    where: { actorId: desk.id, facilityId: desk.facilityId },
    _count: true,
  }); // other files' desks may share the id
  expect(Object.fromEntries(audits.map((a) => [a.action, a._count]))).toEqual({
    ENCOUNTER_OPENED: encounters.length,
    ENCOUNTER_RETURNED: requests.length - encounters.length,
  });
});
