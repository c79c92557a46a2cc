import { expect, test, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { createDb, type Db } from '../lib/db/client';
import { createUser } from '../lib/auth/users';
import { DEMO_FACILITY } from '../lib/db/demo';
import { cccdPayload } from '../lib/identity/test-fixtures';
import { e2eDatabaseUrl, SAME_ORIGIN, signIn } from './fixtures';
import { DeskPage } from './pages/desk';

/**
 * Issue 11, as a receptionist meets it on day one (the slip itself: print-slip.spec.ts). Each test reproduces one
 * numbered problem of the issue. People typing use fill() or slow keys; a keyboard-wedge scanner types at 5 ms a key.
 */
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
/** A personal ID: province 058, century-sex digit, two-digit birth year, random tail. */
const newId = (centurySex = '0', yy = '80') => `058${centurySex}${yy}${digits(6)}`;
/** What a wedge scanner types for a Căn cước QR with no diacritics (they cannot type them) — spaces included. */
const asciiCard = (id: string) =>
  cccdPayload({
    id,
    name: 'Le Van Quet',
    dob: '01011980',
    sex: 'Nam',
    address: 'Thon 1 Xa Phuoc Hau',
    issued: '01012024',
  });

let db: Db;
test.beforeAll(async () => {
  db = createDb(await e2eDatabaseUrl(), 2);
});
test.afterAll(async () => {
  await db.$disconnect();
});

async function wedge(page: Page, payload: string) {
  await page.keyboard.type(payload, { delay: 5 });
  await page.keyboard.press('Enter');
}
/** A patient already checked in today in `room` (through the API, as another desk would). */
async function seen(page: Page, room: string, name = 'Lê Văn Quét') {
  const id = newId();
  const r = await page.request.post('/api/v1/checkins', {
    headers: SAME_ORIGIN,
    data: {
      identifier: { system: 'PERSONAL_ID', value: id },
      roomCode: room,
      newPatient: { fullName: name, dateOfBirth: '1980-01-01', sex: 'M' },
    },
  });
  expect(r.status()).toBe(201);
  return id;
}
function countCheckins(page: Page) {
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/checkins')) posts.push(r.postData() ?? '');
  });
  return posts;
}

let desk: DeskPage;
test.beforeEach(async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, 'letan');
  await expect(page).toHaveURL(/\/tiep-don$/);
  desk = new DeskPage(page);
});

test('2 · a scanner burst is checked in exactly once whatever has focus: drop-downs, checkbox, buttons, links', async ({
  page,
}) => {
  const posts = countCheckins(page);
  await desk.chooseRoom('P07');
  const controls = [
    page.getByLabel('Phòng khám'),
    page.getByLabel('Loại khám'),
    page.getByLabel('Đối tượng'),
    page.getByLabel('Ưu tiên'),
    page.getByLabel('Mã QR đưa ra trên ứng dụng VNeID'),
    page.getByRole('button', { name: 'Tiếp đón', exact: true }),
    page.getByRole('link', { name: 'Kiểm tra máy quét' }),
    page.getByRole('button', { name: /In phiếu/ }),
  ];
  for (const [i, control] of controls.entries()) {
    const id = await seen(page, 'P07');
    await control.focus();
    const before = posts.length;
    await wedge(page, asciiCard(id));
    await expect(page.getByTestId('sent-identifier')).toHaveText(`${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`);
    await expect(desk.message).toHaveText(/^Đã tiếp đón lúc \d\d:\d\d — số \d+$/);
    await page.waitForTimeout(600); // past the quiet gap: no late second submit
    expect(posts.length - before, `control ${i}`).toBe(1);
    expect(JSON.parse(posts.at(-1)!)).toMatchObject({ raw: asciiCard(id), roomCode: 'P07', visitType: 'OUTPATIENT' });
  }
  // Nothing the scan typed changed a control: no option picked, no box ticked, no page left.
  await expect(page.getByLabel('Phòng khám')).toHaveValue('P07');
  await expect(page.getByLabel('Loại khám')).toHaveValue('OUTPATIENT');
  await expect(page.getByLabel('Đối tượng')).toHaveValue('');
  await expect(page.getByLabel('Ưu tiên')).toHaveValue('');
  await expect(page.getByLabel('Mã QR đưa ra trên ứng dụng VNeID')).not.toBeChecked();
  await expect(page).toHaveURL(/\/tiep-don$/);
  // A person's keys still work there: Space ticks the box, typing on a drop-down picks an option.
  await page.getByLabel('Mã QR đưa ra trên ứng dụng VNeID').focus();
  await page.keyboard.press('Space');
  await expect(page.getByLabel('Mã QR đưa ra trên ứng dụng VNeID')).toBeChecked();
  await page.getByLabel('Loại khám').focus();
  await page.keyboard.press('c');
  await expect(page.getByLabel('Loại khám')).toHaveValue('EMERGENCY');
});

test('2 · a scan while the new-patient form is open is held and offered, never typed into the form', async ({
  page,
}) => {
  const posts = countCheckins(page);
  await desk.chooseRoom('P08');
  await desk.type(newId());
  const form = desk.form.root;
  await form.getByLabel('Họ và tên').fill('Hà Thị Giữ');
  await form.getByLabel('Ngày sinh').fill('02/02/1980');
  const waiting = [
    await seen(page, 'P08', 'Người Chờ Một'),
    await seen(page, 'P08', 'Người Chờ Hai'),
    await seen(page, 'P08', 'Người Chờ Ba'),
  ];
  const before = posts.length;
  const held = page.getByTestId('held-scan');
  // A burst with the cursor in the name field, in the date field, and with the sex drop-down focused.
  await form.getByLabel('Họ và tên').focus();
  await wedge(page, asciiCard(waiting[0]!));
  await expect(held).toContainText('Đã nhận một mã quét mới');
  await form.getByLabel('Ngày sinh').focus();
  await wedge(page, waiting[1]!); // a code that carries the number alone
  await form.getByLabel('Giới tính').focus();
  await wedge(page, waiting[2]!);
  await expect(held).toContainText('Còn 2 mã khác đang chờ.');
  await page.screenshot({ path: 'test-results/screens/desk-held-scan.png' });
  await expect(form.getByLabel('Họ và tên')).toHaveValue('Hà Thị Giữ');
  await expect(form.getByLabel('Ngày sinh')).toHaveValue('02/02/1980');
  await expect(form.getByLabel('Giới tính')).toHaveValue('');
  expect(posts.length).toBe(before); // nothing sent, the form's Enter was not pressed by the scanner
  await held.getByRole('button', { name: 'Bỏ qua mã này' }).click();
  await expect(held).toContainText('Còn 1 mã khác đang chờ.');
  await held.getByRole('button', { name: 'Tiếp đón mã này (bỏ biểu mẫu đang nhập)' }).click();
  await expect(page.getByTestId('sent-identifier')).toHaveText(new RegExp(waiting[1]!.slice(6)));
  expect(posts.length).toBe(before + 1);
  await expect(held).toContainText('Đã nhận một mã quét mới'); // the third one still waits
});

test('3 · a server error, a refused field and a stopped server leave the form filled; the error sits by its field', async ({
  page,
}) => {
  await desk.chooseRoom('P06');
  const id = newId('1', '75');
  await desk.type(id);
  const form = desk.form.root;
  const name = form.getByLabel('Họ và tên');
  await expect(name).toBeFocused(); // the first field that needs the receptionist, not the button
  await expect(form.getByTestId('form-identifier')).toHaveText(`${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`);
  await name.fill('Bùi Thị Lưu '.repeat(10)); // 120 characters: the server's limit is 100
  await form.getByLabel('Ngày sinh').fill('31/02/1975');
  await form.getByLabel('Giới tính').selectOption('F');
  await form.getByLabel('Địa chỉ').fill('12 Thống Nhất, Phan Rang');
  await form.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ }).click();
  await expect(form.getByText('Ngày không có thật.')).toBeVisible(); // not a format complaint
  await expect(form.getByLabel('Ngày sinh')).toBeFocused();
  await form.getByLabel('Ngày sinh').fill('28/02/1975');
  await form.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ }).click();
  // The server refuses the name: said next to it, focus there, nothing else lost.
  await expect(form.getByText('Họ tên quá dài.')).toBeVisible();
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Địa chỉ')).toHaveValue('12 Thống Nhất, Phan Rang');
  await page.screenshot({ path: 'test-results/screens/desk-form-field-error.png' });
  await name.fill('Bùi Thị Lưu');

  // The server is gone (connection refused), then answers 500: the form stays as typed, Enter sends again.
  await page.route('**/api/v1/checkins', (route) => route.abort('connectionrefused'));
  await form.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ }).click();
  await expect(form.getByRole('alert')).toContainText('Mất kết nối tới máy chủ');
  await expect(form.getByRole('button', { name: /Gửi lại/ })).toBeFocused();
  await page.screenshot({ path: 'test-results/screens/desk-form-offline.png' });
  await page.unroute('**/api/v1/checkins');
  await page.route('**/api/v1/checkins', (route) =>
    route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: JSON.stringify({
        error: { code: 'INTERNAL', message: 'Lỗi hệ thống. Vui lòng thử lại hoặc báo bộ phận CNTT.' },
      }),
    }),
  );
  await page.keyboard.press('Enter');
  await expect(form.getByRole('alert')).toContainText('Lỗi hệ thống');
  for (const [label, value] of [
    ['Họ và tên', 'Bùi Thị Lưu'],
    ['Ngày sinh', '28/02/1975'],
    ['Giới tính', 'F'],
    ['Địa chỉ', '12 Thống Nhất, Phan Rang'],
  ]) {
    await expect(form.getByLabel(label!)).toHaveValue(value!);
  }
  await page.unroute('**/api/v1/checkins');
  await page.keyboard.press('Enter');
  await expect(desk.message).toHaveText(/^Số thứ tự \d+ — Phòng khám Tai Mũi Họng$/);
  await expect(page.getByTestId('sent-identifier')).toHaveText(`${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`);
});

test('4 · a typed personal ID is checked against the typed birth year, century and sex; the receptionist confirms', async ({
  page,
}) => {
  await desk.chooseRoom('P02');
  const id = newId('0', '90'); // a man born in 1990
  await desk.type(id);
  const form = desk.form.root;
  await form.getByLabel('Họ và tên').fill('Tạ Văn Kiểm');
  await form.getByLabel('Ngày sinh').fill('01/01/1890');
  await form.getByLabel('Giới tính').selectOption('F');
  await expect(
    form.getByText('Năm sinh không khớp với số định danh (số này cho năm sinh 1990).', { exact: false }),
  ).toBeVisible();
  await expect(form.getByText('Tuổi trên 125', { exact: false })).toBeVisible();
  await expect(form.getByText('Giới tính không khớp với số định danh (số này là của nam).')).toBeVisible();
  await form.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ }).click();
  await expect(form.getByRole('alert')).toHaveText(
    'Thông tin chưa khớp với số định danh: sửa lại, hoặc đánh dấu đã đối chiếu giấy tờ.',
  );
  await expect(form.getByLabel('Ngày sinh')).toBeFocused();
  await page.screenshot({ path: 'test-results/screens/desk-typed-id-checks.png' });
  expect(await db.patientIdentifier.count({ where: { value: id } })).toBe(0);
  await form.getByLabel('Ngày sinh').fill('01/01/1990');
  await expect(form.getByText('Năm sinh không khớp', { exact: false })).toHaveCount(0);
  await form.getByLabel('Giới tính').selectOption('F');
  await form.getByLabel('Đã đối chiếu với giấy tờ: thông tin đúng như đã nhập').check();
  await form.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ }).click();
  await expect(desk.message).toHaveText(/^Số thứ tự \d+/);
  // The server applies the same rules: the result lists what was confirmed.
  await expect(desk.result).toContainText('Giới tính không khớp với số định danh');
});

test('5 · the assigned room is the default; a new receptionist chooses one; a second room the same day asks first', async ({
  page,
  browser,
}) => {
  await expect(page.getByLabel('Phòng khám')).toHaveValue('P01'); // the demo receptionist's assigned room, not "CC"
  // A receptionist nobody assigned yet, who has not used the desk.
  const username = `letan.moi${digits(5)}`;
  const fullName = `Lễ Tân Mới ${digits(3)}`;
  await createUser(db, {
    username,
    fullName,
    role: 'RECEPTIONIST',
    facilityCode: DEMO_FACILITY.code,
    password: 'E2e@Passw0rd',
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const newcomer = await context.newPage();
  await signIn(newcomer, username, 'E2e@Passw0rd');
  await expect(newcomer.getByLabel('Phòng khám')).toHaveValue('');
  await expect(newcomer.getByText('Chọn phòng khám trước khi tiếp đón. Mã vừa quét được giữ lại.')).toBeVisible();
  const posts = countCheckins(newcomer);
  const id = newId();
  await new DeskPage(newcomer).type(id);
  await expect(newcomer.getByTestId('held-scan')).toBeVisible(); // kept, not sent to a guessed room
  expect(posts).toEqual([]);
  await newcomer.getByLabel('Phòng khám').selectOption('P04');
  await newcomer.getByTestId('held-scan').getByRole('button', { name: 'Tiếp đón mã này' }).click();
  await expect(newcomer.getByRole('form', { name: 'Người bệnh mới' })).toBeVisible();
  expect(JSON.parse(posts[0]!)).toMatchObject({ raw: id, roomCode: 'P04' });

  // The administrator assigns a room on the admin page; it is the newcomer's default from then on.
  const admin = await browser.newContext();
  const adminPage = await admin.newPage();
  await signIn(adminPage, 'quantri');
  await adminPage.goto('/quan-tri');
  await adminPage.getByLabel(`Phòng khám của ${fullName}`).selectOption('P05');
  await expect(adminPage.getByRole('status').filter({ hasText: 'Đã lưu.' })).toBeVisible();
  await admin.close();
  await newcomer.reload();
  await expect(newcomer.getByLabel('Phòng khám')).toHaveValue('P05');
  await context.close();

  // The same patient, the same day, another room: the desk asks; Esc cancels, Enter confirms.
  const patient = await seen(page, 'P01', 'Chu Văn Hai Phòng');
  await desk.chooseRoom('P03');
  await desk.type(patient);
  const question = page.getByRole('alertdialog', { name: 'Người bệnh đã được tiếp đón hôm nay ở phòng khác' });
  await expect(question).toContainText('Chu Văn Hai Phòng');
  await expect(question).toContainText(/Phòng khám Nội 1 — số \d+, lúc \d\d:\d\d/);
  await expect(question.getByRole('button', { name: /Tiếp đón thêm vào Phòng khám Ngoại/ })).toBeFocused();
  await page.screenshot({ path: 'test-results/screens/desk-second-room.png' });
  await page.keyboard.press('Escape');
  await expect(question).toHaveCount(0);
  const visits = () => db.encounter.count({ where: { patient: { identifiers: { some: { value: patient } } } } });
  expect(await visits()).toBe(1);
  await page.waitForTimeout(2_100); // a person retyping takes longer than the scanner's double-beep window
  await desk.type(patient);
  await expect(question.getByRole('button', { name: /Tiếp đón thêm vào Phòng khám Ngoại/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(desk.message).toHaveText(/^Số thứ tự \d+ — Phòng khám Ngoại$/);
  expect(await visits()).toBe(2);
});

test('6/7 · the words and the form: dd/MM/yyyy, the button says what it does, no codes on screen', async ({ page }) => {
  await expect(page.getByRole('button', { name: 'Tiếp đón', exact: true })).toBeVisible(); // not "Tìm": it checks in
  await expect(page.getByText('Đánh dấu khi người bệnh đưa mã QR trên điện thoại', { exact: false })).toBeVisible();
  await expect(
    page.getByLabel('Ưu tiên').locator('option', { hasText: 'Người khuyết tật nặng, đặc biệt nặng' }),
  ).toHaveCount(1);
  await desk.chooseRoom('P05');
  await desk.type(newId('1', '92'));
  const form = desk.form.root;
  await expect(form.getByLabel('Ngày sinh')).toHaveAttribute('placeholder', 'dd/MM/yyyy');
  await form.getByLabel('Họ và tên').fill('Phạm Thị Chữ');
  await form.getByLabel('Ngày sinh').fill('15/08/1992');
  await form.getByLabel('Giới tính').selectOption('F');
  await form.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ }).click();
  await expect(desk.message).toHaveText(/^Số thứ tự/);
  await expect(desk.result.getByRole('row', { name: /Ngày sinh/ })).toContainText('15/08/1992');
  await expect(desk.today).toContainText('Phạm Thị Chữ');
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(/\b[A-Z]{2,}_[A-Z_]{2,}\b/); // CHECKED_IN, TYPED_ID, BHYT_UNAVAILABLE…
  expect(text).not.toMatch(/newPatient\.|purpose:|his\.mllpUrl/);
  await page.screenshot({ path: 'test-results/screens/desk-checked-in-typed.png' });
});
