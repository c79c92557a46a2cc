import { expect, test } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { createDb } from '../lib/db/client';
import { DEMO_FACILITY } from '../lib/db/demo';
import { createUser } from '../lib/auth/users';
import { e2eDatabaseUrl, signIn } from './fixtures';

/**
 * Issue 10, users: an administrator resets a receptionist's password on the admin page (shown once); the
 * receptionist must change it before anything else (pages and API refuse until then); disabling the account ends
 * the session they have open.
 */
test('reset password on the admin page → forced change at sign-in → disable ends the session', async ({
  page,
  browser,
}) => {
  const username = `e2e-doimk-${randomUUID().slice(0, 6)}`;
  const db = createDb(await e2eDatabaseUrl(), 1);
  await createUser(db, {
    username,
    fullName: 'Đổi Mật Khẩu (e2e)',
    role: 'RECEPTIONIST',
    facilityCode: DEMO_FACILITY.code,
    password: 'Cu@Passw0rd',
  });

  await signIn(page, 'quantri');
  await page.goto('/quan-tri');
  const panel = page.getByRole('region', { name: 'Người dùng' });
  const row = panel.getByRole('row').filter({ hasText: username });
  await expect(row).toContainText('Người dùng tự đặt');
  await expect(panel.getByRole('row').filter({ hasText: 'quantri' })).toContainText('(bạn)');
  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: `Cấp lại mật khẩu ${username}` }).click();
  const temporary = (await panel.getByRole('status').locator('output').textContent())!.trim();
  expect(temporary).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
  await expect(row).toContainText('Tạm thời (chưa đổi)');

  // The receptionist, at another desk.
  const desk = await (await browser.newContext()).newPage();
  await signIn(desk, username, temporary);
  await expect(desk).toHaveURL(/\/doi-mat-khau$/);
  await expect(desk.getByRole('status')).toContainText('mật khẩu tạm thời');
  await desk.goto('/tiep-don');
  await expect(desk).toHaveURL(/\/doi-mat-khau$/);
  const refused = await desk.evaluate(async () => {
    const res = await fetch('/api/v1/encounters');
    return { status: res.status, body: await res.json() };
  });
  expect(refused).toMatchObject({ status: 403, body: { error: { code: 'PASSWORD_CHANGE_REQUIRED' } } });
  await desk.screenshot({ path: 'test-results/screens/change-password.png', fullPage: true });

  await desk.getByLabel('Mật khẩu hiện tại').fill(temporary);
  await desk.getByLabel('Mật khẩu mới', { exact: true }).fill('Demo@12345');
  await desk.getByLabel('Nhập lại mật khẩu mới').fill('Demo@12345');
  await desk.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await expect(desk.locator('form').getByRole('alert')).toContainText('mật khẩu demo');
  await desk.getByLabel('Mật khẩu mới', { exact: true }).fill('Rieng@Passw0rd');
  await desk.getByLabel('Nhập lại mật khẩu mới').fill('Rieng@Passw0rd');
  await desk.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await expect(desk).toHaveURL(/\/tiep-don$/);
  expect((await db.user.findUniqueOrThrow({ where: { username } })).passwordState).toBe('OWN');

  // The administrator disables the account: the open desk session ends at once.
  await page.reload();
  await expect(row).toContainText('Người dùng tự đặt');
  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: `Ngừng ${username}` }).click();
  await expect(row).toContainText('Ngừng hoạt động');
  await desk.reload();
  await expect(desk).toHaveURL(/\/login$/);
  await row.getByRole('button', { name: `Kích hoạt ${username}` }).click();
  await expect(row).toContainText('Hoạt động');
  await signIn(desk, username, 'Rieng@Passw0rd');
  await expect(desk).toHaveURL(/\/tiep-don$/);
  await db.$disconnect();
});
