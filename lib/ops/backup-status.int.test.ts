import { afterAll, beforeEach, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { useTestDatabaseForRoutes } from '../db/test-api';
import { testDb } from '../db/test-helpers';
import { MESSAGES } from '../i18n/messages';
import { SystemPanel } from '@/components/admin/system-panel';

/** Issue 12: the admin page shows the last backup and warns when it is older than 26 h, missing, or failed. */
useTestDatabaseForRoutes();
const db = testDb();
const t = MESSAGES.vi.ops;
const hours = (h: number) => new Date(Date.now() - h * 3_600_000);
let facilityId = '';
const panel = async () => renderToStaticMarkup(await SystemPanel({ t, facilityId }));
const backup = (file: string, finishedAt: Date, error?: string) =>
  db.databaseBackup.create({
    data: { file, kind: 'SCHEDULED', host: 'test', startedAt: finishedAt, finishedAt, sizeBytes: 3 * 1048576, error },
  });

beforeEach(async () => {
  await db.databaseBackup.deleteMany({});
  facilityId = (
    await db.facility.upsert({ where: { code: '58971' }, create: { code: '58971', name: 'Cơ sở A' }, update: {} })
  ).id;
});
afterAll(async () => {
  await db.databaseBackup.deleteMany({});
  await db.handoffTargetState.deleteMany({ where: { key: { startsWith: 'TEST-' } } });
  await db.$disconnect();
});

it('no backup yet: says so', async () => {
  expect(await panel()).toContain(t.backupNone);
});

it('a backup of 3 hours ago: shown with its file and size, no warning', async () => {
  await backup('tiepdon-a.tdbak', hours(3));
  const html = await panel();
  expect(html).toContain('tiepdon-a.tdbak');
  expect(html).toContain('3.0 MB');
  expect(html).not.toContain(t.backupOld);
  expect(html).not.toContain(t.backupNone);
});

it('older than 26 hours: warns; a failed attempt after it: says why', async () => {
  await backup('tiepdon-b.tdbak', hours(27));
  expect(await panel()).toContain(t.backupOld);
  await backup('', hours(1), 'ENOSPC: no space left on device');
  const html = await panel();
  expect(html).toContain(t.backupOld);
  expect(html).toContain('ENOSPC: no space left on device');
});

it("an admin sees their own facility's HIS circuit and the shared ones, not another facility's", async () => {
  const other = await db.facility.upsert({
    where: { code: '58972' },
    create: { code: '58972', name: 'Cơ sở B' },
    update: {},
  });
  await db.handoffTargetState.deleteMany({ where: { key: { startsWith: 'TEST-' } } });
  await db.handoffTargetState.createMany({
    data: [
      { key: 'TEST-own', target: 'HL7V2', facilityId, state: 'OPEN', openedAt: hours(1) },
      { key: 'TEST-other', target: 'HL7V2', facilityId: other.id, state: 'OPEN', openedAt: hours(1) },
      { key: 'TEST-shared', target: 'FHIR', facilityId: null },
    ],
  });
  const html = await panel();
  expect(html).toContain('data-facility="58971"');
  expect(html).toContain('FHIR');
  expect(html).not.toContain('58972');
  expect(html).not.toContain('Cơ sở B');
});
