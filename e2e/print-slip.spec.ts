import { expect, test, type Page } from '@playwright/test';
import { randomInt } from 'node:crypto';
import { createDb, type Db } from '../lib/db/client';
import { e2eDatabaseUrl, signIn, SAME_ORIGIN } from './fixtures';
import { DeskPage } from './pages/desk';

let db: Db;
test.beforeAll(async () => {
  db = createDb(await e2eDatabaseUrl(), 2);
});
test.afterAll(async () => {
  await db.$disconnect();
});

const printedRows = (encounterId: string) =>
  db.auditEvent.count({ where: { action: 'EXAM_SLIP_PRINTED', entityId: encounterId } });

/** Page sizes (points) from the PDF's page objects. */
function pdfPageSizes(pdf: Buffer): { width: number; height: number }[] {
  const text = pdf.toString('latin1');
  return [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => ({
    width: Number(m[1]),
    height: Number(m[2]),
  }));
}

async function checkedInOnDesk(page: Page) {
  const personalId = `0580${String(randomInt(10)).repeat(1)}${String(randomInt(1e7)).padStart(7, '0')}`;
  const created = await page.request.post('/api/v1/checkins', {
    headers: SAME_ORIGIN,
    data: {
      identifier: { system: 'PERSONAL_ID', value: personalId },
      roomCode: 'P03',
      newPatient: { fullName: 'Mang Thị Phiếu', dateOfBirth: '1985-05-05', sex: 'F' },
    },
  });
  expect(created.status()).toBe(201);
  const encounterId = (await created.json()).encounter.id as string;
  const desk = new DeskPage(page);
  await desk.chooseRoom('P03');
  await desk.type(personalId);
  await desk.checkedIn(undefined, { existing: true });
  return encounterId;
}

test('F2 prints the exam slip through a same-origin frame: the dialog opens, and only then is it recorded', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, 'letan');
  const encounterId = await checkedInOnDesk(page);
  const slipUrl = `/tiep-don/phieu/${encounterId}`;

  // Opening the slip page is not printing it.
  const view = await page.context().newPage();
  await view.goto(slipUrl);
  await expect(view.getByText('PHIẾU KHÁM BỆNH', { exact: false })).toBeVisible();
  expect(await printedRows(encounterId)).toBe(0);

  // The print frame's dialog: count the frame's beforeprint events (headless Chromium fires them, then returns).
  await page.evaluate(() => {
    (window as unknown as { dialogs: number }).dialogs = 0;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) {
          if (n instanceof HTMLIFrameElement)
            n.addEventListener('load', () =>
              n.contentWindow?.addEventListener('beforeprint', () => {
                (window as unknown as { dialogs: number }).dialogs++;
              }),
            );
        }
    }).observe(document.body, { childList: true });
  });
  const printed = page.waitForRequest(
    (r) => r.url().endsWith(`/api/v1/encounters/${encounterId}/slip-printed`) && r.method() === 'POST',
  );
  await page.keyboard.press('F2');
  await printed;
  await expect.poll(() => printedRows(encounterId)).toBe(1);
  expect(await page.evaluate(() => (window as unknown as { dialogs: number }).dialogs)).toBe(1);
  const frame = page.frames().find((f) => f.url().endsWith(slipUrl));
  expect(frame, 'the slip frame loaded (not refused)').toBeTruthy();
  await expect(frame!.locator('[data-printable]')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Kết quả tiếp đón' }).getByRole('alert')).toHaveCount(0);

  // The button prints too.
  await page.getByRole('button', { name: /In phiếu/ }).click();
  await expect.poll(() => printedRows(encounterId)).toBe(2);
  expect(errors.filter((e) => /print|frame|Content Security Policy/i.test(e))).toEqual([]);

  // The slip on paper: one 80 mm wide page (the page box of its CSS), as a thermal printer gets it.
  await view.emulateMedia({ media: 'print' });
  const pdf = await view.pdf({ preferCSSPageSize: true, printBackground: true });
  const pages = pdfPageSizes(pdf);
  expect(pages).toHaveLength(1);
  expect((pages[0]!.width * 25.4) / 72).toBeCloseTo(80, 0);
  expect(errors).toEqual([]);
});

test('a slip that cannot be shown is not printed and not recorded', async ({ page }) => {
  await signIn(page, 'letan');
  const encounterId = await checkedInOnDesk(page);
  // The slip answers with an error page (e.g. the server restarted mid-way): nothing to print.
  await page.route(`**/tiep-don/phieu/${encounterId}`, (route) =>
    route.fulfill({ status: 500, contentType: 'text/html', body: '<html><body>Lỗi</body></html>' }),
  );
  await page.keyboard.press('F2');
  await expect(page.getByRole('region', { name: 'Kết quả tiếp đón' }).getByRole('alert')).toContainText(
    'Không mở được hộp thoại in phiếu',
  );
  expect(await printedRows(encounterId)).toBe(0);
});
