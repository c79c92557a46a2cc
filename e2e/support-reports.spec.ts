import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createDb, type Db } from '../lib/db/client';
import { DEMO_FACILITY } from '../lib/db/demo';
import { normalizeVietnameseName } from '../lib/identity';
import { addDays } from '../lib/reports/intake';
import { previousWeekStart } from '../lib/reports/weekly';
import { localDay } from '../lib/time/local-day';
import { isoToTyped } from '../lib/time/typed-date';
import { e2eDatabaseUrl, signIn } from './fixtures';

/** Support look-up (purpose, search, record, merge/unmerge) and managers' reports, on synthetic rows inserted directly. */
let db: Db;
const reportDay = addDays(previousWeekStart(localDay()), 2); // a Wednesday in last full week, so "last week's report" covers it
const shots = `${process.env.E2E_OUTPUT ?? 'test-results'}/screens`;

async function patient(
  fullName: string,
  birthDate: string,
  ids: { system: 'PERSONAL_ID' | 'HOSPITAL_CODE'; value: string }[],
) {
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const identifiers = ids.map((i) => ({
    ...i,
    assigningFacilityId: i.system === 'HOSPITAL_CODE' ? facility.id : null,
  }));
  return db.patient.create({
    data: {
      fullName,
      normalizedName: normalizeVietnameseName(fullName),
      birthDate,
      birthYear: Number(birthDate.slice(0, 4)),
      phone: '0987654321',
      identifiers: { create: identifiers },
    },
  });
}

/** A past visit at the demo facility: the record is then the facility's own (lib/patients/access.ts). */
async function visitHere(p: { id: string }) {
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const room = await db.room.findFirstOrThrow({ where: { facilityId: facility.id }, orderBy: { code: 'asc' } });
  await db.encounter.create({
    data: {
      number: `E2E-V-${randomUUID().slice(0, 8)}`,
      facilityId: facility.id,
      patientId: p.id,
      roomId: room.id,
      localDate: new Date('2025-02-03T00:00:00Z'),
      queueNumber: 100_000 + Math.floor(Math.random() * 800_000),
      identificationMethod: 'TYPED_ID',
      trustLevel: 'TYPED',
    },
  });
  return p;
}

async function workbookFrom(page: Page, trigger: () => Promise<void>) {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync((await download.path())!) as never);
  return { wb, name: download.suggestedFilename() };
}

test.beforeAll(async () => {
  db = createDb(await e2eDatabaseUrl(), 2);
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const rooms = await db.room.findMany({ where: { facilityId: facility.id }, orderBy: { code: 'asc' } });
  // The worker restarts after a failed test and runs beforeAll again: insert the visits once.
  if (await db.encounter.findUnique({ where: { number: `E2E-${reportDay}-0` } })) return;
  // reportDay at 06:30 local (23:30 UTC the day before), 08:15 and 09:40 local; one the same weekday a week earlier.
  const at = (day: string, hhmm: string) => new Date(new Date(`${day}T${hhmm}:00+07:00`).getTime());
  const visits = [
    { day: reportDay, time: '06:30', room: 0, method: 'VNEID', payer: 'BHYT', verification: 'VERIFIED' },
    { day: reportDay, time: '08:15', room: 0, method: 'CCCD_QR', payer: 'BHYT', verification: 'UNVERIFIED' },
    { day: reportDay, time: '09:40', room: 1, method: 'CCCD_QR', payer: 'SELF_PAY', verification: null },
    { day: addDays(reportDay, -7), time: '07:00', room: 1, method: 'TYPED_ID', payer: 'SELF_PAY', verification: null },
  ] as const;
  for (const [i, v] of visits.entries()) {
    const p = await patient(`Người Thống Kê ${'abcd'[i]}`, '1980-01-01', []);
    await db.encounter.create({
      data: {
        number: `E2E-${v.day}-${i}`,
        facilityId: facility.id,
        patientId: p.id,
        roomId: rooms[v.room]!.id,
        localDate: new Date(`${v.day}T00:00:00Z`),
        queueNumber: 900 + i,
        identificationMethod: v.method,
        trustLevel: 'CARD_VERIFIED',
        payer: v.payer,
        bhytVerification: v.verification,
        checkedInAt: at(v.day, v.time),
      },
    });
  }
});
test.afterAll(() => db?.$disconnect());

test('support picks a purpose, then finds a patient by accented name, unaccented name and ID; masked; audited', async ({
  page,
}) => {
  const p = await patient('Nguyễn Thị Ánh Tuyết', '1992-08-15', [{ system: 'PERSONAL_ID', value: '079192004321' }]);
  await signIn(page, 'hotro');
  await expect(page).toHaveURL(/\/tra-cuu$/);
  const box = page.getByLabel('Số định danh, CCCD, thẻ BHYT, mã người bệnh hoặc họ tên');
  await expect(box).toBeDisabled();
  await page.getByLabel('Mục đích tra cứu').selectOption({ label: 'Đối soát BHYT' });
  const results = page.getByRole('table', { name: 'Tra cứu người bệnh' });
  for (const q of ['Nguyễn Thị Ánh Tuyết', 'anh tuyet nguyen', '079192004321', '079 192 004 321']) {
    await box.fill(q);
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect(results.getByRole('row').nth(1)).toContainText('Nguyễn Thị Ánh Tuyết');
    await expect(results).toContainText('********4321');
    await expect(results).not.toContainText('079192004321');
  }
  await page.screenshot({ path: `${shots}/tra-cuu.png`, fullPage: true });
  // Never seen at this facility: the row says so, and the record opens only with a reason (break-glass, audited).
  await expect(results.getByRole('row').nth(1)).toContainText('Cơ sở khác');
  await results.getByRole('link', { name: 'Xem hồ sơ' }).first().click();
  const glass = page.getByRole('form', { name: 'Mở hồ sơ ngoài cơ sở' });
  await expect(glass).toContainText('Người bệnh chưa khám tại cơ sở của bạn');
  await expect(page.getByRole('heading', { name: 'Nguyễn Thị Ánh Tuyết' })).toHaveCount(0);
  await glass.getByLabel('Lý do mở hồ sơ').fill('Người bệnh nhờ kiểm tra thẻ BHYT tại quầy');
  await glass.getByRole('button', { name: 'Mở hồ sơ ngoài cơ sở' }).click();
  await expect(page.getByRole('heading', { name: 'Nguyễn Thị Ánh Tuyết' })).toBeVisible();
  const log = page.getByRole('region', { name: 'Nhật ký truy cập' });
  await expect(log).toContainText('Người bệnh nhờ kiểm tra thẻ BHYT tại quầy');
  await expect(log).toContainText('Xem hồ sơ'); // the catalogue's words, not PATIENT_VIEWED (issue 11, item 7)
  await expect(log).toContainText('Đối soát BHYT');
  expect(await page.locator('main').innerText()).not.toMatch(/\b[A-Z]{2,}_[A-Z_]{2,}\b/);
  const searches = await db.auditEvent.count({
    where: { action: 'PATIENT_SEARCH', purpose: 'BHYT_RECONCILIATION', actorName: 'hotro' },
  });
  expect(searches).toBeGreaterThanOrEqual(4);

  // Opening a record without a purpose asks for one and reads nothing.
  const before = await db.auditEvent.count({ where: { patientId: p.id } });
  await page.goto(`/tra-cuu/${p.id}`);
  await expect(page.getByRole('heading', { name: 'Mục đích tra cứu' })).toBeVisible();
  await expect(page.getByText('Nguyễn Thị Ánh Tuyết')).toHaveCount(0);
  expect(await db.auditEvent.count({ where: { patientId: p.id } })).toBe(before);

  // The API answers the same, and insists on a purpose for a signed-in user.
  expect((await page.request.get('/api/v1/patients?q=anh%20tuyet')).status()).toBe(400);
  const api = await (await page.request.get('/api/v1/patients?q=079192004321&purpose=SUPPORT_PATIENT')).json();
  expect(api.rows.map((r: { id: string }) => r.id)).toEqual([p.id]);
});

test('support merges a duplicate, finds it by its old number, then unmerges it', async ({ page }) => {
  const survivor = await visitHere(
    await patient('Trần Văn Gộp', '1970-02-02', [{ system: 'PERSONAL_ID', value: '058070001111' }]),
  );
  const dup = await patient('Tran Van Gop', '1970-02-02', [{ system: 'HOSPITAL_CODE', value: 'BN770001' }]);
  await signIn(page, 'hotro');
  await page.goto(`/tra-cuu/${survivor.id}?purpose=FIX_RECORD`);
  await page.getByLabel('Tìm hồ sơ trùng').fill('BN770001');
  await page.getByRole('button', { name: 'Tìm hồ sơ trùng' }).click();
  const mergeForm = page.getByRole('form', { name: 'Gộp vào hồ sơ này' });
  await mergeForm.getByLabel('Lý do').fill('Trùng hồ sơ, cùng người');
  await mergeForm.getByRole('button', { name: 'Gộp vào hồ sơ này' }).click();
  // A confirmation step first (issue 11, item 8): it says what will happen; Esc cancels, nothing merged.
  const confirm = page.getByRole('alertdialog', { name: 'Xác nhận gộp hồ sơ' });
  await expect(confirm).toContainText('Hồ sơ "Tran Van Gop" sẽ được gộp vào hồ sơ "Trần Văn Gộp"');
  await expect(confirm.getByRole('button', { name: 'Xác nhận gộp' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  expect((await db.patient.findUniqueOrThrow({ where: { id: dup.id } })).mergedIntoId).toBeNull();
  await mergeForm.getByRole('button', { name: 'Gộp vào hồ sơ này' }).click();
  await confirm.getByRole('button', { name: 'Xác nhận gộp' }).click();
  const ids = page.getByRole('region', { name: 'Giấy tờ tùy thân' });
  await expect(ids).toContainText('BN770001');
  await expect(ids.getByRole('row').filter({ hasText: 'BN770001' })).toContainText('Mã người bệnh'); // one name (not Mã BN / Mã bệnh nhân)
  expect((await db.patient.findUniqueOrThrow({ where: { id: dup.id } })).mergedIntoId).toBe(survivor.id);
  await page.screenshot({ path: `${shots}/gop-ho-so.png`, fullPage: true });

  const found = await (await page.request.get('/api/v1/patients?q=BN770001&purpose=FIX_RECORD')).json();
  expect(found.rows.map((r: { id: string }) => r.id)).toEqual([survivor.id]);

  const unmerge = page.getByRole('form', { name: 'Tách hồ sơ' });
  await unmerge.getByLabel('Lý do').fill('Gộp nhầm người');
  await unmerge.getByRole('button', { name: 'Tách hồ sơ' }).click();
  await expect(ids).not.toContainText('BN770001');
  expect((await db.patient.findUniqueOrThrow({ where: { id: dup.id } })).mergedIntoId).toBeNull();
  const back = await (await page.request.get('/api/v1/patients?q=BN770001&purpose=FIX_RECORD')).json();
  expect(back.rows.map((r: { id: string }) => r.id)).toEqual([dup.id]);
});

test('a merge that leaves the survivor two visits on one day says so and needs a second confirmation', async ({
  page,
}) => {
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const rooms = await db.room.findMany({
    where: { facilityId: facility.id, code: { in: ['P01', 'P02'] } },
    orderBy: { code: 'asc' },
  });
  const code = `BN${Date.now() % 1e6}`;
  const day = addDays(reportDay, -30); // outside the weeks the managers' test counts
  const survivor = await patient('Đỗ Thị Hai Lượt', '1961-01-01', []);
  const dup = await patient('Do Thi Hai Luot', '1961-01-01', [{ system: 'HOSPITAL_CODE', value: code }]);
  for (const [i, p] of [survivor, dup].entries()) {
    await db.encounter.create({
      data: {
        number: `E2E-SD-${code}-${i}`,
        facilityId: facility.id,
        patientId: p.id,
        roomId: rooms[i]!.id,
        localDate: new Date(`${day}T00:00:00Z`),
        queueNumber: 950 + i,
        identificationMethod: 'TYPED_ID',
        trustLevel: 'TYPED',
        payer: 'SELF_PAY',
        checkedInAt: new Date(`${day}T08:0${i}:00+07:00`),
      },
    });
  }
  await signIn(page, 'hotro');
  await page.goto(`/tra-cuu/${survivor.id}?purpose=FIX_RECORD`);
  await page.getByLabel('Tìm hồ sơ trùng').fill(code);
  await page.getByRole('button', { name: 'Tìm hồ sơ trùng' }).click();
  const mergeForm = page.getByRole('form', { name: 'Gộp vào hồ sơ này' });
  await mergeForm.getByLabel('Lý do').fill('Trùng hồ sơ');
  await mergeForm.getByRole('button', { name: 'Gộp vào hồ sơ này' }).click();
  await page
    .getByRole('alertdialog', { name: 'Xác nhận gộp hồ sơ' })
    .getByRole('button', { name: 'Xác nhận gộp' })
    .click();
  const warning = page.getByRole('alertdialog', {
    name: 'Sau khi gộp, người bệnh có hai lượt khám trong cùng một ngày',
  });
  await expect(warning).toContainText(`${isoToTyped(day)}: Phòng khám Nội 1, Phòng khám Nội 2`);
  await expect(warning.getByRole('button', { name: 'Vẫn gộp' })).toBeFocused();
  await page.screenshot({ path: `${shots}/gop-ho-so-hai-luot.png`, fullPage: true });
  expect((await db.patient.findUniqueOrThrow({ where: { id: dup.id } })).mergedIntoId).toBeNull(); // not yet
  await warning.getByRole('button', { name: 'Vẫn gộp' }).click();
  await expect(page.getByRole('region', { name: 'Lượt khám' }).getByRole('row')).toHaveCount(2);
  expect((await db.patient.findUniqueOrThrow({ where: { id: dup.id } })).mergedIntoId).toBe(survivor.id);
});

test('the correction form changes sex and address (and only what changed), audited with the reason', async ({
  page,
}) => {
  const p = await visitHere(await patient('Lò Văn Sửa', '1977-07-07', [])); // seen here: the facility's record to correct
  await signIn(page, 'hotro');
  await page.goto(`/tra-cuu/${p.id}?purpose=FIX_RECORD`);
  const form = page.getByRole('form', { name: 'Sửa thông tin' });
  await expect(form.getByLabel('Giới tính')).toHaveValue('');
  await form.getByLabel('Giới tính').selectOption({ label: 'Nữ' });
  await form.getByLabel('Địa chỉ').fill('Thôn Phước Thiện, Xã Phước Hải, Tỉnh Khánh Hòa');
  await form.getByLabel('Lý do').fill('Nhập sai khi tạo hồ sơ');
  await form.getByRole('button', { name: 'Lưu' }).click();
  await expect(
    page.getByText('Thôn Phước Thiện, Xã Phước Hải, Tỉnh Khánh Hòa', { exact: false }).first(),
  ).toBeVisible();
  const saved = await db.patient.findUniqueOrThrow({ where: { id: p.id } });
  expect(saved).toMatchObject({
    sex: 'F',
    address: 'Thôn Phước Thiện, Xã Phước Hải, Tỉnh Khánh Hòa',
    fullName: 'Lò Văn Sửa',
    birthDate: '1977-07-07',
  });
  const row = await db.auditEvent.findFirstOrThrow({ where: { patientId: p.id, action: 'PATIENT_CORRECTED' } });
  expect(row.details).toMatchObject({ fields: 'sex,address', reason: 'Nhập sai khi tạo hồ sơ' });
  // Saving again without a change says so, sends nothing.
  await form.getByLabel('Lý do').fill('Lưu lại');
  await form.getByRole('button', { name: 'Lưu' }).click();
  await expect(form.getByRole('alert')).toHaveText('Chưa có thông tin nào thay đổi.');
  expect(await db.auditEvent.count({ where: { patientId: p.id, action: 'PATIENT_CORRECTED' } })).toBe(1);
});

test('the help desk records a citizen once', async ({ page }) => {
  await signIn(page, 'hotro');
  const desk = page.getByRole('region', { name: /Sổ hỗ trợ VNeID/ });
  const before = Number(await desk.getByRole('status', { name: 'Hôm nay' }).textContent());
  await desk.getByLabel('Kết quả').selectOption({ label: 'Chưa có tài khoản mức 2' });
  await desk.getByRole('button', { name: 'Ghi nhận' }).click();
  await expect(desk.getByRole('status').filter({ hasText: 'Đã ghi nhận.' })).toBeVisible();
  await expect(desk.getByRole('status', { name: 'Hôm nay' })).toHaveText(String(before + 1));
});

test('managers see the day, export it and a range, and get the weekly report — the files hold the same numbers', async ({
  page,
}) => {
  await signIn(page, 'quanly');
  await page.goto(`/bao-cao?date=${reportDay}`);
  await expect(page.getByLabel('Tổng lượt tiếp nhận', { exact: true })).toHaveText('3');
  await expect(page.getByText(/Cùng thứ tuần trước .*: 1 \(\+2\)/)).toBeVisible();
  await expect(
    page
      .getByRole('figure', { name: 'Theo phương thức định danh' })
      .getByRole('row', { name: /QR thẻ CCCD\/Căn cước/ }),
  ).toContainText('2');
  await expect(page.getByLabel('BHYT tạm (chưa xác minh)')).toHaveText('1');
  await page.screenshot({ path: `${shots}/bao-cao.png`, fullPage: true });

  const api = await (await page.request.get(`/api/v1/intake?date=${reportDay}`)).json();
  expect(api).toMatchObject({
    date: reportDay,
    total: 3,
    byMethod: { CCCD_QR: 2, VNEID: 1 },
    byPayer: { BHYT: 2, SELF_PAY: 1 },
  });
  expect(api.byHour[6]).toBe(1); // 06:30 local, though 23:30 UTC the day before

  const day = await workbookFrom(page, () => page.getByRole('link', { name: 'Xuất Excel ngày này' }).click());
  expect(day.name).toBe(`tiep-nhan-${reportDay}.xlsx`);
  expect(day.wb.getWorksheet('Tổng quan')!.getRow(4).values).toEqual([, 'Tổng lượt tiếp nhận', 3]);
  expect(day.wb.getWorksheet('Theo phương thức')!.getRow(2).values).toEqual([, 'CCCD_QR', 'QR thẻ CCCD/Căn cước', 2]);
  expect(day.wb.getWorksheet('Theo giờ')!.getRow(8).values).toEqual([, '06:00', 1]);

  const rangeForm = page.getByRole('form', { name: 'Xuất Excel khoảng ngày' });
  // dd/MM/yyyy text fields (components/date-input.tsx), whatever the browser's locale
  await rangeForm.getByLabel('Từ ngày').fill(isoToTyped(addDays(reportDay, -7)));
  await rangeForm.getByLabel('Đến ngày').fill(isoToTyped(reportDay));
  const range = await workbookFrom(page, () => rangeForm.getByRole('button', { name: 'Excel' }).click());
  const sheet = range.wb.getWorksheet('Theo ngày')!;
  const totalRow = sheet.getRow(sheet.rowCount);
  expect(totalRow.getCell(1).value).toBe('Cộng');
  expect(totalRow.getCell(2).value).toBe(4);
  expect(sheet.rowCount).toBe(1 + 1 + 8 + 1); // title, header, 8 days, total

  // Any past week, chosen by one of its days (issue 11, item 8): the week before, then last week (the default).
  const weekly = page.getByRole('region', { name: 'Báo cáo tuần gửi Sở Y tế' });
  const weekForm = weekly.getByRole('form', { name: 'Lập báo cáo tuần' });
  await expect(weekForm.getByLabel('Tuần có ngày')).toHaveValue(isoToTyped(previousWeekStart(localDay())));
  await weekForm.getByLabel('Tuần có ngày').fill(isoToTyped(addDays(reportDay, -7)));
  await weekForm.getByRole('button', { name: 'Lập báo cáo tuần' }).click();
  const weekRow = (monday: string) =>
    weekly.getByRole('row').filter({ hasText: `${isoToTyped(monday)} – ${isoToTyped(addDays(monday, 6))}` });
  await expect(weekRow(addDays(previousWeekStart(localDay()), -7))).toContainText('quanly');
  await expect(
    weekRow(addDays(previousWeekStart(localDay()), -7))
      .getByRole('cell')
      .nth(1),
  ).toHaveText('1');
  await weekForm.getByLabel('Tuần có ngày').fill(isoToTyped(localDay())); // this week has not ended
  await weekForm.getByRole('button', { name: 'Lập báo cáo tuần' }).click();
  await expect(weekForm.getByRole('alert')).toContainText('Tuần này chưa kết thúc');
  await weekForm.getByLabel('Tuần có ngày').fill(isoToTyped(reportDay));
  await weekForm.getByRole('button', { name: 'Lập báo cáo tuần' }).click();
  await expect(weekRow(previousWeekStart(localDay()))).toContainText('quanly');
  await expect(weekly.getByRole('row').nth(1)).toContainText('quanly');
  const report = await workbookFrom(page, () => weekly.getByRole('link', { name: 'Tải Excel' }).first().click());
  expect(report.wb.getWorksheet('Báo cáo tuần')!.getRow(4).values).toEqual([, 'Tổng lượt tiếp nhận', 3]);
  const methods = report.wb.getWorksheet('Phương thức định danh')!;
  expect(methods.getRow(2).values).toEqual([, 'CCCD_QR', 'QR thẻ CCCD/Căn cước', 2, 2 / 3]);
  expect(report.wb.getWorksheet('Hỗ trợ VNeID')).toBeDefined();
});
