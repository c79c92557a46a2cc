import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import { runDueReports } from './scheduler';

let db: Db;
beforeAll(async () => {
  db = testDb();
  await testFacility(db);
});
afterAll(async () => db.$disconnect());

it('generates the weekly report once it is due on Wednesday morning (local time), and only once', async () => {
  const tuesdayEvening = new Date('2031-01-07T12:00:00Z'); // Tue 19:00 in Vietnam
  const wednesday0659 = new Date('2031-01-07T23:59:00Z'); // Wed 06:59
  const wednesday0705 = new Date('2031-01-08T00:05:00Z'); // Wed 07:05
  expect(await runDueReports(db, tuesdayEvening)).toBe(false);
  expect(await runDueReports(db, wednesday0659)).toBe(false);
  expect(await db.weeklyReport.count({ where: { weekStart: new Date('2030-12-30T00:00:00Z') } })).toBe(0);
  await db.weeklyReport.updateMany({
    where: { generatedBy: 'SYSTEM' },
    data: { generatedAt: new Date('2031-01-01T00:00:00Z') },
  }); // earlier runs from other tests
  expect(await runDueReports(db, wednesday0705)).toBe(true);
  const reports = await db.weeklyReport.findMany({ where: { weekStart: new Date('2030-12-30T00:00:00Z') } });
  expect(reports.length).toBeGreaterThan(0); // one per facility: the week Monday 30/12/2030 – Sunday 05/01/2031
  await db.weeklyReport.updateMany({
    where: { weekStart: new Date('2030-12-30T00:00:00Z') },
    data: { generatedAt: wednesday0705 },
  });
  expect(await runDueReports(db, new Date('2031-01-08T01:00:00Z'))).toBe(false); // already done this Wednesday
});
