import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb, testFacility } from '@/lib/db/test-helpers';
import { callRoute, testCaller, useTestDatabaseForRoutes, type Caller } from '@/lib/db/test-api';
import { mllpSettingKey, mllpUrl } from '@/lib/handoff/config';
import { GET, PUT } from './route';

/** Issue 10: the HIS connection setting is per facility. B's administrator neither reads nor changes A's. */
useTestDatabaseForRoutes();
const db = testDb();
let adminA: Caller;
let adminB: Caller;

beforeAll(async () => {
  adminA = await testCaller(db, (await testFacility(db)).id, 'ADMIN', 'admin-a');
  adminB = await testCaller(db, (await testFacility(db)).id, 'ADMIN', 'admin-b');
});
afterAll(async () => {
  await db.setting.deleteMany({
    where: { key: { in: [mllpSettingKey(adminA.facilityId), mllpSettingKey(adminB.facilityId)] } },
  });
  await db.$disconnect();
});

const save = (c: Caller, url: string) => callRoute(PUT, c, 'PUT', '/api/v1/settings/his', { body: { mllpUrl: url } });
const read = async (c: Caller) =>
  (await callRoute(GET, c, 'GET', '/api/v1/settings/his')).json.mllpUrl as string | null;

describe('HIS connection per facility', () => {
  it("B's admin cannot read or change A's address; each facility's messages use their own", async () => {
    const prior = process.env.HIS_MLLP_URL;
    delete process.env.HIS_MLLP_URL;
    try {
      expect((await save(adminA, 'mllp://his-a.benhvien.local:2575')).status).toBe(200);
      expect(await read(adminB)).toBeNull();
      expect(await read(adminA)).toBe('mllp://his-a.benhvien.local:2575');

      expect((await save(adminB, 'mllp://his-b.benhvien.local:2575')).status).toBe(200);
      expect(await read(adminA)).toBe('mllp://his-a.benhvien.local:2575');
      expect((await save(adminB, '')).status).toBe(200); // clearing B's leaves A's
      expect(await read(adminA)).toBe('mllp://his-a.benhvien.local:2575');

      // What the hand-off worker resolves for each facility's messages.
      expect(await mllpUrl(db, adminA.facilityId, {})).toBe('mllp://his-a.benhvien.local:2575');
      expect(await mllpUrl(db, adminB.facilityId, {})).toBeNull();
      const audits = await db.auditEvent.findMany({
        where: { action: 'SETTING_CHANGED', actorId: { in: [adminA.id, adminB.id] } },
        orderBy: { id: 'asc' },
      });
      expect(audits.map((a) => [a.actorId, a.facilityId, a.entityId])).toEqual([
        [adminA.id, adminA.facilityId, mllpSettingKey(adminA.facilityId)],
        [adminB.id, adminB.facilityId, mllpSettingKey(adminB.facilityId)],
        [adminB.id, adminB.facilityId, mllpSettingKey(adminB.facilityId)],
      ]);
    } finally {
      if (prior !== undefined) process.env.HIS_MLLP_URL = prior;
    }
  });
});
