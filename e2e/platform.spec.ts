import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { DEMO_FACILITY } from '../lib/db/demo';
import { createDb } from '../lib/db/client';
import { E2E_ACCOUNTS, e2eDatabaseUrl, signIn, SAME_ORIGIN } from './fixtures';

test('health answers 200 when the database is migrated, and tells the truth about the worker (none here: NO_WORKER=1)', async ({
  request,
}) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({
    status: 'degraded',
    worker: { alive: 0 },
    handoff: { undelivered: expect.any(Number) },
  });
  // With no worker, messages of earlier specs wait: past 10 minutes (a slow run) that is a backlog too, and says so.
  const backlog = (body.handoff.oldestUndeliveredSeconds ?? 0) > 600;
  expect(body.problems).toEqual(backlog ? ['worker-down', 'handoff-backlog'] : ['worker-down']);
  const ready = await request.get('/api/health/ready');
  expect(ready.status()).toBe(503);
  expect((await ready.json()).problems).toContain('worker-down');
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

test('integrators read the API description without signing in: every route with its roles and request schemas', async ({
  request,
}) => {
  const answer = await request.get('/api/v1/openapi.json');
  expect(answer.status()).toBe(200);
  const doc = await answer.json();
  expect(doc.openapi).toBe('3.1.0');
  expect(doc.paths['/api/v1/checkins'].post.description).toBe(
    'Auth: session cookie or API key (Bearer) with role RECEPTIONIST, ADMIN.',
  );
  expect(doc.paths['/api/v1/checkins'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
    'raw',
  );
  expect(doc.paths['/api/v1/encounters'].get.parameters.map((p: { name: string }) => p.name)).toEqual([
    'date',
    'roomCode',
  ]);
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
  // One answer for a wrong password and a locked account alike (it names both): nothing to learn about the account.
  const answer =
    'Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đang tạm khóa do nhập sai nhiều lần (thử lại sau 15 phút hoặc nhờ quản trị mở khóa).';
  for (let i = 1; i <= 5; i++) {
    await page.getByLabel('Tên đăng nhập').fill(account.username);
    await page.getByLabel('Mật khẩu').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page.locator('form').getByRole('alert')).toHaveText(answer);
  }
  await page.getByLabel('Mật khẩu').fill(account.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.locator('form').getByRole('alert')).toHaveText(answer);
  await expect(page).toHaveURL(/\/login/);
  const db = createDb(await e2eDatabaseUrl(), 1);
  expect(
    (await db.user.findUniqueOrThrow({ where: { username: account.username } })).lockedUntil!.getTime(),
  ).toBeGreaterThan(Date.now());
  await db.$disconnect();
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
  const output = execFileSync(
    'npx',
    [
      'tsx',
      'lib/cli/index.ts',
      'apikey',
      'create',
      '--name',
      'kiosk-e2e',
      '--role',
      'RECEPTIONIST',
      '--facility',
      DEMO_FACILITY.code,
    ],
    {
      env: { ...process.env, DATABASE_URL: await e2eDatabaseUrl() },
      encoding: 'utf8',
    },
  );
  const key = output.trim().split('\n').at(-1)!;
  expect(key).toMatch(/^td_[0-9a-f]{12}_/);
  const me = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${key}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({
    kind: 'API_KEY',
    name: 'kiosk-e2e',
    role: 'RECEPTIONIST',
    facilityCode: DEMO_FACILITY.code,
    areas: ['desk'],
  });
  expect((await request.get('/api/v1/api-keys', { headers: { Authorization: `Bearer ${key}` } })).status()).toBe(403);
  const wrong = await request.get('/api/v1/me', { headers: { Authorization: `Bearer ${key.slice(0, -2)}xx` } });
  expect(wrong.status()).toBe(401);
});

test('malformed or invalid bodies get a 400 with a readable message and change nothing', async ({ page }) => {
  await signIn(page, 'quantri');
  const before = (await (await page.request.get('/api/v1/api-keys')).json()).keys.length;
  const broken = await page.request.post('/api/v1/api-keys', {
    data: Buffer.from('{"name": "x"'),
    headers: { ...SAME_ORIGIN, 'content-type': 'application/json' },
  });
  expect(broken.status()).toBe(400);
  expect((await broken.json()).error).toMatchObject({
    code: 'INVALID_JSON',
    message: 'Dữ liệu gửi lên không phải JSON hợp lệ.',
  });
  const invalid = await page.request.post('/api/v1/api-keys', {
    headers: SAME_ORIGIN,
    data: { name: 'máy quét 1', role: 'GOD' },
  });
  expect(invalid.status()).toBe(400);
  expect((await invalid.json()).error.message).toMatch(/^Dữ liệu không hợp lệ: Vai trò phải là/);
  const extra = await page.request.post('/api/v1/api-keys', {
    headers: SAME_ORIGIN,
    data: { name: 'máy quét 1', role: 'RECEPTIONIST', admin: true },
  });
  expect(extra.status()).toBe(400);
  expect((await extra.json()).error.message).toMatch(/^Dữ liệu không hợp lệ: /);
  const notObject = await page.request.post('/api/v1/api-keys', {
    data: Buffer.from('"kiosk"'),
    headers: { ...SAME_ORIGIN, 'content-type': 'application/json' },
  });
  expect(notObject.status()).toBe(400);
  expect((await notObject.json()).error.message).toMatch(/^Dữ liệu không hợp lệ: .*(object|đối tượng)/i);
  expect((await (await page.request.get('/api/v1/api-keys')).json()).keys.length).toBe(before);
  const ok = await page.request.post('/api/v1/api-keys', {
    headers: SAME_ORIGIN,
    data: { name: 'máy quét 1', role: 'RECEPTIONIST' },
  });
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
