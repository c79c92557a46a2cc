import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import jpeg from 'jpeg-js';
import { createDb, type Db } from '../lib/db/client';
import { DEMO_FACILITY } from '../lib/db/demo';
import type { Principal } from '../lib/auth/roles';
import { checkIn } from '../lib/encounters/check-in';
import { cccdPayload } from '../lib/identity/test-fixtures';
import { startGatewaySimulator, type GatewaySimulator, type SimCard } from '../lib/insurance/simulator';
import { pairKiosk, registerKiosk } from '../lib/kiosk/devices';
import { greyToRgba, renderQrFrame } from '../lib/scan/synthetic-frames';
import { decodeQrFrame, useZxingWasm } from '../lib/scan/decode';
import { zxingWasmPublicFile } from '../lib/scan/wasm-file';
import { formatDate, formatTime } from '../lib/time/local-day';
import { chromiumPath } from './chromium';
import { e2eDatabaseUrl, signIn } from './fixtures';

/**
 * The self check-in kiosk (issue 16) at its two screen sizes, driven as a patient drives it: a keyboard-wedge
 * scanner (fast keys + Enter; ASCII names, as such scanners type them) or the kiosk's camera (Chromium's fake
 * webcam showing a card). The BHXH gateway is the simulator over real HTTP.
 */
const BASE = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const SIZES = { portrait: { width: 1080, height: 1920 }, landscape: { width: 1920, height: 1080 } } as const;
type Size = keyof typeof SIZES;
const SCREENS = path.join(process.env.E2E_OUTPUT ?? 'test-results', 'screens');
const IDLE_TEXT = 'Quét mã QR trên thẻ Căn cước/CCCD hoặc trong ứng dụng VNeID';
const GATEWAY = new URL(process.env.BHXH_GATEWAY_URL!);

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
type Person = { id: string; name: string; dob: string; sex: 'Nam' | 'Nữ' };
/** A synthetic person born in 19yy; the ID's century/sex digit agrees with the sex. */
const person = (name: string, sex: 'Nam' | 'Nữ' = 'Nam', yy = String(40 + randomInt(50))): Person => ({
  id: `058${sex === 'Nam' ? '0' : '1'}${yy}${digits(6)}`,
  name,
  dob: `0203 19${yy}`.replace(' ', ''),
  sex,
});
const iso = (p: Person) => `${p.dob.slice(4)}-${p.dob.slice(2, 4)}-${p.dob.slice(0, 2)}`;
const qr = (p: Person, cmnd?: string) =>
  cccdPayload({
    id: p.id,
    cmnd,
    name: p.name,
    dob: p.dob,
    sex: p.sex,
    address: 'Thon 1 Xa Phuoc Hau',
    issued: '01012024',
    layout: '2024',
  });
function card(p: Person, resultCode: string): SimCard {
  const code = `HT3585${digits(9)}`;
  return {
    resultCode,
    keys: [p.id, code, code.slice(5)],
    data: {
      maThe: code,
      hoTen: p.name.toLocaleUpperCase('vi-VN'),
      ngaySinh: `${p.dob.slice(0, 2)}/${p.dob.slice(2, 4)}/${p.dob.slice(4)}`,
      gioiTinh: p.sex,
      maDKBD: '58999',
      gtTheTu: '01/01/2025',
      gtTheDen: resultCode === '010' ? '31/12/2025' : '31/12/2027',
      maSoBHXH: code.slice(5),
      cqBHXH: 'BHXH (mô phỏng)',
      maKV: '',
      ngayDu5Nam: '',
      maTheCu: '',
      maTheMoi: '',
    },
  };
}

let db: Db;
let sim: GatewaySimulator;
let desk: Principal;
const cards: SimCard[] = [];
const tokens: string[] = [];

/** The simulator on the port the app under test was given (BHXH_GATEWAY_URL, playwright.config.ts). */
const startSimulator = () =>
  startGatewaySimulator({
    port: Number(GATEWAY.port),
    account: { username: process.env.BHXH_GATEWAY_USER!, password: process.env.BHXH_GATEWAY_PASSWORD! },
    cards,
  });

test.beforeAll(async () => {
  db = createDb(await e2eDatabaseUrl(), 2);
  sim = await startSimulator();
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const letan = await db.user.findUniqueOrThrow({ where: { username: 'letan' } });
  const admin: Principal = {
    kind: 'USER',
    id: letan.id,
    name: 'quantri',
    role: 'ADMIN',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
  desk = { ...admin, role: 'RECEPTIONIST', name: 'letan' };
  // Two kiosks of the hall, paired once (their device cookies are given to each test's browser).
  for (const name of [`Kiosk sảnh A ${digits(4)}`, `Kiosk sảnh B ${digits(4)}`]) {
    const { pairingCode } = await registerKiosk(db, admin, {
      name,
      roomCodes: ['P01', 'P02', 'P03', 'P04', 'P05'],
      offersBhyt: true,
      offersSelfPay: true,
      bhytStaffId: letan.id,
    });
    tokens.push((await pairKiosk(db, pairingCode, null))!.token);
  }
});
test.afterAll(async () => {
  await sim?.close();
  await db?.$disconnect();
});

async function openKiosk(
  browser: Browser,
  size: Size,
  token = tokens[0]!,
  options: { fakeClock?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: SIZES[size],
    baseURL: BASE,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  await context.addCookies([{ name: 'tiepdon_kiosk', value: token, url: BASE }]);
  const page = await context.newPage();
  // Timers the test moves on itself (page.clock): time still runs as usual until it does.
  if (options.fakeClock) await page.clock.install();
  const response = await page.goto('/kiosk');
  expect(response!.headers()['cache-control']).toContain('no-store');
  await expect(page.getByText(IDLE_TEXT)).toBeVisible();
  await live(page);
  return page;
}

/** The server's HTML is on screen before React listens to keys and touches: wait until it does. */
async function live(page: Page) {
  await page.waitForFunction(() =>
    Object.keys(document.querySelector('main[data-screen]') ?? {}).some((k) => k.startsWith('__react')),
  );
}

async function shot(page: Page, name: string, size: Size) {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `kiosk-${name}-${size}.png`) });
}

/** What a USB scanner in keyboard mode does: ≈5 ms per key, then Enter; it cannot type Vietnamese letters. */
async function wedge(page: Page, payload: string) {
  await page.bringToFront();
  await page.keyboard.type(payload.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D'), {
    delay: 5,
  });
  await page.keyboard.press('Enter');
}

const button = (page: Page, name: string | RegExp) => page.getByRole('button', { name });

/** Past check-in at the desk, so the person is a returning patient with no visit today. */
async function returning(p: Person, extra: { cmnd?: string } = {}) {
  const lastMonth = new Date(Date.now() - 30 * 86_400_000);
  const identifier = extra.cmnd
    ? { system: 'CMND' as const, value: extra.cmnd }
    : { system: 'PERSONAL_ID' as const, value: p.id };
  const r = await checkIn(
    db,
    desk,
    {
      identifier,
      newPatient: { fullName: p.name, dateOfBirth: iso(p), sex: p.sex === 'Nam' ? 'M' : 'F' },
      roomCode: 'P08',
    },
    lastMonth,
  );
  expect(['created', 'existing']).toContain(r.status);
}

/** This file's two kiosks. */
const kioskIds = async () =>
  (await db.kiosk.findMany({ where: { name: { startsWith: 'Kiosk sảnh ' } }, select: { id: true } })).map((k) => k.id);

const encountersToday = (personalId: string) =>
  db.encounter.findMany({
    where: {
      patient: { identifiers: { some: { system: 'PERSONAL_ID', value: personalId } } },
      status: { not: 'CANCELLED' },
      checkedInAt: { gt: new Date(Date.now() - 3_600_000) },
    },
    select: {
      id: true,
      queueNumber: true,
      channel: true,
      identificationMethod: true,
      payer: true,
      bhytVerification: true,
      number: true,
      checkedInAt: true,
      room: { select: { code: true } },
    },
  });

/** The ticket went to the printer: the print frame loaded the kiosk's ticket page and it has the ticket. */
async function expectPrinted(page: Page, encounterId: string) {
  await expect.poll(() => page.frames().some((f) => f.url().endsWith(`/kiosk/phieu/${encounterId}`))).toBe(true);
  const frame = page.frames().find((f) => f.url().endsWith(`/kiosk/phieu/${encounterId}`))!;
  await expect(frame.locator('[data-printable]')).toBeVisible();
  await expect(page.locator('main').getByRole('alert')).toHaveCount(0); // no "the printer could not print"
}

for (const size of ['portrait', 'landscape'] as const) {
  test(`${size}: a returning patient confirms, chooses a room, BHYT is verified, the ticket prints; scanning again reprints the same number`, async ({
    browser,
  }) => {
    const p = person('Lê Văn Quầy');
    cards.push(card(p, '000'));
    await returning(p);
    const page = await openKiosk(browser, size);
    await shot(page, 'idle', size);

    await wedge(page, qr(p));
    await expect(page.getByRole('heading', { name: 'Đây có phải bạn không?' })).toBeVisible();
    await expect(page.getByTestId('kiosk-person')).toHaveText('Lê Văn Quầy'); // the record's name, not the scanner's ASCII
    await expect(page.getByText(`Sinh năm 19${p.id.slice(4, 6)}`)).toBeVisible();
    await expect(page.locator('body')).not.toContainText(p.id); // no ID number on screen
    await shot(page, 'confirm', size);

    await button(page, 'Đúng, là tôi').click();
    await expect(page.getByRole('heading', { name: 'Chọn phòng khám' })).toBeVisible();
    await expect(button(page, /Cấp cứu/)).toBeVisible();
    await expect(button(page, /Phòng khám Nội 1/)).toContainText(/\d+ người đang chờ/);
    await shot(page, 'rooms', size);

    await button(page, /Phòng khám Nội 2/).click();
    await expect(page.getByRole('heading', { name: 'Bạn khám theo hình thức nào?' })).toBeVisible();
    await shot(page, 'payer', size);
    await button(page, 'Khám BHYT').click();

    await expect(page.getByRole('heading', { name: 'Số thứ tự của bạn' })).toBeVisible();
    const [encounter] = await encountersToday(p.id);
    expect(encounter).toMatchObject({
      channel: 'KIOSK',
      identificationMethod: 'CCCD_QR',
      payer: 'BHYT',
      bhytVerification: 'VERIFIED',
      room: { code: 'P02' },
    });
    await expect(page.getByTestId('kiosk-queue')).toHaveText(String(encounter!.queueNumber));
    await expect(page.getByText('Mời đến Phòng khám Nội 2')).toBeVisible();
    await expectPrinted(page, encounter!.id);
    await shot(page, 'ticket', size);

    // "Xong", then the same card again the same day: the same number, printed again.
    await button(page, 'Xong').click();
    await expect(page.getByText(IDLE_TEXT)).toBeVisible();
    await expect(page.locator('body')).not.toContainText('Lê Văn Quầy');
    await wedge(page, qr(p));
    await expect(page.getByText('Bạn đã lấy số hôm nay.', { exact: false })).toBeVisible();
    await button(page, 'Đúng, là tôi').click();
    await expect(page.getByTestId('kiosk-queue')).toHaveText(String(encounter!.queueNumber));
    await expect(page.getByText('đây là phiếu in lại', { exact: false })).toBeVisible();
    expect(await encountersToday(p.id)).toHaveLength(1);
    await page.context().close();
  });

  test(`${size}: the gateway rejects the BHYT card: a Vietnamese explanation, then a self-pay number`, async ({
    browser,
  }) => {
    const p = person('Dang Thi Het', 'Nữ');
    cards.push(card(p, '010'));
    const page = await openKiosk(browser, size);
    await wedge(page, qr(p)); // new patient: created from the card's QR
    await expect(page.getByTestId('kiosk-person')).toHaveText('Dang Thi Het');
    await button(page, 'Đúng, là tôi').click();
    await button(page, /Phòng khám Nội 1/).click();
    await button(page, 'Khám BHYT').click();
    await expect(page.getByRole('heading', { name: 'Cổng BHXH chưa chấp nhận thẻ BHYT' })).toBeVisible();
    await expect(page.getByText('Mã kết quả: 010')).toBeVisible();
    await shot(page, 'bhyt-rejected', size);
    expect(await encountersToday(p.id)).toHaveLength(0); // nothing opened before the choice

    await button(page, 'Lấy số khám dịch vụ').click();
    await expect(page.getByRole('heading', { name: 'Số thứ tự của bạn' })).toBeVisible();
    const encounters = await encountersToday(p.id);
    expect(encounters).toMatchObject([{ channel: 'KIOSK', payer: 'SELF_PAY', room: { code: 'P01' } }]);
    await page.context().close();
  });

  test(`${size}: to the counter with the reason — a typed number, an identity conflict, "not me"; and the emergency desk`, async ({
    browser,
  }) => {
    const page = await openKiosk(browser, size);
    // A number typed on a keyboard (slowly) is never enough at a kiosk.
    const typed = person('Go Van So');
    await page.keyboard.type(typed.id, { delay: 120 });
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Mời bạn đến quầy tiếp đón' })).toBeVisible();
    await expect(page.getByTestId('kiosk-reason')).toHaveAttribute('data-reason', 'TYPED_NUMBER');
    await expect(page.getByTestId('kiosk-reason')).toContainText('Kiosk không nhận số nhập tay');
    await shot(page, 'counter', size);
    expect(await db.patient.count({ where: { identifiers: { some: { value: typed.id } } } })).toBe(0);
    await button(page, 'Xong').click();

    // The card's personal ID is one record, its old CMND another: a receptionist decides.
    const c = person('Dinh Van Hai');
    const cmnd = digits(9);
    await returning(c);
    await returning({ ...c, id: '' }, { cmnd });
    await wedge(page, qr(c, cmnd));
    await expect(page.getByTestId('kiosk-reason')).toHaveAttribute('data-reason', 'IDENTITY_CONFLICT');
    expect(await encountersToday(c.id)).toHaveLength(0);
    await button(page, 'Xong').click();

    // "Not me", then the emergency button.
    const n = person('Mai Van Khac');
    await wedge(page, qr(n));
    await button(page, 'Không phải tôi').click();
    await expect(page.getByTestId('kiosk-reason')).toHaveAttribute('data-reason', 'NOT_ME');
    await button(page, 'Xong').click();
    await wedge(page, qr(n));
    await button(page, 'Đúng, là tôi').click();
    await button(page, /Cấp cứu/).click();
    await expect(page.getByRole('heading', { name: 'Mời đến ngay khu Cấp cứu' })).toBeVisible();
    await shot(page, 'emergency', size);
    expect(await db.patient.count({ where: { identifiers: { some: { value: n.id } } } })).toBe(0);

    // The VNeID help screen and the English toggle (which the next person does not inherit).
    await button(page, 'Xong').click();
    await button(page, 'Dùng VNeID? Xem cách mở mã QR').click();
    await expect(page.getByRole('heading', { name: 'Quét mã QR trong ứng dụng VNeID' })).toBeVisible();
    await shot(page, 'vneid', size);
    await button(page, 'English').click();
    await expect(page.getByRole('heading', { name: 'Scan the QR code in the VNeID app' })).toBeVisible();
    await shot(page, 'vneid-en', size);
    await button(page, 'Back').click();
    await expect(page.getByText(IDLE_TEXT)).toBeVisible();
    await page.context().close();
  });
}

test('portrait: 20 s without a touch, the screen goes back to the start and keeps nothing of the person', async ({
  browser,
}) => {
  const p = person('Ha Van Roi');
  const page = await openKiosk(browser, 'portrait');
  const historyLength = await page.evaluate(() => history.length);
  await wedge(page, qr(p));
  await button(page, 'Đúng, là tôi').click();
  await expect(page.getByRole('heading', { name: 'Chọn phòng khám' })).toBeVisible();
  const visit = await db.kioskVisit.findFirstOrThrow({
    orderBy: { startedAt: 'desc' },
    select: { id: true, outcome: true },
  });
  expect(visit.outcome).toBeNull();
  await expect(page.getByText(IDLE_TEXT)).toBeVisible({ timeout: 25_000 });
  await expect(page.locator('body')).not.toContainText('Ha Van Roi');
  await expect(page.locator('body')).not.toContainText(`19${p.id.slice(4, 6)}`);
  expect(await page.locator('#scan-box').inputValue()).toBe('');
  await expect
    .poll(async () => (await db.kioskVisit.findUniqueOrThrow({ where: { id: visit.id } })).outcome)
    .toBe('ABANDONED');
  // No way back to the previous person: the visit added no history entry.
  expect(await page.evaluate(() => history.length)).toBe(historyLength);
  await page.context().close();
});

test('landscape: two kiosks, the same person at once: one encounter, the same number on both tickets', async ({
  browser,
}) => {
  const p = person('Tran Van Doi');
  const [a, b] = await Promise.all([
    openKiosk(browser, 'landscape', tokens[0]),
    openKiosk(browser, 'landscape', tokens[1]),
  ]);
  for (const page of [a, b]) {
    await wedge(page, qr(p));
    await button(page, 'Đúng, là tôi').click();
    await button(page, /Phòng khám Ngoại/).click();
  }
  await Promise.all([button(a, /Khám dịch vụ/).click(), button(b, /Khám dịch vụ/).click()]);
  await expect(a.getByTestId('kiosk-queue')).toBeVisible();
  await expect(b.getByTestId('kiosk-queue')).toBeVisible();
  expect(await a.getByTestId('kiosk-queue').textContent()).toBe(await b.getByTestId('kiosk-queue').textContent());
  expect(await encountersToday(p.id)).toHaveLength(1);
  expect(await db.patient.count({ where: { identifiers: { some: { value: p.id } } } })).toBe(1);
  await a.context().close();
  await b.context().close();
});

/** A browser whose webcam shows `payload` as a slightly tilted card (MJPEG frames, Chromium's fake capture). */
async function browserWithCamera(payload: string): Promise<Browser> {
  const file = path.join(os.tmpdir(), `tiepdon-kiosk-${process.pid}-${digits(6)}.mjpeg`);
  const frames: Buffer[] = [];
  for (let i = 0; i < 4; i++) {
    const grey = renderQrFrame(payload, {
      width: 640,
      height: 480,
      codePx: 330,
      rotateDeg: 6 + i,
      blurRadius: 1,
      noiseSigma: 4,
      seed: i + 1,
      background: 70,
    });
    frames.push(jpeg.encode({ data: Buffer.from(greyToRgba(grey).buffer), width: 640, height: 480 }, 85).data);
  }
  fs.writeFileSync(file, Buffer.concat(frames));
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${file}`,
    ],
  });
}

test('landscape, camera: a new patient from a Căn cước QR, the Vietnamese name intact', async () => {
  const p = person('Huỳnh Thị Ngọc Diễm', 'Nữ');
  const browser = await browserWithCamera(qr(p));
  try {
    const page = await openKiosk(browser, 'landscape');
    await expect(page.getByTestId('kiosk-person')).toHaveText('Huỳnh Thị Ngọc Diễm', { timeout: 30_000 });
    await button(page, 'Đúng, là tôi').click();
    await button(page, /Phòng khám Nội 1/).click();
    await button(page, /Khám dịch vụ/).click();
    await expect(page.getByRole('heading', { name: 'Số thứ tự của bạn' })).toBeVisible();
    expect(await encountersToday(p.id)).toMatchObject([
      { channel: 'KIOSK', identificationMethod: 'CCCD_QR', payer: 'SELF_PAY' },
    ]);
    const patient = await db.patient.findFirstOrThrow({ where: { identifiers: { some: { value: p.id } } } });
    expect(patient.fullName).toBe('Huỳnh Thị Ngọc Diễm');
  } finally {
    await browser.close();
  }
});

test('portrait, camera: a QR shown in the VNeID app is recorded as VNeID', async () => {
  const p = person('Nông Văn Định');
  const browser = await browserWithCamera(qr(p));
  try {
    const context = await browser.newContext({
      viewport: SIZES.portrait,
      baseURL: BASE,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    await context.addCookies([{ name: 'tiepdon_kiosk', value: tokens[1]!, url: BASE }]);
    const page = await context.newPage();
    // The person who uses VNeID opens its help first. The camera starts once the page is live (hydrated) and reads
    // only after its decoder has loaded: a touch right after hydration opens the help screen before that.
    await page.goto('/kiosk');
    await live(page);
    await button(page, 'Dùng VNeID? Xem cách mở mã QR').click();
    await expect(page.getByRole('heading', { name: 'Quét mã QR trong ứng dụng VNeID' })).toBeVisible();
    await expect(page.getByTestId('kiosk-person')).toHaveText('Nông Văn Định', { timeout: 30_000 });
    await button(page, 'Đúng, là tôi').click();
    await button(page, /Phòng khám Nội 2/).click();
    await button(page, /Khám dịch vụ/).click();
    await expect(page.getByRole('heading', { name: 'Số thứ tự của bạn' })).toBeVisible();
    expect(await encountersToday(p.id)).toMatchObject([{ channel: 'KIOSK', identificationMethod: 'VNEID' }]);
  } finally {
    await browser.close();
  }
});

test('portrait: the BHXH gateway answers with errors: a Vietnamese explanation, and a self-pay number is still offered', async ({
  browser,
}) => {
  const p = person('Cong Van Loi');
  cards.push(card(p, '000')); // a valid card: only the gateway fails
  const page = await openKiosk(browser, 'portrait');
  sim.setFaults({ http500: true });
  try {
    await wedge(page, qr(p));
    await button(page, 'Đúng, là tôi').click();
    await button(page, /Phòng khám Nội 1/).click();
    const asked = sim.requests.length;
    await button(page, 'Khám BHYT').click();
    await expect(page.getByRole('heading', { name: 'Chưa kiểm tra được thẻ BHYT' })).toBeVisible();
    await expect(page.getByText('Cổng BHXH hiện không trả lời.', { exact: false })).toBeVisible();
    await expect(button(page, 'Lấy số khám dịch vụ')).toBeVisible();
    await expect(button(page, 'Đến quầy tiếp đón')).toBeVisible();
    // The gateway was asked about this person's card (and answered HTTP 500).
    expect(sim.requests.slice(asked).some((r) => r.endpoint === 'check' && r.body.maThe === p.id)).toBe(true);
    expect(await encountersToday(p.id)).toHaveLength(0); // nothing opened before the choice
    await shot(page, 'bhyt-unavailable', 'portrait');

    await button(page, 'Lấy số khám dịch vụ').click();
    await expect(page.getByRole('heading', { name: 'Số thứ tự của bạn' })).toBeVisible();
    const encounters = await encountersToday(p.id);
    expect(encounters).toMatchObject([{ channel: 'KIOSK', payer: 'SELF_PAY', room: { code: 'P01' } }]);
    await expect(page.getByTestId('kiosk-queue')).toHaveText(String(encounters[0]!.queueNumber));
  } finally {
    sim.setFaults({});
    await page.context().close();
  }
});

test('landscape: the BHXH gateway cannot be reached: a Vietnamese explanation, and the counter is offered', async ({
  browser,
}) => {
  const p = person('Vang Thi Mang', 'Nữ');
  cards.push(card(p, '000'));
  const page = await openKiosk(browser, 'landscape');
  await sim.close(); // nothing listens on the gateway's port
  try {
    await wedge(page, qr(p));
    await button(page, 'Đúng, là tôi').click();
    await button(page, /Phòng khám Nội 2/).click();
    await button(page, 'Khám BHYT').click();
    await expect(page.getByRole('heading', { name: 'Chưa kiểm tra được thẻ BHYT' })).toBeVisible();
    await expect(page.getByText('Cổng BHXH hiện không trả lời.', { exact: false })).toBeVisible();
    await expect(button(page, 'Lấy số khám dịch vụ')).toBeVisible();
    await shot(page, 'bhyt-unreachable', 'landscape');

    await button(page, 'Đến quầy tiếp đón').click();
    await expect(page.getByRole('heading', { name: 'Mời bạn đến quầy tiếp đón' })).toBeVisible();
    await expect(page.getByTestId('kiosk-reason')).toHaveAttribute('data-reason', 'BHYT_UNAVAILABLE');
    await expect(page.getByTestId('kiosk-reason')).toHaveText('Nhân viên sẽ giúp bạn về thẻ BHYT.');
    expect(await encountersToday(p.id)).toHaveLength(0);
    const visit = await db.kioskVisit.findFirstOrThrow({
      where: { kioskId: { in: await kioskIds() } },
      orderBy: { startedAt: 'desc' },
      select: { outcome: true, reason: true },
    });
    expect(visit).toEqual({ outcome: 'COUNTER', reason: 'BHYT_UNAVAILABLE' });
  } finally {
    sim = await startSimulator();
    await page.context().close();
  }
});

test('portrait: without "Xong", the ticket screen goes back to the start after 12 s and keeps nothing of the person', async ({
  browser,
}) => {
  const p = person('Tu Van Ve');
  const page = await openKiosk(browser, 'portrait', tokens[0], { fakeClock: true });
  await wedge(page, qr(p));
  await expect(page.getByTestId('kiosk-person')).toHaveText('Tu Van Ve');
  await button(page, 'Đúng, là tôi').click();
  await button(page, /Phòng khám Nội 1/).click();
  // From here the page's clock moves only when the test moves it: the ticket's timer starts at this instant.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
  await button(page, /Khám dịch vụ/).click();
  await expect(page.getByRole('heading', { name: 'Số thứ tự của bạn' })).toBeVisible();
  const [encounter] = await encountersToday(p.id);
  await expect(page.getByTestId('kiosk-queue')).toHaveText(String(encounter!.queueNumber));
  await expect(page.getByText('Màn hình tự trở về sau 12 giây', { exact: false })).toBeVisible();

  // The print's answer (dialog opened, or not) comes while the ticket shows and updates it; it must not restart
  // the 12 s. Move the clock in small steps, giving the frame real time to load, until it has come (CI once
  // failed here: the answer restarted the timer). Up to 10 s of the page's clock: on a loaded machine the frame
  // took longer than the 4 s of real time an earlier bound gave it (the answer, with no dialog, is 3 s after load).
  const queue = page.getByTestId('kiosk-queue');
  let elapsed = 0;
  while ((await queue.getAttribute('data-printed')) === 'null' && elapsed < 10_000) {
    await page.waitForTimeout(250);
    await page.clock.fastForward(250);
    elapsed += 250;
  }
  await expect(queue).not.toHaveAttribute('data-printed', 'null');
  if (elapsed < 6_000) await page.clock.fastForward(6_000 - elapsed);
  // A touch on the ticket screen does not keep it: the 12 s are counted from the ticket.
  await page.mouse.click(20, 1_800);
  await page.clock.fastForward(11_000 - Math.max(6_000, elapsed));
  await expect(page.getByTestId('kiosk-queue')).toBeVisible(); // 11 s: still the ticket
  // 12.1 s: back at the start (a timer restarted by the print's answer, at 0.25 s or later, would not have fired).
  await page.clock.fastForward(1_100);
  await expect(page.getByText(IDLE_TEXT)).toBeVisible();
  await expect(page.locator('main')).toHaveAttribute('data-screen', 'idle');
  await expect(page.getByTestId('kiosk-queue')).toHaveCount(0);
  const body = page.locator('body');
  await expect(body).not.toContainText('Tu Van Ve');
  await expect(body).not.toContainText(`19${p.id.slice(4, 6)}`);
  await expect(body).not.toContainText('Mời đến');
  await expect(body).not.toContainText('Phòng khám Nội 1');
  expect(await page.locator('#scan-box').inputValue()).toBe('');
  await page.context().close();
});

test('the ticket prints on 80 mm paper and carries no name or ID number', async ({ browser }) => {
  const p = person('Phieu Van In');
  const page = await openKiosk(browser, 'portrait');
  await wedge(page, qr(p));
  await button(page, 'Đúng, là tôi').click();
  await button(page, /Phòng khám Nội 1/).click();
  await button(page, /Khám dịch vụ/).click();
  await expect(page.getByTestId('kiosk-queue')).toBeVisible();
  const [encounter] = await encountersToday(p.id);
  const view = await page.context().newPage();
  await view.goto(`/kiosk/phieu/${encounter!.id}`);
  await expect(view.getByTestId('ticket-queue')).toHaveText(String(encounter!.queueNumber));
  await expect(view.locator('body')).not.toContainText(p.id);
  await expect(view.locator('body')).not.toContainText('Phieu Van In');
  // Facility and the time of the check-in (Vietnam's clock, as the desk's slip shows it).
  const facility = await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
  const ticket = view.locator('[data-printable]');
  await expect(ticket).toContainText(facility.name, { ignoreCase: true });
  await expect(ticket).toContainText(`${formatTime(encounter!.checkedInAt)} ${formatDate(encounter!.checkedInAt)}`);
  // The QR, as a reader at the exam room sees it: the ticket's own SVG, drawn larger on white (a quiet zone round
  // it) over the page, photographed and decoded.
  await expect(view.locator('[data-printable] svg')).toHaveCount(1);
  await view.evaluate(() => {
    const svg = document.querySelector('[data-printable] svg')!.cloneNode(true) as SVGSVGElement;
    svg.setAttribute('width', '360');
    svg.setAttribute('height', '360');
    svg.style.cssText = 'display:block;width:360px;height:360px';
    const holder = document.createElement('div');
    holder.id = 'qr-photo';
    holder.style.cssText = 'position:fixed;left:0;top:0;z-index:9999;padding:40px;background:#fff';
    holder.append(svg);
    document.body.append(holder);
  });
  const photo = jpeg.decode(await view.locator('#qr-photo').screenshot({ type: 'jpeg', quality: 95 }), {
    useTArray: true,
  });
  useZxingWasm({ binary: fs.readFileSync(zxingWasmPublicFile()) });
  const decoded = await decodeQrFrame({
    data: new Uint8ClampedArray(photo.data.buffer, photo.data.byteOffset, photo.data.length),
    width: photo.width,
    height: photo.height,
  });
  expect(decoded).toBe(encounter!.number);
  await view.evaluate(() => document.getElementById('qr-photo')!.remove()); // the ticket as printed
  await view.emulateMedia({ media: 'print' });
  const pdf = await view.pdf({ preferCSSPageSize: true, printBackground: true });
  const sizes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map(
    (m) => (Number(m[1]) * 25.4) / 72,
  );
  expect(sizes).toHaveLength(1);
  expect(sizes[0]).toBeCloseTo(80, 0);
  // Another encounter (not given out by this kiosk) is not a ticket it can print: a desk's (one of our own, so the
  // test needs no other test before it).
  await returning(person('Quay Van Khac'));
  const other = await db.encounter.findFirstOrThrow({ where: { channel: 'DESK' }, select: { id: true } });
  expect((await view.goto(`/kiosk/phieu/${other.id}`))!.status()).toBe(404);
  await page.context().close();
});

test('admin registers a kiosk and gets its pairing code; the kiosk pairs; disabled, it is refused', async ({
  browser,
  page,
}) => {
  await signIn(page, 'quantri');
  await page.goto('/quan-tri');
  const form = page.getByRole('form', { name: 'Đăng ký kiosk' });
  const name = `Kiosk khoa Nhi ${digits(3)}`;
  await form.getByLabel('Tên kiosk').fill(name);
  await form.getByLabel(/P01/).check();
  await form.getByLabel(/P02/).check();
  await form.getByLabel('Cán bộ tra cứu BHYT', { exact: false }).selectOption({ index: 1 });
  await form.getByRole('button', { name: 'Đăng ký kiosk' }).click();
  const code = (await page.getByTestId('pairing-code').textContent())!;
  expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);

  for (const size of ['portrait', 'landscape'] as const) {
    const kiosk = await (await browser.newContext({ viewport: SIZES[size], baseURL: BASE })).newPage();
    await kiosk.goto('/kiosk');
    await expect(kiosk.getByRole('heading', { name: 'Ghép nối kiosk' })).toBeVisible();
    await shot(kiosk, 'pairing', size);
    if (size === 'landscape') {
      await kiosk.getByLabel('Mã ghép nối').fill(code.toLowerCase());
      await button(kiosk, 'Ghép nối').click();
      await expect(kiosk.getByText(IDLE_TEXT)).toBeVisible();
      await expect(kiosk.getByText(name)).toBeVisible();

      const row = page.getByTestId('kiosk-row').filter({ hasText: name });
      await page.reload();
      await expect(row).toContainText('Đã ghép nối');
      page.once('dialog', (d) => void d.accept());
      await row.getByRole('button', { name: 'Tắt kiosk' }).click();
      await expect(row).toContainText('Đã tắt');
      await kiosk.reload();
      await expect(kiosk.getByRole('heading', { name: 'Ghép nối kiosk' })).toBeVisible();
    }
    await kiosk.context().close();
  }
});

test("managers see intake by channel and the kiosks' completion and reasons: dashboard, API, Excel", async ({
  page,
}) => {
  await signIn(page, 'quanly');
  const intake = await (await page.request.get('/api/v1/intake')).json();
  expect(intake.byChannel.KIOSK).toBeGreaterThanOrEqual(6);
  expect(intake.kiosk.scans).toBeGreaterThan(intake.kiosk.tickets);
  expect(intake.kiosk.counterReasons).toMatchObject({ TYPED_NUMBER: 2, IDENTITY_CONFLICT: 2, NOT_ME: 2 });
  expect(intake.kiosk.emergency).toBe(2);
  await page.goto('/bao-cao');
  await expect(page.getByRole('figure', { name: 'Theo kênh tiếp đón' })).toContainText('Kiosk tự tiếp đón');
  const kiosks = page.getByRole('region', { name: 'Kiosk tự tiếp đón' });
  await expect(kiosks.getByLabel('Lượt quét')).toHaveText(String(intake.kiosk.scans));
  await expect(kiosks.getByLabel('Tỷ lệ hoàn tất (quét → nhận số)')).toHaveText(
    `${Math.round(intake.kiosk.completionRate * 100)} %`,
  );
  await expect(kiosks).toContainText('Chỉ có số (nhập tay, mã vạch)');
  const xlsx = await page.request.get(`/api/v1/reports/intake?date=${intake.date}`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await xlsx.body()) as never);
  expect(wb.getWorksheet('Theo kênh')!.getRow(3).values).toEqual([
    ,
    'KIOSK',
    'Kiosk tự tiếp đón',
    intake.byChannel.KIOSK,
  ]);
  expect(wb.getWorksheet('Kiosk')!.getRow(2).values).toEqual([, 'Lượt quét', intake.kiosk.scans]);
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, 'kiosk-manager-dashboard.png'), fullPage: true });
});
