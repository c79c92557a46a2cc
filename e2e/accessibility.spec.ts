import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { createDb, type Db } from '../lib/db/client';
import { DEMO_FACILITY, DEMO_PASSWORD } from '../lib/db/demo';
import type { Principal } from '../lib/auth/roles';
import { cccdPayload } from '../lib/identity/test-fixtures';
import { pairKiosk, registerKiosk } from '../lib/kiosk/devices';
import { e2eDatabaseUrl, signIn } from './fixtures';

/**
 * Issue 11: axe-core finds no serious or critical violation on the pages staff use, in Vietnamese and in English,
 * and in English the page's own words are English (lang="en" is then true of them). Data (names, addresses, room
 * names) stays as entered.
 */
const LANGS = ['vi', 'en'] as const;
type Lang = (typeof LANGS)[number];
const BOX = {
  vi: 'Quét mã QR hoặc nhập số định danh / số thẻ BHYT',
  en: 'Scan a QR code or type a personal ID / BHYT number',
};
const FORM = {
  vi: {
    name: 'Người bệnh mới',
    fullName: 'Họ và tên',
    dob: 'Ngày sinh',
    sex: 'Giới tính',
    create: /Tạo hồ sơ và tiếp đón/,
  },
  en: {
    name: 'New patient',
    fullName: 'Full name',
    dob: 'Birth date',
    sex: 'Sex',
    create: /Create the record and check in/,
  },
};
const SHOTS = `${process.env.E2E_OUTPUT ?? 'test-results'}/screens`;

let db: Db;
test.beforeAll(async () => {
  db = createDb(await e2eDatabaseUrl(), 2);
});
test.afterAll(async () => {
  await db.$disconnect();
});

async function as(browser: Browser, username: string, lang: Lang): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addCookies([{ name: 'lang', value: lang, url: `http://localhost:${process.env.E2E_PORT ?? 3100}` }]);
  const page = await context.newPage();
  await signIn(page, username, DEMO_PASSWORD);
  return page;
}

/** Serious and critical axe findings, one line each (rule, impact, first targets). */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/** The page's own words in English mode: headings, column heads, buttons, links, labels' own text (not data). */
async function vietnameseChrome(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const vietnamese = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹàáèéìíòóùúýõãĩũ]/i;
    const found: string[] = [];
    const own = (el: Element) =>
      [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join(' ')
        .trim();
    for (const el of document.querySelectorAll(
      'h1, h2, h3, th, button, a, label, legend, summary, [role="alert"], [role="status"]',
    )) {
      if (el.closest('[lang="vi"]') || (el as HTMLElement).offsetParent === null) continue;
      const text = own(el);
      if (text && vietnamese.test(text)) found.push(`${el.tagName.toLowerCase()}: ${text.slice(0, 80)}`);
    }
    return found;
  });
}

/**
 * Text under `selector` whose contrast with its background is below 4.5:1 (WCAG AA), measured directly: the issue's
 * reports legend (2.63:1) is a case axe can leave as "needs review" (a symbol beside the text). Colours go through a
 * canvas, so any CSS colour syntax (Tailwind 4 uses oklch) is compared as sRGB.
 */
async function lowContrastText(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const ctx = document.createElement('canvas').getContext('2d', { willReadFrequently: true })!;
    const rgb = (color: string) => {
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 1, 1);
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data].slice(0, 3);
    };
    const luminance = (c: number[]) =>
      c
        .map((v) => {
          const x = v / 255;
          return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
        })
        .reduce((sum, x, i) => sum + x * [0.2126, 0.7152, 0.0722][i]!, 0);
    const background = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
      }
      return '#fff';
    };
    const found: string[] = [];
    for (const root of document.querySelectorAll(sel)) {
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (el.closest('[aria-hidden="true"]')) continue;
        const text = [...el.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent ?? '')
          .join('')
          .trim();
        if (!text) continue;
        const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(rgb(background(el)))];
        const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        if (ratio < 4.5) found.push(`${text.slice(0, 40)}: ${ratio.toFixed(2)}:1`);
      }
    }
    return found;
  }, selector);
}

async function check(page: Page, lang: Lang, name: string) {
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await page.screenshot({ path: `${SHOTS}/a11y-${name}-${lang}.png`, fullPage: true });
  expect.soft(await violations(page), `${name} (${lang})`).toEqual([]);
  if (lang === 'en') expect.soft(await vietnameseChrome(page), `${name}: Vietnamese words in English mode`).toEqual([]);
}

for (const lang of LANGS) {
  test(`no serious or critical axe violation, page language true (${lang}): login, desk states, BHYT worklist, scanner check, look-up, record, reports, hand-off problems, admin`, async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const login = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await login
      .context()
      .addCookies([{ name: 'lang', value: lang, url: `http://localhost:${process.env.E2E_PORT ?? 3100}` }]);
    await login.goto('/login');
    await check(login, lang, 'login');
    await login.context().close();

    // The desk: empty, the new-patient form, and a checked-in result.
    const desk = await as(browser, 'letan', lang);
    await expect(desk).toHaveURL(/\/tiep-don$/);
    await check(desk, lang, 'desk');
    // Born 1940–1999 (the form's birth date is 01/01/19YY): '00' made a 126-year-old, refused as a typo (1 run in 100).
    const id = `0581${String(randomInt(40, 100))}${String(randomInt(1e6)).padStart(6, '0')}`;
    await desk.getByLabel(BOX[lang]).fill(id);
    await desk.getByLabel(BOX[lang]).press('Enter');
    const f = FORM[lang];
    const form = desk.getByRole('form', { name: f.name });
    await expect(form).toBeVisible();
    await check(desk, lang, 'desk-form');
    await form.getByLabel(f.fullName).fill('Hứa Thị Truy Cập');
    await form.getByLabel(f.dob).fill(`01/01/19${id.slice(4, 6)}`);
    await form.getByLabel(f.sex).selectOption('F');
    await form.getByRole('button', { name: f.create }).click();
    await expect(desk.getByTestId('queue-number')).toBeVisible();
    await check(desk, lang, 'desk-result');
    const patient = await db.patient.findFirstOrThrow({ where: { identifiers: { some: { value: id } } } });
    // The desk's other pages: the BHYT worklist and the scanner check.
    await desk.goto('/tiep-don/bhyt-cho-xac-minh');
    await check(desk, lang, 'bhyt-worklist');
    await desk.goto('/tiep-don/kiem-tra-may-quet');
    await check(desk, lang, 'scanner-check');
    await desk.context().close();

    // Support: the look-up and a record.
    const support = await as(browser, 'hotro', lang);
    await expect(support).toHaveURL(/\/tra-cuu$/);
    await check(support, lang, 'lookup');
    await support.goto(`/tra-cuu/${patient.id}?purpose=SUPPORT_PATIENT`);
    await expect(support.getByRole('heading', { name: 'Hứa Thị Truy Cập' })).toBeVisible();
    await check(support, lang, 'record');
    await support.context().close();

    const manager = await as(browser, 'quanly', lang);
    await expect(manager).toHaveURL(/\/bao-cao$/);
    await check(manager, lang, 'reports');
    expect(await lowContrastText(manager, 'figure'), 'chart text and legends ≥ 4.5:1').toEqual([]);
    await manager.goto('/bao-cao/ban-giao');
    await check(manager, lang, 'handoff-problems');
    await manager.context().close();

    const admin = await as(browser, 'quantri', lang);
    await admin.goto('/quan-tri');
    await check(admin, lang, 'admin');
    await admin.context().close();
  });
}

/** The kiosk's words in each language (its own toggle: a kiosk has no sign-in and no `lang` cookie). */
const KIOSK = {
  vi: {
    idle: 'Quét mã QR trên thẻ Căn cước/CCCD hoặc trong ứng dụng VNeID',
    confirm: 'Đây có phải bạn không?',
    yes: 'Đúng, là tôi',
    rooms: 'Chọn phòng khám',
    payer: 'Bạn khám theo hình thức nào?',
    selfPay: /Khám dịch vụ/,
    ticket: 'Số thứ tự của bạn',
  },
  en: {
    idle: 'Scan the QR code on your chip ID card (Căn cước/CCCD) or in the VNeID app',
    confirm: 'Is this you?',
    yes: 'Yes, it is me',
    rooms: 'Choose a clinic',
    payer: 'How will you pay?',
    selfPay: 'Self-pay',
    ticket: 'Your queue number',
  },
};

for (const lang of LANGS) {
  test(`kiosk at 1080×1920: no serious or critical axe violation, page language true (${lang}): idle, "is this you?", rooms, payer, ticket`, async ({
    browser,
  }) => {
    test.setTimeout(120_000);
    // A kiosk of the hall, paired as the kiosk tests pair theirs (its device cookie in this browser).
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
    const { pairingCode } = await registerKiosk(db, admin, {
      name: `Kiosk a11y ${lang} ${randomInt(1e6)}`,
      roomCodes: ['P01', 'P02', 'P03'],
      offersBhyt: true,
      offersSelfPay: true,
      bhytStaffId: letan.id,
    });
    const { token } = (await pairKiosk(db, pairingCode, null))!;
    const base = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
    const context = await browser.newContext({ viewport: { width: 1080, height: 1920 }, locale: 'vi-VN' });
    await context.addCookies([{ name: 'tiepdon_kiosk', value: token, url: base }]);
    const kiosk = await context.newPage();
    await kiosk.goto(`${base}/kiosk`);
    // Live (hydrated) before the first touch or key.
    await kiosk.waitForFunction(() =>
      Object.keys(document.querySelector('main[data-screen]') ?? {}).some((k) => k.startsWith('__react')),
    );
    if (lang === 'en') await kiosk.getByRole('button', { name: 'English' }).click();
    const k = KIOSK[lang];
    await expect(kiosk.getByText(k.idle)).toBeVisible();
    // The card and phone of the "hold it here" animation carry words: check them at the animation's start, when
    // they were faded (not at whichever frame axe happens to see).
    await kiosk.evaluate(() =>
      document.getAnimations().forEach((a) => {
        a.pause();
        a.currentTime = 0;
      }),
    );
    await check(kiosk, lang, 'kiosk-idle');
    await kiosk.evaluate(() => document.getAnimations().forEach((a) => a.play()));

    // A new person's Căn cước QR, as a keyboard-wedge scanner types it (ASCII only).
    const id = `0581${String(randomInt(40, 99))}${String(randomInt(1e6)).padStart(6, '0')}`;
    const payload = cccdPayload({
      id,
      name: 'Truong Thi Kiem Tra',
      dob: `0101 19${id.slice(4, 6)}`.replace(' ', ''),
      sex: 'Nữ',
      address: 'Thon 2 Xa Phuoc Hau',
      issued: '01012024',
      layout: '2024',
    });
    await kiosk.keyboard.type(payload.normalize('NFD').replace(/\p{M}/gu, ''), { delay: 5 });
    await kiosk.keyboard.press('Enter');
    await expect(kiosk.getByRole('heading', { name: k.confirm })).toBeVisible();
    await check(kiosk, lang, 'kiosk-confirm');
    await kiosk.getByRole('button', { name: k.yes }).click();
    await expect(kiosk.getByRole('heading', { name: k.rooms })).toBeVisible();
    await check(kiosk, lang, 'kiosk-rooms');
    await kiosk.getByRole('button', { name: /Phòng khám Nội 1/ }).click();
    await expect(kiosk.getByRole('heading', { name: k.payer })).toBeVisible();
    await check(kiosk, lang, 'kiosk-payer');
    await kiosk.getByRole('button', { name: k.selfPay }).click();
    await expect(kiosk.getByRole('heading', { name: k.ticket })).toBeVisible();
    await expect(kiosk.getByTestId('kiosk-queue')).toHaveText(/^\d+$/);
    await check(kiosk, lang, 'kiosk-ticket');
    await context.close();
  });
}
