import { expect, test } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { createDb, type Db } from '../lib/db/client';
import { DEMO_FACILITY } from '../lib/db/demo';
import { normalizeVietnameseName } from '../lib/identity/normalize';
import { localDayAsDate } from '../lib/time/local-day';
import { startGatewaySimulator, type GatewaySimulator } from '../lib/insurance/simulator';
import { DEMO_CARDS, DEMO_PEOPLE, type DemoPerson } from '../lib/insurance/demo-cards';
import { e2eDatabaseUrl, signIn, SAME_ORIGIN } from './fixtures';

/**
 * The "BHYT chưa xác minh" worklist against a real gateway simulator. The app under test reads
 * BHXH_GATEWAY_URL/_USER/_PASSWORD from its environment (e2e/serve.ts passes the runner's environment on),
 * so this spec starts the simulator on that URL's port.
 */
// playwright.config.ts sets BHXH_GATEWAY_URL/_USER/_PASSWORD for the app under test.
const GATEWAY = new URL(process.env.BHXH_GATEWAY_URL!);

const STAFF_CCCD = '058190000001';
const SCREENS = `${process.env.E2E_OUTPUT ?? 'test-results'}/screens`;
let sim: GatewaySimulator;
let db: Db;

async function bhytVisit(person: DemoPerson, roomCode: string) {
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const room = await db.room.findFirstOrThrow({ where: { facilityId: facility.id, code: roomCode } });
  const patient = await db.patient.create({
    data: {
      fullName: person.fullName,
      normalizedName: normalizeVietnameseName(person.fullName),
      birthDate: person.dateOfBirth,
      birthYear: Number(person.dateOfBirth.slice(0, 4)),
      sex: person.sex,
    },
  });
  const coverage = await db.coverage.create({
    data: { patientId: patient.id, cardCode: person.cardCode, bhxhNumber: person.bhxhNumber },
  });
  const queueNumber = randomInt(5000, 9000);
  const encounter = await db.encounter.create({
    data: {
      number: `E2E-BHYT-${queueNumber}-${randomInt(1e9)}`,
      facilityId: facility.id,
      patientId: patient.id,
      roomId: room.id,
      coverageId: coverage.id,
      localDate: localDayAsDate(),
      queueNumber,
      payer: 'BHYT',
      bhytVerification: 'UNVERIFIED',
      identificationMethod: 'TYPED_BHYT',
      trustLevel: 'TYPED',
    },
  });
  return { coverageId: coverage.id, encounterId: encounter.id };
}

test.beforeAll(async () => {
  sim = await startGatewaySimulator({
    port: Number(GATEWAY.port),
    account: { username: process.env.BHXH_GATEWAY_USER!, password: process.env.BHXH_GATEWAY_PASSWORD! },
    cards: DEMO_CARDS,
    staff: [{ fullName: 'Lê Thị Tân (demo)', cccd: STAFF_CCCD }],
  });
  db = createDb(await e2eDatabaseUrl(), 2);
  // The gateway needs the receptionist's own CCCD (cccdCb); demo accounts have none.
  await db.user.update({ where: { username: 'letan' }, data: { staffIdNumber: STAFF_CCCD } });
});

test.afterAll(async () => {
  await sim?.close();
  await db?.$disconnect();
});

test('a receptionist re-verifies BHYT visits the gateway did not answer for', async ({ page }) => {
  const nhung = await bhytVisit(DEMO_PEOPLE[0]!, 'P01');
  const yen = await bhytVisit(DEMO_PEOPLE[3]!, 'P02');
  const ha = await bhytVisit(DEMO_PEOPLE[5]!, 'P03');

  await signIn(page, 'letan');
  await page.goto('/tiep-don/bhyt-cho-xac-minh');
  await expect(page.getByRole('heading', { name: 'BHYT chưa xác minh' })).toBeVisible();
  const table = page.getByRole('table');
  for (const name of ['Nguyễn Thị Hồng Nhung', 'Đàng Thị Yến', 'Võ Thị Thu Hà'])
    await expect(table.getByRole('rowheader', { name })).toBeVisible();
  await expect(table).toContainText('GD458******5601'); // masked, group/level/province readable (issue 11, item 7)
  await expect(table).not.toContainText('GD4585812345601');
  await page.screenshot({ path: `${SCREENS}/bhyt-worklist.png`, fullPage: true });

  // Gateway down: the row stays, the desk is told in Vietnamese, quickly.
  sim.setFaults({ http500: true });
  const haButton = page.getByRole('button', { name: 'Xác minh lại: Võ Thị Thu Hà' });
  await haButton.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('listitem').filter({ hasText: 'Võ Thị Thu Hà' })).toContainText('Chưa xác minh được');
  await expect(page.getByRole('listitem').filter({ hasText: 'Võ Thị Thu Hà' })).toContainText('HTTP 500');
  await expect(table.getByRole('rowheader', { name: 'Võ Thị Thu Hà' })).toBeVisible();

  // Gateway back: verify everything; verified and rejected visits leave the list.
  sim.setFaults({});
  await page.getByRole('button', { name: 'Xác minh lại tất cả' }).click();
  await expect(page.getByRole('listitem').filter({ hasText: 'Đàng Thị Yến' })).toContainText('Không hợp lệ');
  await expect(page.getByRole('listitem').filter({ hasText: 'Đàng Thị Yến' })).toContainText('hết giá trị');
  await expect(page.getByRole('listitem').filter({ hasText: 'Nguyễn Thị Hồng Nhung' }).first()).toContainText('Hợp lệ');
  for (const name of ['Nguyễn Thị Hồng Nhung', 'Đàng Thị Yến', 'Võ Thị Thu Hà'])
    await expect(table.getByRole('rowheader', { name })).toHaveCount(0);
  await page.screenshot({ path: `${SCREENS}/bhyt-worklist-after.png`, fullPage: true });

  // Another day, typed as dd/MM/yyyy.
  await page.getByLabel('Ngày').fill('01/01/2026');
  await expect(page.getByText('01/01/2026 · 0 lượt chờ xác minh')).toBeVisible();

  const check = sim.requests.filter((r) => r.endpoint === 'check');
  expect(check.every((r) => r.body.hoTenCb === 'Lê Thị Tân (demo)' && r.body.cccdCb === STAFF_CCCD)).toBe(true);
  expect((await db.coverage.findUniqueOrThrow({ where: { id: nhung.coverageId } })).verification).toBe('VERIFIED');
  expect((await db.coverage.findUniqueOrThrow({ where: { id: yen.coverageId } })).verification).toBe('REJECTED');
  expect((await db.encounter.findUniqueOrThrow({ where: { id: ha.encounterId } })).bhytVerification).toBe('VERIFIED');
  expect(sim.requests.filter((r) => r.endpoint === 'token')).toHaveLength(1); // the app reuses its token
});

test('the API validates input in Vietnamese and keeps other roles out', async ({ page, browser }) => {
  await signIn(page, 'letan');
  const bad = await page.request.post('/api/v1/bhyt/verify', { headers: SAME_ORIGIN, data: { coverageId: 'abc' } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/coverageId phải là mã/);
  const unknown = await page.request.post('/api/v1/bhyt/verify', {
    headers: SAME_ORIGIN,
    data: { coverageId: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f' },
  });
  expect(unknown.status()).toBe(404);
  const badDate = await page.request.get('/api/v1/bhyt/unverified?date=2026-02-30');
  expect(badDate.status()).toBe(400);
  expect((await badDate.json()).error.message).toMatch(/Ngày không tồn tại/);

  const manager = await browser.newPage();
  await signIn(manager, 'quanly');
  expect((await manager.request.get('/api/v1/bhyt/unverified')).status()).toBe(403);
  await manager.close();
});
