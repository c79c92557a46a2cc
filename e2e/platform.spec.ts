import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { DEMO_FACILITY } from '../lib/db/demo';
import { E2E_ACCOUNTS, e2eDatabaseUrl, signIn } from './fixtures';

test('health answers 200 when the database is migrated', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('nobody unauthenticated reads anything but /login and /api/health', async ({ page, request }) => {
  for (const path of ['/tiep-don', '/tra-cuu', '/bao-cao', '/quan-tri', '/']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/login$/);
  }
  const me = await request.get('/api/v1/me');
  expect(me.status()).toBe(401);
  expect((await me.json()).error.message).toMatch(/Chưa đăng nhập/);
});

test('a receptionist signs in, lands on the desk, and sees only the desk', async ({ page }) => {
  await signIn(page, 'letan');
  await expect(page).toHaveURL(/\/tiep-don$/);
  await expect(page.getByRole('heading', { name: 'Tiếp đón người bệnh' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Chức năng' });
  await expect(nav.getByRole('link')).toHaveText(['Tiếp đón']);
  await page.screenshot({ path: 'test-results/screens/desk-letan.png' });
});

test('role boundaries hold on the server, not just in the menu', async ({ page }) => {
  await signIn(page, 'letan');
  for (const path of ['/bao-cao', '/tra-cuu', '/quan-tri']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/khong-co-quyen/);
    await expect(page.getByRole('heading', { name: 'Không có quyền truy cập' })).toBeVisible();
  }
  const keys = await page.request.get('/api/v1/api-keys');
  expect(keys.status()).toBe(403);

  await page.context().clearCookies();
  await signIn(page, 'quanly');
  await expect(page).toHaveURL(/\/bao-cao$/);
  await page.goto('/tiep-don');
  await expect(page).toHaveURL(/\/khong-co-quyen/);
});

test('each role lands on its own area', async ({ browser }) => {
  const homes = { letan: '/tiep-don', hotro: '/tra-cuu', quanly: '/bao-cao', quantri: '/quan-tri' };
  for (const [username, home] of Object.entries(homes)) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, username);
    await expect(page).toHaveURL(new RegExp(`${home}$`));
    await context.close();
  }
});

test('five wrong passwords lock the account; the right one does not open it', async ({ page }) => {
  const account = E2E_ACCOUNTS[0]!;
  await page.goto('/login');
  for (let i = 1; i <= 5; i++) {
    await page.getByLabel('Tên đăng nhập').fill(account.username);
    await page.getByLabel('Mật khẩu').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page.locator('form').getByRole('alert')).toHaveText(i < 5 ? 'Sai tên đăng nhập hoặc mật khẩu.' : /Tài khoản tạm khóa/);
  }
  await page.getByLabel('Mật khẩu').fill(account.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText(/Tài khoản tạm khóa do nhập sai nhiều lần\. Thử lại sau \d\d:\d\d\./);
  await expect(page).toHaveURL(/\/login/);
  await page.screenshot({ path: 'test-results/screens/login-locked.png' });
});

test('sign-out ends the session on the server', async ({ page }) => {
  await signIn(page, 'letan');
  const cookies = await page.context().cookies();
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await expect(page).toHaveURL(/\/login/);
  // Replaying the old cookie must not work: the server-side session is closed.
  await page.context().addCookies(cookies);
  await page.goto('/tiep-don');
  await expect(page).toHaveURL(/\/login$/);
});

test('API keys: created by the CLI, accepted as Bearer, role-checked, rejected when wrong', async ({ request }) => {
  const output = execFileSync('npx', ['tsx', 'lib/cli/index.ts', 'apikey', 'create', '--name', 'kiosk-e2e', '--role', 'RECEPTIONIST', '--facility', DEMO_FACILITY.code], {
    env: { ...process.env, DATABASE_URL: await e2eDatabaseUrl() },
    encoding: 'utf8',
  });
  const key = output.trim().split('\n').at(-1)!;
  expect(key).toMatch(/^td_[0-9a-f]{12}_/);
  const me = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ kind: 'API_KEY', name: 'kiosk-e2e', role: 'RECEPTIONIST', facilityCode: DEMO_FACILITY.code, areas: ['desk'] });
  expect((await request.get('/api/v1/api-keys', { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(403);
  const wrong = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${key.slice(0, -2)}xx` } });
  expect(wrong.status()).toBe(401);
});

test('malformed or invalid bodies get a 400 with a readable message and change nothing', async ({ page }) => {
  await signIn(page, 'quantri');
  const before = (await (await page.request.get('/api/v1/api-keys')).json()).keys.length;
  const broken = await page.request.post('/api/v1/api-keys', { data: Buffer.from('{"name": "x"'), headers: { 'content-type': 'application/json' } });
  expect(broken.status()).toBe(400);
  expect((await broken.json()).error).toMatchObject({ code: 'INVALID_JSON', message: 'Dữ liệu gửi lên không phải JSON hợp lệ.' });
  const invalid = await page.request.post('/api/v1/api-keys', { data: { name: 'máy quét 1', role: 'GOD' } });
  expect(invalid.status()).toBe(400);
  expect((await invalid.json()).error.message).toMatch(/^Dữ liệu không hợp lệ: role: Vai trò phải là/);
  const extra = await page.request.post('/api/v1/api-keys', { data: { name: 'máy quét 1', role: 'RECEPTIONIST', admin: true } });
  expect(extra.status()).toBe(400);
  expect((await extra.json()).error.message).toMatch(/^Dữ liệu không hợp lệ: /);
  const notObject = await page.request.post('/api/v1/api-keys', { data: Buffer.from('"kiosk"'), headers: { 'content-type': 'application/json' } });
  expect(notObject.status()).toBe(400);
  expect((await notObject.json()).error.message).toMatch(/^Dữ liệu không hợp lệ: .*(object|đối tượng)/i);
  expect((await (await page.request.get('/api/v1/api-keys')).json()).keys.length).toBe(before);
  const ok = await page.request.post('/api/v1/api-keys', { data: { name: 'máy quét 1', role: 'RECEPTIONIST' } });
  expect(ok.status()).toBe(201);
});

test('the interface switches to English and back', async ({ page }) => {
  await signIn(page, 'quantri');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: 'Check-in' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Administration' })).toBeVisible();
  await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  await expect(page.getByRole('link', { name: 'Tiếp đón' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/admin.png', fullPage: true });
});

