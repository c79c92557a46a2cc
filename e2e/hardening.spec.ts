import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createDb } from '../lib/db/client';
import { E2E_PORT } from '../playwright.config';
import { e2eDatabaseUrl, signIn } from './fixtures';

/** Issue 10's "rest of the review" through the real server: cross-site writes, body caps. */

const APP = `http://localhost:${E2E_PORT}`;

async function helpdeskEntries(requestId: string): Promise<number> {
  const db = createDb(await e2eDatabaseUrl(), 1);
  try {
    return await db.helpdeskEntry.count({ where: { requestId } });
  } finally {
    await db.$disconnect();
  }
}

const helpdeskBody = (requestId: string) => ({ requestId, service: 'LINK_BHYT', outcome: 'DONE' });

test('writes with the session cookie need a same-origin request (403) and JSON (415); API keys are not affected', async ({
  page,
  request,
}) => {
  await signIn(page, 'hotro');
  const body = helpdeskBody(randomUUID());
  const post = (headers: Record<string, string>, data: string = JSON.stringify(body)) =>
    page.request.post('/api/v1/helpdesk', { headers, data });

  const noProof = await post({ 'content-type': 'application/json' });
  expect(noProof.status()).toBe(403);
  expect((await noProof.json()).error).toMatchObject({
    code: 'CROSS_SITE',
    message: expect.stringMatching(/không xuất phát từ trang của ứng dụng/),
  });
  expect((await post({ 'content-type': 'application/json', origin: 'http://evil.example' })).status()).toBe(403);
  expect(
    (await post({ 'content-type': 'application/json', origin: `http://localhost:${E2E_PORT + 1}` })).status(),
  ).toBe(403);
  expect(
    (await post({ 'content-type': 'application/json', origin: APP, 'sec-fetch-site': 'same-site' })).status(),
  ).toBe(403);
  const plain = await post({ 'content-type': 'text/plain', origin: APP });
  expect(plain.status()).toBe(415);
  expect((await plain.json()).error.message).toBe('Dữ liệu gửi lên phải có Content-Type: application/json.');
  expect(
    (await post({ 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' })).status(),
  ).toBe(415);
  expect(await helpdeskEntries(body.requestId)).toBe(0);
  expect(
    (await post({ 'content-type': 'application/json; charset=utf-8', 'sec-fetch-site': 'same-origin' })).status(),
  ).toBe(201);
  expect(await helpdeskEntries(body.requestId)).toBe(1);
  // Reads are not writes.
  expect((await page.request.get('/api/v1/me')).status()).toBe(200);

  // An API key is not sent by browsers on their own: no origin or content-type rule for it.
  const db = createDb(await e2eDatabaseUrl(), 1);
  const { createApiKey } = await import('../lib/auth/api-keys');
  const facility = await db.facility.findFirstOrThrow({ where: { code: '58999' } });
  const { key } = await createApiKey(db, { name: 'may-tram-e2e', role: 'SUPPORT', facilityId: facility.id });
  await db.$disconnect();
  const viaKey = await request.post('/api/v1/helpdesk', {
    headers: { authorization: `Bearer ${key}`, 'content-type': 'text/plain' },
    data: JSON.stringify(helpdeskBody(randomUUID())),
  });
  expect(viaKey.status()).toBe(201);
});

test('same-origin means the address the desk opened, not localhost', async ({ browser }) => {
  // The server as a LAN desk reaches it: by IP address. Its pages' own writes work; another port is another origin.
  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${E2E_PORT}` });
  const page = await context.newPage();
  await signIn(page, 'hotro');
  const requestId = randomUUID();
  const status = await page.evaluate(
    async (body) =>
      (
        await fetch('/api/v1/helpdesk', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status,
    helpdeskBody(requestId),
  );
  expect(status).toBe(201);
  const foreign = await page.request.post('/api/v1/helpdesk', {
    headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${E2E_PORT + 1}` },
    data: helpdeskBody(randomUUID()),
  });
  expect(foreign.status()).toBe(403);
  await context.close();
});

test("a page of another app on the same server cannot write with the desk's cookie", async ({ page }) => {
  // Same site (localhost), another port: the browser sends the SameSite=Lax session cookie along with a simple
  // text/plain POST. Before the origin and JSON rules this recorded an entry.
  const requestId = randomUUID();
  const attacker = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><title>x</title><script>
      fetch(${JSON.stringify(`${APP}/api/v1/helpdesk`)}, { method: 'POST', mode: 'no-cors', credentials: 'include',
        headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(JSON.stringify(helpdeskBody(requestId)))} })
        .finally(() => { document.title = 'sent'; });
    </script>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  try {
    await signIn(page, 'hotro');
    await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
    await expect(page).toHaveTitle('sent');
    expect(await helpdeskEntries(requestId)).toBe(0);
  } finally {
    attacker.close();
  }
});

/**
 * Sends a 20 MB body (chunked, or with its Content-Length declared) over a plain socket, one 64 KB chunk per turn
 * of the event loop, and reports the answer and how much had been written when it came. The server closes the
 * connection after its 413: write errors after the answer are expected.
 */
function sendHugeBody(
  path: string,
  headers: Record<string, string>,
  declared = false,
): Promise<{ status: number; sentWhenAnswered: number; body: string }> {
  const total = 20 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered: number | null = null;
    let received = '';
    const socket = net.connect(E2E_PORT, '127.0.0.1');
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: localhost:${E2E_PORT}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      declared ? `Content-Length: ${total}` : 'Transfer-Encoding: chunked',
      '',
      '',
    ].join('\r\n');
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const framed = declared
      ? chunk
      : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    const done = () => {
      const match = /^HTTP\/1\.1 (\d{3})[\s\S]*?\r\n\r\n([\s\S]*)$/.exec(received);
      if (!match || answered === null)
        return reject(new Error(`no answer after ${sent} bytes: ${received.slice(0, 200)}`));
      const body = match[2]!;
      resolve({
        status: Number(match[1]),
        sentWhenAnswered: answered,
        body: body.includes('{') ? body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1) : body,
      });
    };
    socket.on('data', (d) => {
      if (answered === null) answered = sent;
      received += d.toString('utf8');
    });
    socket.on('error', () => {}); // EPIPE/ECONNRESET once the server has answered and closed
    socket.on('close', done);
    socket.write(head);
    const pump = () => {
      if (answered !== null || socket.destroyed) return;
      if (sent >= total) return void socket.end(declared ? '' : '0\r\n\r\n');
      sent += chunk.length;
      socket.write(framed, () => setImmediate(pump));
    };
    pump();
  });
}

async function cookieHeader(page: Page): Promise<string> {
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
}

test('a 20 MB body is refused with 413 while it streams, on the API and on the sign-in endpoint', async ({ page }) => {
  await signIn(page, 'letan');
  const api = await sendHugeBody('/api/v1/checkins', {
    cookie: await cookieHeader(page),
    origin: APP,
    'content-type': 'application/json',
  });
  expect(api.status).toBe(413);
  expect(JSON.parse(api.body).error.code).toBe('BODY_TOO_LARGE');
  expect(api.sentWhenAnswered).toBeLessThan(20 * 1024 * 1024);

  const signInEndpoint = await sendHugeBody('/api/auth/callback/credentials', {
    origin: APP,
    'content-type': 'application/x-www-form-urlencoded',
  });
  expect(signInEndpoint.status).toBe(413);
  expect(signInEndpoint.sentWhenAnswered).toBeLessThan(20 * 1024 * 1024);

  // A declared length over the cap is refused before any of it is read.
  const declared = await sendHugeBody(
    '/api/v1/checkins',
    { cookie: await cookieHeader(page), origin: APP, 'content-type': 'application/json' },
    true,
  );
  expect(declared.status).toBe(413);
  expect(declared.sentWhenAnswered).toBeLessThan(20 * 1024 * 1024);
  // The server is still fine, and a normal sign-in still works.
  await page.context().clearCookies();
  await signIn(page, 'letan');
});

/** A sign-in POST as next-auth's form sends it (its CSRF token first), with extra headers. */
async function signInRequest(
  request: APIRequestContext,
  username: string,
  password: string,
  headers: Record<string, string> = {},
) {
  const csrf = await request.get('/api/auth/csrf');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await request.post('/api/auth/callback/credentials', {
    headers: { origin: APP, ...headers },
    form: { csrfToken, username, password, json: 'true', callbackUrl: `${APP}/` },
  });
  return { status: response.status(), body: await response.text() };
}

test('sign-in answers alike for an unknown, disabled, locked or wrong account; a hostile X-Forwarded-For is audited as the real peer', async ({
  playwright,
}) => {
  const db = createDb(await e2eDatabaseUrl(), 1);
  const { createUser } = await import('../lib/auth/users');
  const suffix = randomUUID().slice(0, 6);
  for (const name of ['sai', 'tat', 'khoa']) {
    await createUser(db, {
      username: `e2e-${name}-${suffix}`,
      fullName: 'Tài Khoản Thử',
      role: 'RECEPTIONIST',
      facilityCode: '58999',
      password: 'Thu@12345',
    });
  }
  await db.user.update({ where: { username: `e2e-tat-${suffix}` }, data: { active: false } });
  await db.user.update({
    where: { username: `e2e-khoa-${suffix}` },
    data: { lockedUntil: new Date(Date.now() + 3_600_000), failedLogins: 5 },
  });

  const answers: Record<string, { status: number; body: string }> = {};
  for (const [kind, username, password] of [
    ['unknown', `e2e-khong-${suffix}`, 'Thu@12345'],
    ['disabled', `e2e-tat-${suffix}`, 'Thu@12345'],
    ['locked', `e2e-khoa-${suffix}`, 'Thu@12345'],
    ['wrong', `e2e-sai-${suffix}`, 'Sai@12345'],
  ] as const) {
    const request = await playwright.request.newContext({ baseURL: APP });
    answers[kind] = await signInRequest(request, username, password, {
      'x-forwarded-for': kind === 'wrong' ? `${'9'.repeat(4000)}, 203.0.113.9` : '203.0.113.9',
    });
    await request.dispose();
  }
  expect(new Set(Object.values(answers).map((a) => JSON.stringify(a))).size, JSON.stringify(answers)).toBe(1);
  expect(answers.wrong!.body).toContain('error=INVALID');

  const rows = await db.auditEvent.findMany({
    where: { action: 'LOGIN_FAILED', actorName: { endsWith: suffix } },
    select: { actorName: true, ip: true, details: true },
  });
  expect(rows).toHaveLength(4); // every one audited, the 4 KB header included
  for (const row of rows) expect(row.ip, row.actorName!).toBe('127.0.0.1'); // the socket's address, not the header's
  await db.$disconnect();
});

test("the desk's background refreshes do not count as activity; a keystroke does", async ({ page }) => {
  await signIn(page, 'letan');
  await expect(page).toHaveURL(/\/tiep-don$/);
  const db = createDb(await e2eDatabaseUrl(), 1);
  const lastSeen = async () =>
    (
      await db.userSession.findFirstOrThrow({
        where: { user: { username: 'letan' }, endedAt: null },
        orderBy: { createdAt: 'desc' },
      })
    ).lastSeenAt.getTime();
  // Let the page finish loading, then watch two refreshes of today's list go by.
  await page.waitForLoadState('networkidle');
  const before = await lastSeen();
  const polls: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/v1/encounters?')) polls.push(r.headers()['x-tiepdon-poll'] ?? 'none');
  });
  await expect.poll(() => polls.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  expect(polls.every((h) => h === '1')).toBe(true);
  expect(await lastSeen()).toBe(before);
  // A person at the keyboard (after the first minute) is reported as activity.
  await page.clock.install({ time: new Date(Date.now() + 61_000) });
  await page.keyboard.press('Shift');
  await expect.poll(lastSeen, { timeout: 10_000 }).toBeGreaterThan(before);
  await db.$disconnect();
});

test('API keys: made on the admin page with an end date, listed with their last use, revoked there; expired keys get 401', async ({
  page,
  request,
}) => {
  await signIn(page, 'quantri');
  await page.goto('/quan-tri');
  const panel = page.getByRole('region', { name: 'Khóa API' });
  const name = `kiosk-${randomUUID().slice(0, 6)}`;
  await panel.getByLabel('Tên khóa (vd. kiosk-sanh-a)').fill(name);
  await panel.getByLabel('Vai trò').selectOption('RECEPTIONIST');
  await panel.getByLabel('Thời hạn').selectOption('30');
  await panel.getByRole('button', { name: 'Tạo khóa' }).click();
  const key = (await panel.getByRole('status').locator('output').textContent())!.trim();
  expect(key).toMatch(/^td_[0-9a-f]{12}_/);
  const row = panel.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Chưa dùng');
  await expect(row).toContainText('Hiệu lực');
  const db = createDb(await e2eDatabaseUrl(), 1);
  const stored = await db.apiKey.findFirstOrThrow({ where: { name } });
  expect(Math.abs(stored.expiresAt!.getTime() - stored.createdAt.getTime() - 30 * 86_400_000)).toBeLessThan(60_000);

  expect((await request.get('/api/v1/me', { headers: { authorization: `Bearer ${key}` } })).status()).toBe(200);
  await page.reload();
  await expect(row).toContainText(/\d\d\/\d\d\/\d{4} \d\d:\d\d/); // last use
  await page.screenshot({ path: 'test-results/screens/admin-api-keys.png', fullPage: true });

  page.once('dialog', (d) => void d.accept());
  await row.getByRole('button', { name: `Thu hồi ${name}` }).click();
  await expect(row).toContainText('Đã thu hồi');
  const revoked = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${key}` } });
  expect(revoked.status()).toBe(401);
  expect(await db.auditEvent.count({ where: { action: 'API_KEY_REVOKED', entityId: stored.id } })).toBe(1);

  // A key made by the CLI with --expires-days, past its end date.
  const output = execFileSync(
    'npx',
    [
      'tsx',
      'lib/cli/index.ts',
      'apikey',
      'create',
      '--name',
      `${name}-cli`,
      '--role',
      'SUPPORT',
      '--facility',
      '58999',
      '--expires-days',
      '1',
    ],
    {
      env: { ...process.env, DATABASE_URL: await e2eDatabaseUrl() },
      encoding: 'utf8',
    },
  );
  const cliKey = output.trim().split('\n').at(-1)!;
  expect(output).toMatch(/hết hạn \d{4}-\d\d-\d\dT/);
  expect((await request.get('/api/v1/me', { headers: { authorization: `Bearer ${cliKey}` } })).status()).toBe(200);
  await db.apiKey.updateMany({ where: { name: `${name}-cli` }, data: { expiresAt: new Date(Date.now() - 1000) } });
  await new Promise((r) => setTimeout(r, 1000));
  // (the app remembers a verified key for at most 30 s, never past its end date: this one's date moved, so look again later)
  await expect
    .poll(async () => (await request.get('/api/v1/me', { headers: { authorization: `Bearer ${cliKey}` } })).status(), {
      timeout: 40_000,
      intervals: [2000],
    })
    .toBe(401);
  await page.reload();
  await expect(panel.getByRole('row').filter({ hasText: `${name}-cli` })).toContainText('Đã hết hạn');
  await db.$disconnect();
});

test("the web server process does not hold the XML0 signing key's password; the launcher does", async () => {
  const db = createDb(await e2eDatabaseUrl(), 1);
  const web = await db.processHeartbeat.findFirstOrThrow({ where: { kind: 'WEB' }, orderBy: { lastSeenAt: 'desc' } });
  await db.$disconnect();
  const environ = (pid: number) =>
    new Map(
      fs
        .readFileSync(`/proc/${pid}/environ`, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
  const parent = Number(fs.readFileSync(`/proc/${web.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
  expect(environ(parent).get('BHXH_SIGNING_P12_PASSWORD')).toBe('e2e-signing-password');
  const own = environ(web.pid);
  expect(own.has('BHXH_SIGNING_P12_PASSWORD')).toBe(false);
  expect(own.get('NEXTAUTH_SECRET')).toBeTruthy(); // its own secret it keeps
});
