import { expect, test } from '@playwright/test';
import { startGatewaySimulator, type GatewaySimulator } from '../lib/insurance/simulator';
import { DEMO_CARDS, DEMO_PEOPLE } from '../lib/insurance/demo-cards';
import { isoToTyped } from '../lib/time/typed-date';
import { signIn } from './fixtures';
import { DeskPage } from './pages/desk';

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
async function typeCardOfNewPatient(desk: DeskPage, person: (typeof DEMO_PEOPLE)[number]) {
  await desk.type(person.cardCode);
  await desk.form.fill({ fullName: person.fullName, dateOfBirth: isoToTyped(person.dateOfBirth), sex: person.sex });
}

test('gateway up: a typed BHYT number is verified at check-in', async ({ page }) => {
  const person = DEMO_PEOPLE[0]!; // result 000
  await signIn(page, 'letan');
  const desk = new DeskPage(page);
  await desk.chooseRoom('P08');
  await typeCardOfNewPatient(desk, person);
  await desk.form.create();
  await expect(desk.result).toContainText('BHYT đã xác minh');
  expect(sim.requests.some((r) => r.path.includes('KQNhanLichSuKCB2024'))).toBe(true);
});

test('gateway slow: the number comes at once, marked "BHYT chưa xác minh", then re-verified from the worklist', async ({
  page,
}) => {
  const person = DEMO_PEOPLE[5]!; // result 000, year-only birth date
  await signIn(page, 'letan');
  sim.setFaults({ delayMs: 15_000 });
  const desk = new DeskPage(page);
  await desk.chooseRoom('CC');
  await typeCardOfNewPatient(desk, person);
  const started = Date.now();
  await desk.form.create();
  await expect(desk.result).toContainText('BHYT chưa xác minh');
  expect(Date.now() - started).toBeLessThan(8_000); // the gateway's timeout, not its 15 s
  await page.screenshot({ path: `${process.env.E2E_OUTPUT ?? 'test-results'}/screens/desk-bhyt-provisional.png` });

  sim.setFaults({});
  await page.getByRole('link', { name: 'BHYT chưa xác minh' }).click();
  await expect(page).toHaveURL(/bhyt-cho-xac-minh/);
  await expect(page.getByText(person.fullName)).toBeVisible();
  await page.getByRole('button', { name: 'Xác minh lại tất cả' }).click();
  await expect(page.getByText(/Hợp lệ · Võ Thị Thu Hà \(HT358\*+5606\) · 000/)).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/0 lượt chờ xác minh/)).toBeVisible();
  const list = await (await page.request.get('/api/v1/encounters?roomCode=CC')).json();
  expect(
    list.encounters.find((e: { patient: { fullName: string } }) => e.patient.fullName === person.fullName)
      .bhytVerification,
  ).toBe('VERIFIED');
});
