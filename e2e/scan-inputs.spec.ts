import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { BHYT_OLD_SAMPLE, cccdPayload } from '../lib/identity/test-fixtures';
import { chromiumPath } from './chromium';
import { signIn } from './fixtures';
import { fakeWebcam } from './webcam';

/** A synthetic person on a Căn cước (2024) card; the name is what the camera must bring back intact. */
const CAMERA_NAME = 'Huỳnh Thị Ngọc Diễm';
const CAMERA_PAYLOAD = cccdPayload({
  id: '079305012345',
  name: CAMERA_NAME,
  dob: '14022005',
  sex: 'Nữ',
  address: 'Số 8 Đường Trần Hưng Đạo, Phường Bến Thành, Thành phố Hồ Chí Minh',
  issued: '10092025',
  layout: '2024',
});

// Launch options are per worker, so they are set for the whole file (the fake camera harms no other test).
test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      ...fakeWebcam(CAMERA_PAYLOAD, 'scan').args,
    ],
  },
});

const SCREENS = path.join(process.env.E2E_OUTPUT ?? 'test-results', 'screens');

async function openScannerPage(page: Page) {
  await signIn(page, 'letan');
  await page.goto('/tiep-don/kiem-tra-may-quet');
  await expect(page.getByRole('heading', { name: 'Kiểm tra máy quét' })).toBeVisible();
  await expect(page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT')).toBeFocused(); // autofocus
}

const rows = (page: Page) => page.getByTestId('scan-row');

/** Counts every key event and click the element receives from now on. */
async function spyOn(page: Page, name: string) {
  await page.getByRole('button', { name }).evaluate((el) => {
    const spy = { keys: 0, clicks: 0 };
    (window as unknown as { spy: typeof spy }).spy = spy;
    for (const type of ['keydown', 'keypress', 'keyup']) el.addEventListener(type, () => spy.keys++);
    el.addEventListener('click', () => spy.clicks++);
  });
  return () => page.evaluate(() => (window as unknown as { spy: { keys: number; clicks: number } }).spy);
}

test('a scanner burst while a button has focus gives exactly one payload, and the button gets no key', async ({
  page,
}) => {
  await openScannerPage(page);
  const spy = await spyOn(page, 'Xóa danh sách');
  await page.getByRole('button', { name: 'Xóa danh sách' }).focus();
  await page.keyboard.type(BHYT_OLD_SAMPLE, { delay: 5 });
  await page.keyboard.press('Enter');

  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-source', 'wedge');
  await expect(rows(page).first()).toContainText('BHYT_QR (BHYT_OLD)');
  await expect(rows(page).first()).toContainText('Mạc Thị Xuân'); // hex-encoded name: survives keyboard mode
  await expect(rows(page).first()).toContainText('***********7801'); // card code masked
  expect(await spy()).toEqual({ keys: 0, clicks: 0 });
  await expect(page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT')).toBeFocused(); // ready for the next
  await expect(page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT')).toHaveValue('');
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, 'scan-wedge.png'), fullPage: true });
});

test('the same burst twice within 2 s (double beep) is one payload', async ({ page }) => {
  await openScannerPage(page);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  // A short payload, so both bursts fit in 2 s even when Playwright types slower than a scanner.
  for (let i = 0; i < 2; i++) {
    await page.keyboard.type('079305012345', { delay: 5 });
    await page.keyboard.press('Enter');
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(500);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-source', 'wedge');
});

test('a burst without Enter is submitted once after the quiet gap', async ({ page }) => {
  await openScannerPage(page);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.type('079305012345', { delay: 5 });
  await expect(rows(page)).toHaveCount(1);
  await page.waitForTimeout(1000);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-source', 'wedge');
  await expect(rows(page).first()).toContainText('PERSONAL_ID');
  await expect(rows(page).first()).toContainText('********2345');
  await expect(rows(page).first()).not.toContainText('079305012345');
});

test('slow typing in the box + Enter is "typed"; a burst into the box is "wedge"', async ({ page }) => {
  await openScannerPage(page);
  const box = page.getByLabel('Quét mã QR hoặc nhập số định danh / số thẻ BHYT');
  await page.keyboard.type('079305012345', { delay: 150 });
  await expect(box).toHaveValue('079305012345');
  await page.waitForTimeout(400); // a pause is not a submit
  await expect(rows(page)).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-source', 'typed');
  await expect(box).toHaveValue('');

  await page.keyboard.type(BHYT_OLD_SAMPLE, { delay: 5 });
  await page.keyboard.press('Enter');
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toHaveAttribute('data-source', 'wedge');
});

test('the webcam reads a Căn cước QR and the Vietnamese name comes out intact', async ({ page }) => {
  await openScannerPage(page);
  const wasm: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasm.push(request.url());
  });
  await page.getByRole('button', { name: 'Quét bằng camera' }).click();
  await expect(rows(page).first()).toBeVisible({ timeout: 30_000 });
  await expect(rows(page).first()).toHaveAttribute('data-source', 'camera');
  await expect(rows(page).first().getByTestId('scan-name')).toHaveText(CAMERA_NAME);
  await expect(rows(page).first()).toContainText('CCCD_QR (CAN_CUOC_2024)');
  await expect(rows(page).first()).toContainText('********2345');
  await page.waitForTimeout(1500);
  await expect(rows(page)).toHaveCount(1); // the card stays in view: read once
  expect(wasm.length).toBeGreaterThan(0);
  expect(wasm.every((url) => new URL(url).origin === new URL(page.url()).origin)).toBe(true); // never a CDN
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, 'scan-camera.png'), fullPage: true });

  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Quét bằng camera' })).toBeVisible();
  await expect(page.locator('video')).toBeHidden();
});

test('a COM-port scanner (Web Serial) delivers UTF-8 split across chunks as one payload', async ({ page }) => {
  // A stand-in for navigator.serial: the bytes a USB-CDC scanner sends, cut inside multi-byte letters.
  await page.addInitScript((payload: string) => {
    const bytes = new TextEncoder().encode(`${payload}\r\n`);
    const opened: number[] = [];
    const port = {
      readable: null as ReadableStream<Uint8Array> | null,
      async open(options: { baudRate: number }) {
        opened.push(options.baudRate);
        let sent = false;
        this.readable = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (sent) return new Promise(() => {}); // the scanner stays quiet after one scan
            sent = true;
            for (let i = 0; i < bytes.length; i += 5) controller.enqueue(bytes.slice(i, i + 5));
          },
        });
      },
      async close() {},
    };
    Object.defineProperty(navigator, 'serial', {
      value: { requestPort: async () => port, addEventListener() {}, removeEventListener() {} },
      configurable: true,
    });
    (window as unknown as { openedBaud: number[] }).openedBaud = opened;
  }, CAMERA_PAYLOAD);
  await openScannerPage(page);
  await page.getByLabel('Tốc độ (baud)').selectOption('115200');
  await page.getByRole('button', { name: 'Kết nối máy quét' }).click();
  await expect(page.getByText('Đã kết nối máy quét')).toBeVisible();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toHaveAttribute('data-source', 'serial');
  await expect(rows(page).first().getByTestId('scan-name')).toHaveText(CAMERA_NAME);
  expect(await page.evaluate(() => (window as unknown as { openedBaud: number[] }).openedBaud)).toEqual([115200]);

  await page.reload(); // the baud rate is remembered
  await expect(page.getByLabel('Tốc độ (baud)')).toHaveValue('115200');
});

test('without Web Serial the COM-port button is disabled and says why', async ({ page }) => {
  await page.addInitScript(() => {
    delete (Navigator.prototype as unknown as { serial?: unknown }).serial;
  });
  await openScannerPage(page);
  await expect(page.getByRole('button', { name: 'Kết nối máy quét' })).toBeDisabled();
  await expect(page.getByText(/không hỗ trợ Web Serial/)).toBeVisible();
});
