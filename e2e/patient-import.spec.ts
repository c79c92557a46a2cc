import { expect, test } from '@playwright/test';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { createDb, type Db } from '../lib/db/client';
import { csvText, personRow, syntheticPerson, VN_HEADERS } from '../lib/patients/import/test-files';
import { cccdPayload } from '../lib/identity/test-fixtures';
import { e2eDatabaseUrl, signIn } from './fixtures';

/**
 * The administrator imports the HIS's patient export on the admin page: upload, preview of the columns found and
 * of the first rows (numbers masked), a dry run, the import with its progress, the counts, the report; a file that
 * is not a table is refused in Vietnamese. Then the desk finds an imported person by their CCCD.
 */
const SCREENS = `${process.env.E2E_OUTPUT ?? 'test-results'}/screens`;
let db: Db;

test.beforeAll(async () => {
  db = createDb(await e2eDatabaseUrl(), 2);
});
test.afterAll(async () => {
  await db?.$disconnect();
});

test('an administrator uploads a HIS export, checks the columns, runs it dry, imports it and downloads the report', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const salt = randomInt(3000, 9000);
  const people = Array.from({ length: 12 }, (_, i) => syntheticPerson(i, salt));
  const lines = [
    VN_HEADERS,
    ...people.map(personRow),
    VN_HEADERS.map(() => ''),
    personRow(people[0]!),
    personRow({
      ...people[1]!,
      birthDate: '1980-02-31',
      hospitalCode: `${people[1]!.hospitalCode}X`,
      personalId: people[11]!.personalId.replace(/\d$/, '9'),
    }),
  ];
  const before = await db.patient.count();
  await signIn(page, 'quantri');
  await page.goto('/quan-tri');
  const panel = page.getByTestId('patient-import');
  await expect(panel.getByRole('heading', { name: 'Nhập danh sách người bệnh từ HIS' })).toBeVisible();

  await panel
    .locator('input[type=file]')
    .setInputFiles({ name: 'benh-nhan-his.csv', mimeType: 'text/csv', buffer: Buffer.from('\ufeff' + csvText(lines)) });
  const preview = panel.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await expect(panel.getByText('Cột nhận ra trong tệp benh-nhan-his.csv (CSV, UTF-8, dòng tiêu đề 1):')).toBeVisible();
  await expect(preview.getByRole('combobox', { name: 'Mã BN' })).toHaveValue('hospitalCode');
  await expect(preview.getByRole('combobox', { name: 'Số CCCD' })).toHaveValue('personalId');
  await expect(preview).toContainText(people[0]!.fullName);
  await expect(preview).not.toContainText(people[0]!.personalId); // masked
  await expect(preview).toContainText(`********${people[0]!.personalId.slice(-4)}`);
  await page.screenshot({ path: `${SCREENS}/import-preview.png`, fullPage: true });

  // Dry run, from the keyboard: nothing written, the report of what would happen.
  await panel.getByRole('button', { name: 'Chạy thử (không ghi gì)' }).focus();
  await page.keyboard.press('Enter');
  const job = panel.getByTestId('import-job');
  await expect(job).toHaveAttribute('data-status', 'DONE', { timeout: 30_000 });
  await expect(job.getByText('Kết quả chạy thử (chưa ghi gì)')).toBeVisible();
  const count = (key: string) => job.getByTestId('import-counts').locator(`[data-count=${key}] td`).nth(1);
  await expect(count('created')).toHaveText('12');
  await expect(count('duplicates')).toHaveText('1');
  await expect(count('rejected')).toHaveText('1');
  await expect(count('blank')).toHaveText('1');
  expect(await db.patient.count()).toBe(before);

  await panel.getByRole('button', { name: 'Nhập', exact: true }).click();
  await expect(job).toHaveAttribute('data-status', 'DONE', { timeout: 30_000 });
  await expect(job.getByText('Kết quả', { exact: true })).toBeVisible();
  await expect(count('created')).toHaveText('12');
  expect(await db.patient.count()).toBe(before + 12);
  await page.screenshot({ path: `${SCREENS}/import-done.png`, fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    job.getByRole('link', { name: 'Tải báo cáo (.xlsx)' }).click(),
  ]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync((await download.path())!) as never);
  const refused: unknown[][] = [];
  wb.getWorksheet('Bị từ chối')!.eachRow((r, n) => n > 1 && refused.push((r.values as unknown[]).slice(1)));
  expect(refused).toEqual([[16, 'Ngày sinh', 'Ngày sinh không hợp lệ: cần dd/MM/yyyy, yyyy-MM-dd hoặc năm yyyy.']]);
  expect(download.suggestedFilename()).toMatch(/^nhap-benh-nhan-[0-9a-f]{8}-bao-cao\.xlsx$/);
  await expect(panel.getByRole('table').last()).toContainText('benh-nhan-his.csv');

  // The imported hospital code is this facility's.
  const stored = await db.patientIdentifier.findFirstOrThrow({
    where: { system: 'HOSPITAL_CODE', value: people[3]!.hospitalCode },
    include: { assigningFacility: true },
  });
  expect(stored.assigningFacility?.code).toBe('58999');

  // At the desk: the imported person's chip card finds their record (no new one); the answer names its patient code
  // (masked, as every stored number) and the exam slip prints it whole, for the exam room to find the HIS record.
  const p = people[3]!;
  await page.context().clearCookies();
  await signIn(page, 'letan');
  await page.getByLabel('Phòng khám').selectOption('P03');
  await page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT').focus();
  const [y, m, d] = p.birthDate.split('-');
  await page.keyboard.type(
    cccdPayload({
      id: p.personalId,
      name: p.fullName,
      dob: `${d}${m}${y}`,
      sex: p.sex === 'M' ? 'Nam' : 'Nữ',
      address: p.address,
      issued: '05082024',
      layout: '2024',
    }),
    { delay: 5 },
  );
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('stored-identifiers')).toContainText(
    new RegExp(`Mã người bệnh \\*+${p.hospitalCode.slice(-4)}`),
  );
  await page.screenshot({ path: `${SCREENS}/import-desk-result.png` });
  expect(await db.patient.count()).toBe(before + 12);
  const visit = await db.encounter.findFirstOrThrow({
    where: { patientId: stored.patientId },
    orderBy: { checkedInAt: 'desc' },
  });
  await page.goto(`/tiep-don/phieu/${visit.id}`);
  await expect(page.getByTestId('slip-hospital-code')).toHaveText(p.hospitalCode);
  await page.screenshot({ path: `${SCREENS}/import-slip.png` });
});

test('a file that is not a table is refused in Vietnamese, and only administrators may import', async ({ page }) => {
  await signIn(page, 'quantri');
  await page.goto('/quan-tri');
  const panel = page.getByTestId('patient-import');
  await panel.locator('input[type=file]').setInputFiles({
    name: 'anh.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  });
  await expect(panel.getByRole('alert')).toContainText('Tệp không phải CSV hay XLSX');
  await page.context().clearCookies();
  await signIn(page, 'letan');
  const denied = await page.request.post('/api/v1/patient-imports?name=x.csv', {
    headers: { 'content-type': 'application/octet-stream', origin: new URL(page.url()).origin },
    data: Buffer.from('Họ tên,Ngày sinh\n'),
  });
  expect(denied.status()).toBe(403);
});
