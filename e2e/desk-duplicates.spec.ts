import { expect, test } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { createDb, type Db } from '../lib/db/client';
import { normalizeVietnameseName } from '../lib/identity';
import { cccdPayload } from '../lib/identity/test-fixtures';
import { DEMO_FACILITY } from '../lib/db/demo';
import { e2eDatabaseUrl, signIn } from './fixtures';
import { DeskPage } from './pages/desk';

/**
 * Issue 10: a not-found scan offers likely duplicates masked (name, birth year, ID tails); the receptionist
 * reveals one on purpose (audited), and Enter links the card to it.
 */
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const shots = `${process.env.E2E_OUTPUT ?? 'test-results'}/screens`;
let db: Db;

test.beforeAll(async () => {
  db = createDb(await e2eDatabaseUrl(), 2);
});
test.afterAll(() => db.$disconnect());

test('a likely duplicate is shown masked, revealed on request (audited), and linked with Enter', async ({ page }) => {
  const yy = String(30 + randomInt(60));
  const code = `BN${digits(6)}`;
  // The demo facility's own hospital code (its assigning authority).
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const legacy = await db.patient.create({
    data: {
      fullName: 'Đào Thị Lệ Thu',
      normalizedName: normalizeVietnameseName('Đào Thị Lệ Thu'),
      birthDate: `19${yy}-04-12`,
      birthYear: Number(`19${yy}`),
      sex: 'F',
      address: '12 Đường Thống Nhất, Phường Phủ Hà, Tỉnh Khánh Hòa',
      phone: '0900000002',
      identifiers: { create: [{ system: 'HOSPITAL_CODE', value: code, assigningFacilityId: facility.id }] },
    },
  });
  await signIn(page, 'letan');
  const desk = new DeskPage(page);
  await desk.chooseRoom('P03');
  await desk.scan(
    cccdPayload({
      id: `0581${yy}${digits(6)}`,
      name: 'ĐÀO THỊ LỆ THU',
      dob: `120419${yy}`,
      sex: 'Nữ',
      address: '12 Thống Nhất, Phường Phủ Hà, Tỉnh Khánh Hòa',
      issued: '10092024',
      layout: '2024',
    }),
  );
  const form = desk.form.root;
  await expect(desk.form.candidate('Đào Thị Lệ Thu')).toBeChecked(); // the existing record is the default: Enter never makes a second one
  await expect(form).toContainText(`sinh năm 19${yy}`);
  await expect(form).toContainText(`Mã người bệnh ****${code.slice(-4)}`);
  await expect(form).not.toContainText('12 Đường Thống Nhất'); // the address only after a reveal
  await page.screenshot({ path: `${shots}/desk-duplicate-masked.png`, fullPage: true });

  await desk.form.reveal();
  await expect(form).toContainText('12 Đường Thống Nhất');
  await expect(form).toContainText(`12/04/19${yy}`);
  await page.screenshot({ path: `${shots}/desk-duplicate-revealed.png`, fullPage: true });
  expect(await db.auditEvent.count({ where: { patientId: legacy.id, action: 'PATIENT_CANDIDATE_REVEALED' } })).toBe(1);

  await desk.form.useRecord();
  await desk.checkedIn();
  expect(await db.encounter.count({ where: { patientId: legacy.id } })).toBe(1);
});
