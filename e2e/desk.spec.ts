import { expect, test, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { bhytNewPayload, bhytOldPayload, cccdPayload } from '../lib/identity/test-fixtures';
import { signIn } from './fixtures';

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const personalId = (centurySex: string, yy: string) => `058${centurySex}${yy}${digits(6)}`;

/** Types like a keyboard-wedge scanner (≈5 ms per key) and ends with the scanner's Enter. */
async function scan(page: Page, payload: string) {
  await page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT').focus();
  await page.keyboard.type(payload, { delay: 5 });
  await page.keyboard.press('Enter');
}

async function encountersOf(page: Page, roomCode: string) {
  const response = await page.request.get(`/api/v1/encounters?roomCode=${roomCode}`);
  return (await response.json()).encounters as { id: string; queueNumber: number; patient: { fullName: string } }[];
}

test.describe('the reception desk', () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, 'letan');
    await expect(page).toHaveURL(/\/tiep-don$/);
  });

  test('a new patient from a Căn cước QR: pre-filled form, one keystroke, queue number, slip', async ({ page }) => {
    const id = personalId('1', '88');
    await page.getByLabel('Phòng khám').selectOption('P04');
    await scan(page, cccdPayload({ id, name: 'Đàng Thị Ngọc Ánh', dob: '14021988', sex: 'Nữ', address: '25 Yên Ninh, Phường Phủ Hà, Tỉnh Khánh Hòa', issued: '10092024', layout: '2024' }));
    const form = page.getByRole('form', { name: 'Người bệnh mới' });
    await expect(form).toBeVisible();
    await expect(form.getByLabel('Họ và tên')).toHaveValue('Đàng Thị Ngọc Ánh');
    await expect(form.getByLabel('Ngày sinh (năm-tháng-ngày)')).toHaveValue('1988-02-14');
    await expect(form.getByLabel('Giới tính')).toHaveValue('F');
    await page.screenshot({ path: 'test-results/screens/desk-new-patient.png', fullPage: true });
    await page.keyboard.press('Enter'); // the submit button has focus
    await expect(page.getByTestId('checkin-message')).toHaveText(/^Số thứ tự \d+ — Phòng khám Nhi$/);
    const queue = Number(await page.getByTestId('queue-number').textContent());
    await expect(page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT')).toBeFocused();
    await expect(page.getByRole('region', { name: 'Đã tiếp đón hôm nay' })).toContainText('Đàng Thị Ngọc Ánh');
    await expect(page.getByRole('region', { name: 'Đã tiếp đón hôm nay' })).toContainText(`********${id.slice(8)}`);
    await page.screenshot({ path: 'test-results/screens/desk-checked-in.png', fullPage: true });

    const encounters = await encountersOf(page, 'P04');
    const mine = encounters.find((e) => e.patient.fullName === 'Đàng Thị Ngọc Ánh')!;
    expect(mine.queueNumber).toBe(queue);
    await page.goto(`/tiep-don/phieu/${mine.id}`);
    await expect(page.getByText(String(queue), { exact: true })).toBeVisible();
    await expect(page.getByText(`Số định danh: ********${id.slice(8)}`)).toBeVisible();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.screenshot({ path: 'test-results/screens/exam-slip.png', fullPage: true });
  });

  test('a returning patient from a BHYT QR, old and new card layouts', async ({ page }) => {
    const bhxh = `58${digits(8)}`;
    const oldCard = bhytOldPayload({ code: `HT358${bhxh}`, name: 'Trượng Văn Lộc', dob: '05/06/1949', sex: '1', address: 'Thôn Hữu Đức, Xã Phước Hữu, Tỉnh Khánh Hòa', facility: '58 - 003', from: '01/01/2026', to: '31/12/2026', issued: '20/12/2025', mgmt: `5801${bhxh}`, five: '01/01/2016' });
    const newCard = bhytNewPayload({ code: bhxh, name: 'Trượng Văn Lộc', dob: '05/06/1949', sex: '1', facility: '58 – 003', from: '01/01/2026', to: '-', issued: '02/01/2026', mgmt: `5801${bhxh}`, five: ' 01/01/2016', level: '3', issuePlace: 'Tỉnh Khánh Hòa' });
    await page.getByLabel('Phòng khám').selectOption('P01');
    await scan(page, oldCard);
    await page.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ }).click();
    await expect(page.getByTestId('checkin-message')).toHaveText(/^Số thứ tự \d+ — Phòng khám Nội 1$/);
    // Later the same day he comes back for another room, with the new card layout: found, not re-created.
    await page.getByLabel('Phòng khám').selectOption('P02');
    await scan(page, newCard);
    await expect(page.getByTestId('checkin-message')).toHaveText(/^Số thứ tự \d+ — Phòng khám Nội 2$/);
    await expect(page.getByRole('region', { name: 'Kết quả tiếp đón' })).toContainText('BHYT chưa xác minh');
    await expect(page.getByRole('region', { name: 'Kết quả tiếp đón' })).toContainText('Ưu tiên: Người từ 75 tuổi');
    await page.getByLabel('Phòng khám').selectOption('P03');
    await scan(page, oldCard);
    await expect(page.getByTestId('checkin-message')).toHaveText(/^Số thứ tự \d+ — Phòng khám Ngoại$/);
  });

  test('a scanner double beep submits once; a typed personal ID finds the same encounter', async ({ page }) => {
    const id = personalId('0', '70');
    const payload = cccdPayload({ id, name: 'Lý Văn Bảy', dob: '07071970', sex: 'Nam', address: 'Phường Đô Vinh, Tỉnh Khánh Hòa', issued: '01022022' });
    await page.getByLabel('Phòng khám').selectOption('P05');
    await scan(page, payload);
    await page.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ }).click();
    await expect(page.getByTestId('checkin-message')).toHaveText(/^Số thứ tự/);
    await page.waitForTimeout(2_100); // past the 2 s window of the first scan
    const posts: string[] = [];
    page.on('request', (r) => { if (r.url().endsWith('/api/v1/checkins')) posts.push(r.method()); });
    await scan(page, payload);
    await scan(page, payload); // the scanner beeps twice
    await expect(page.getByTestId('checkin-message')).toHaveText(/^Đã tiếp đón lúc \d\d:\d\d — số \d+$/);
    await page.waitForTimeout(500);
    expect(posts).toEqual(['POST']);
    const box = page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT');
    await box.fill(`${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`);
    await box.press('Enter');
    await expect(page.getByTestId('checkin-message')).toHaveText(/^Đã tiếp đón lúc/);
    const mine = (await encountersOf(page, 'P05')).filter((e) => e.patient.fullName === 'Lý Văn Bảy');
    expect(mine).toHaveLength(1);
  });

  test('a returning patient whose card differs from the record: differences highlighted, updated from the card', async ({ page }) => {
    const id = personalId('0', '61');
    // An old record typed without diacritics and an old address.
    const seeded = await page.request.post('/api/v1/checkins', { data: { identifier: { system: 'PERSONAL_ID', value: id }, roomCode: 'P08', newPatient: { fullName: 'Le Van Tam', dateOfBirth: '1961-08-08', sex: 'M', address: 'Khu phố 3, Phường Phủ Hà, Thành phố Phan Rang-Tháp Chàm, Tỉnh Ninh Thuận' } } });
    expect(seeded.status()).toBe(201);
    await page.getByLabel('Phòng khám').selectOption('P01');
    await scan(page, cccdPayload({ id, name: 'Lê Văn Tám', dob: '08081961', sex: 'Nam', address: 'Khu phố 3, Phường Phủ Hà, Tỉnh Khánh Hòa', issued: '15082025', layout: '2024' }));
    const result = page.getByRole('region', { name: 'Kết quả tiếp đón' });
    await expect(page.getByTestId('checkin-message')).toHaveText(/^Số thứ tự/);
    await expect(result.locator('tr[data-differs]')).toHaveCount(2); // name and address
    await page.screenshot({ path: 'test-results/screens/desk-card-differs.png' });
    await result.locator('tr[data-differs]').filter({ hasText: 'Họ tên' }).getByRole('button', { name: 'Cập nhật từ thẻ' }).click();
    await expect(result.locator('tr[data-differs]')).toHaveCount(1);
    await result.locator('tr[data-differs]').getByRole('button', { name: 'Cập nhật từ thẻ' }).click();
    await expect(result.locator('tr[data-differs]')).toHaveCount(0);
    await expect(result.getByRole('row', { name: /Họ tên/ })).toContainText('Lê Văn TámLê Văn Tám');
  });

  test('two desks checking the same patient in at once make one encounter', async ({ browser }) => {
    const id = personalId('0', '66');
    const body = { raw: cccdPayload({ id, name: 'Chế Thị Hai Bàn', dob: '02021966', sex: 'Nữ', address: 'Xã Ninh Phước, Tỉnh Khánh Hòa', issued: '01012023' }), roomCode: 'P06', newPatient: { fullName: 'Chế Thị Hai Bàn', dateOfBirth: '1966-02-02', sex: 'F' } };
    const desks = await Promise.all([browser.newContext(), browser.newContext()]);
    const pages = await Promise.all(desks.map((c) => c.newPage()));
    await Promise.all(pages.map((p) => signIn(p, 'letan')));
    const responses = await Promise.all(pages.map((p) => p.request.post('/api/v1/checkins', { data: body })));
    expect(responses.map((r) => r.status()).sort()).toEqual([200, 201]);
    const [a, b] = await Promise.all(responses.map((r) => r.json()));
    expect(a.encounter.id).toBe(b.encounter.id);
    expect((await encountersOf(pages[0]!, 'P06')).filter((e) => e.patient.fullName === 'Chế Thị Hai Bàn')).toHaveLength(1);
    await Promise.all(desks.map((c) => c.close()));
  });

  test('an unreadable scan: a clear message, nothing saved, the box ready again', async ({ page }) => {
    const before = (await encountersOf(page, 'P07')).length;
    await page.getByLabel('Phòng khám').selectOption('P07');
    await scan(page, 'https://example.invalid/qr?session=abc123');
    await expect(page.getByTestId('desk-error')).toContainText(/[À-ỹ]/);
    await expect(page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT')).toBeFocused();
    await page.screenshot({ path: 'test-results/screens/desk-bad-scan.png' });
    await scan(page, '0580123'); // a number of no known length
    await expect(page.getByTestId('desk-error')).toBeVisible();
    expect((await encountersOf(page, 'P07')).length).toBe(before);
  });
});
