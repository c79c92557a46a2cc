import { expect, test, type Page } from '@playwright/test';
import { startGatewaySimulator, type GatewaySimulator } from '../lib/insurance/simulator';
import { DEMO_CARDS, DEMO_PEOPLE } from '../lib/insurance/demo-cards';
import { signIn } from './fixtures';

/** Check-in with the BHXH gateway up, then slow: the desk never stalls, and the worklist catches up later. */
const GATEWAY = new URL(process.env.BHXH_GATEWAY_URL!);
let sim: GatewaySimulator;

test.beforeAll(async () => {
  sim = await startGatewaySimulator({
    port: Number(GATEWAY.port),
    account: { username: process.env.BHXH_GATEWAY_USER!, password: process.env.BHXH_GATEWAY_PASSWORD! },
    cards: DEMO_CARDS,
  });
});
test.afterAll(async () => sim?.close());

/** Types the card number; the patient is new, so fill the form (the number alone carries no name). */
async function typeCardOfNewPatient(page: Page, person: (typeof DEMO_PEOPLE)[number]) {
  const box = page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT');
  await box.fill(person.cardCode);
  await box.press('Enter');
  const form = page.getByRole('form', { name: 'Người bệnh mới' });
  await form.getByLabel('Họ và tên').fill(person.fullName);
  await form.getByLabel('Ngày sinh (năm-tháng-ngày)').fill(person.dateOfBirth);
  await form.getByLabel('Giới tính').selectOption(person.sex);
  return form.getByRole('button', { name: /Tạo hồ sơ và tiếp đón/ });
}

test('gateway up: a typed BHYT number is verified at check-in', async ({ page }) => {
  const person = DEMO_PEOPLE[0]!; // result 000
  await signIn(page, 'letan');
  await page.getByLabel('Phòng khám').selectOption('P08');
  await (await typeCardOfNewPatient(page, person)).click();
  const result = page.getByRole('region', { name: 'Kết quả tiếp đón' });
  await expect(result).toContainText('BHYT đã xác minh');
  expect(sim.requests.some((r) => r.path.includes('KQNhanLichSuKCB2024'))).toBe(true);
});

test('gateway slow: the number comes at once, marked "BHYT chưa xác minh", then re-verified from the worklist', async ({ page }) => {
  const person = DEMO_PEOPLE[5]!; // result 000, year-only birth date
  await signIn(page, 'letan');
  sim.setFaults({ delayMs: 15_000 });
  await page.getByLabel('Phòng khám').selectOption('CC');
  const create = await typeCardOfNewPatient(page, person);
  const started = Date.now();
  await create.click();
  const result = page.getByRole('region', { name: 'Kết quả tiếp đón' });
  await expect(result).toContainText('BHYT chưa xác minh');
  expect(Date.now() - started).toBeLessThan(8_000); // the gateway's timeout, not its 15 s
  await page.screenshot({ path: `${process.env.E2E_OUTPUT ?? 'test-results'}/screens/desk-bhyt-provisional.png` });

  sim.setFaults({});
  await page.getByRole('link', { name: 'BHYT chưa xác minh' }).click();
  await expect(page).toHaveURL(/bhyt-cho-xac-minh/);
  await expect(page.getByText(person.fullName)).toBeVisible();
  await page.getByRole('button', { name: 'Xác minh lại tất cả' }).click();
  await expect(page.getByText(/Hợp lệ · Võ Thị Thu Hà \(\*+5606\) · 000/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/0 lượt chờ xác minh/)).toBeVisible();
  const list = await (await page.request.get('/api/v1/encounters?roomCode=CC')).json();
  expect(list.encounters.find((e: { patient: { fullName: string } }) => e.patient.fullName === person.fullName).bhytVerification).toBe('VERIFIED');
});
