import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from '@/lib/validation';
import type { KioskPrincipal, Principal } from '@/lib/auth/roles';

/**
 * apiRoute without a database: the only stand-ins are where the principal comes from (the session, the API key,
 * the kiosk's device cookie), each answering as its table would. Everything else — the CSRF and content-type
 * checks, the role check, the body cap, JSON and schema errors, the error → status mapping — is the real code.
 */
const auth = vi.hoisted(() => ({
  session: null as { sid?: string } | null,
  user: null as Principal | null,
  apiKeys: new Map<string, Principal>(),
  kiosk: null as KioskPrincipal | null,
  kioskCookie: undefined as string | undefined,
}));
vi.mock('next-auth', () => ({ getServerSession: async () => auth.session }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: () => (auth.kioskCookie ? { value: auth.kioskCookie } : undefined) }),
}));
vi.mock('@/lib/db/client', () => ({ getDb: () => ({}) }));
vi.mock('@/lib/auth/sessions', async (original) => ({
  ...(await original<object>()),
  touchSession: async () => auth.user,
}));
vi.mock('@/lib/auth/api-keys', async (original) => ({
  ...(await original<object>()),
  verifyApiKey: async (_db: unknown, key: string) => auth.apiKeys.get(key) ?? null,
}));
vi.mock('@/lib/kiosk/devices', async (original) => ({
  ...(await original<object>()),
  kioskFromToken: async (_db: unknown, token: string) => (token === 'good' ? auth.kiosk : null),
}));

const { apiRoute } = await import('./guard');
const { DomainError } = await import('@/lib/errors');
const { log } = await import('@/lib/log');

const receptionist: Principal = {
  kind: 'USER',
  id: 'u1',
  name: 'letan01',
  role: 'RECEPTIONIST',
  facilityId: 'f1',
  facilityCode: '58999',
  sessionId: 's1',
};
const kiosk: KioskPrincipal = {
  kind: 'KIOSK',
  id: 'k1',
  name: 'Kiosk sảnh A',
  facilityId: 'f1',
  facilityCode: '58999',
};

beforeEach(() => {
  auth.session = { sid: 's1' };
  auth.user = receptionist;
  auth.apiKeys = new Map([
    ['desk-key', { ...receptionist, kind: 'API_KEY', id: 'key1', name: 'desk-1' }],
    ['monitor-key', { ...receptionist, kind: 'API_KEY', role: 'MONITOR' }],
  ]);
  auth.kiosk = kiosk;
  auth.kioskCookie = undefined;
});

const URL_ = 'http://desk.local:3000/api/v1/things';
/** A request as our own page sends it (same origin, JSON). */
const fromPage = (init: { method?: string; body?: string; headers?: Record<string, string> } = {}) =>
  new Request(URL_, {
    method: init.method ?? 'POST',
    body: init.body ?? (init.method === 'GET' ? undefined : '{}'),
    headers: {
      host: 'desk.local:3000',
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
      ...init.headers,
    },
  });
const params = (p: Record<string, string>) => ({ params: Promise.resolve(p) });
type Route = (req: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const call = async (route: Route, req: Request, p: Record<string, string> = {}) => {
  const res = await route(req, params(p));
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as {
      error?: { code: string; message: string; [k: string]: unknown };
      [k: string]: unknown;
    },
  };
};
const echo = apiRoute(
  {
    area: 'desk',
    body: z.object({ name: z.string().min(1, 'Họ tên không được để trống'), age: z.coerce.number().int().optional() }),
  },
  async ({ principal, body, params: p }) => Response.json({ who: principal.name, body, params: p }),
);

describe('who may call', () => {
  it('a signed-in receptionist: the handler gets the principal, the parsed body and the route params', async () => {
    const r = await call(echo, fromPage({ body: JSON.stringify({ name: 'Trần Mẫu', age: '42', extra: 1 }) }), {
      id: 'p1',
    });
    expect(r).toMatchObject({
      status: 200,
      body: { who: 'letan01', body: { name: 'Trần Mẫu', age: 42 }, params: { id: 'p1' } },
    });
  });

  it('no session: 401 in Vietnamese', async () => {
    auth.session = null;
    expect(await call(echo, fromPage())).toMatchObject({
      status: 401,
      body: { error: { code: 'UNAUTHENTICATED', message: 'Chưa đăng nhập hoặc phiên đã hết hạn.' } },
    });
    auth.session = { sid: 's-expired' };
    auth.user = null;
    expect((await call(echo, fromPage())).status).toBe(401);
  });

  it('a role outside the area: 403; `roles` replaces the area roles; `area: null` is any staff but MONITOR', async () => {
    auth.user = { ...receptionist, role: 'MANAGER' };
    expect(await call(echo, fromPage())).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: 'Tài khoản không có quyền thực hiện thao tác này.' } },
    });
    const metrics = apiRoute({ area: null, roles: ['MONITOR', 'ADMIN'] }, async () => Response.json({ ok: true }));
    expect((await call(metrics, fromPage({ method: 'GET' }))).status).toBe(403);
    expect(
      (await call(metrics, fromPage({ method: 'GET', headers: { authorization: 'Bearer monitor-key' } }))).status,
    ).toBe(200);
    const anyStaff = apiRoute({ area: null }, async () => Response.json({ ok: true }));
    expect((await call(anyStaff, fromPage({ method: 'GET' }))).status).toBe(200);
    expect(
      (await call(anyStaff, fromPage({ method: 'GET', headers: { authorization: 'Bearer monitor-key' } }))).status,
    ).toBe(403);
  });

  it('several areas: a role of any of them may call; `forbidden` words the 403 for this route', async () => {
    const both = apiRoute(
      { area: ['desk', 'search'], forbidden: 'Chỉ quầy tiếp đón và bộ phận hỗ trợ được xem.' },
      async () => Response.json({ ok: true }),
    );
    for (const role of ['RECEPTIONIST', 'SUPPORT', 'ADMIN'] as const) {
      auth.user = { ...receptionist, role };
      expect((await call(both, fromPage({ method: 'GET' }))).status).toBe(200);
    }
    auth.user = { ...receptionist, role: 'MANAGER' };
    expect(await call(both, fromPage({ method: 'GET' }))).toMatchObject({
      status: 403,
      body: { error: { code: 'FORBIDDEN', message: 'Chỉ quầy tiếp đón và bộ phận hỗ trợ được xem.' } },
    });
  });

  it('a generated password must be changed first (403 with where), except on routes open before the change', async () => {
    auth.user = { ...receptionist, mustChangePassword: true };
    expect(await call(echo, fromPage({ body: '{"name":"A"}' }))).toMatchObject({
      status: 403,
      body: { error: { code: 'PASSWORD_CHANGE_REQUIRED', changePasswordPath: '/doi-mat-khau' } },
    });
    const me = apiRoute({ area: null, beforePasswordChange: true }, async ({ principal }) =>
      Response.json({ who: principal.name }),
    );
    expect(await call(me, fromPage({ method: 'GET' }))).toMatchObject({ status: 200, body: { who: 'letan01' } });
  });

  it('an API key: valid → its principal; unknown, revoked or malformed → 401', async () => {
    const viaKey = (authorization: string) =>
      new Request(URL_, {
        method: 'POST',
        body: '{"name":"A"}',
        headers: { authorization, 'content-type': 'application/json' },
      });
    expect(await call(echo, viaKey('Bearer desk-key'))).toMatchObject({ status: 200, body: { who: 'desk-1' } });
    expect(await call(echo, viaKey('bearer desk-key'))).toMatchObject({ status: 200 });
    for (const bad of ['Bearer nope', 'Bearer', 'Basic desk-key', 'Bearer desk-key extra']) {
      expect(await call(echo, viaKey(bad))).toMatchObject({
        status: 401,
        body: { error: { code: 'UNAUTHENTICATED', message: 'Khóa API không hợp lệ hoặc đã bị thu hồi.' } },
      });
    }
  });

  it('kiosk routes: only a paired kiosk device, never a staff session; staff routes ignore a kiosk cookie', async () => {
    const kioskRoute = apiRoute({ area: 'kiosk' }, async ({ principal }) => Response.json({ kiosk: principal.name }));
    expect(await call(kioskRoute, fromPage({ method: 'GET' }))).toMatchObject({
      status: 401,
      body: { error: { code: 'KIOSK_NOT_PAIRED' } },
    });
    auth.kioskCookie = 'bad';
    expect((await call(kioskRoute, fromPage({ method: 'GET' }))).status).toBe(401);
    auth.kioskCookie = 'good';
    expect(await call(kioskRoute, fromPage({ method: 'GET' }))).toMatchObject({
      status: 200,
      body: { kiosk: 'Kiosk sảnh A' },
    });
    auth.session = null;
    expect((await call(echo, fromPage({ body: '{"name":"A"}' }))).status).toBe(401);
  });
});

describe('cross-site writes and content types (cookie-authenticated requests)', () => {
  it('a write from another site, or with no proof of where it came from, is refused (403 CROSS_SITE)', async () => {
    const body = '{"name":"A"}';
    expect(await call(echo, fromPage({ body, headers: { 'sec-fetch-site': 'cross-site' } }))).toMatchObject({
      status: 403,
      body: { error: { code: 'CROSS_SITE' } },
    });
    const noFetchSite = (origin?: string) =>
      new Request(URL_, {
        method: 'POST',
        body,
        headers: { host: 'desk.local:3000', 'content-type': 'application/json', ...(origin ? { origin } : {}) },
      });
    expect((await call(echo, noFetchSite())).status).toBe(403);
    expect((await call(echo, noFetchSite('null'))).status).toBe(403);
    expect((await call(echo, noFetchSite('http://evil.example'))).status).toBe(403);
    expect((await call(echo, noFetchSite('http://DESK.local:3000'))).status).toBe(200); // older browsers: Origin = our host
  });

  it('reads are not checked; a write with a key (no cookie) is not checked either', async () => {
    const read = apiRoute({ area: 'desk' }, async () => Response.json({ ok: true }));
    expect((await call(read, new Request(URL_, { headers: { 'sec-fetch-site': 'cross-site' } }))).status).toBe(200);
    const req = new Request(URL_, {
      method: 'POST',
      body: '{"name":"A"}',
      headers: { authorization: 'Bearer desk-key', 'sec-fetch-site': 'cross-site', 'content-type': 'text/plain' },
    });
    expect((await call(echo, req)).status).toBe(200);
  });

  it('a cookie write that is not JSON: 415; an upload route names its own type', async () => {
    expect(await call(echo, fromPage({ headers: { 'content-type': 'text/plain' } }))).toMatchObject({
      status: 415,
      body: {
        error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Dữ liệu gửi lên phải có Content-Type: application/json.' },
      },
    });
    expect(
      (
        await call(
          echo,
          fromPage({ body: '{"name":"A"}', headers: { 'content-type': 'Application/JSON; charset=utf-8' } }),
        )
      ).status,
    ).toBe(200);
    const upload = apiRoute({ area: 'desk', rawBody: 'application/octet-stream' }, async () =>
      Response.json({ ok: true }),
    );
    expect((await call(upload, fromPage())).status).toBe(415);
    expect((await call(upload, fromPage({ headers: { 'content-type': 'application/octet-stream' } }))).status).toBe(
      200,
    );
  });
});

describe('the body', () => {
  it('larger than the cap: 413 and the connection closed', async () => {
    const small = apiRoute({ area: 'desk', body: z.object({ name: z.string() }), maxBodyBytes: 100 }, async () =>
      Response.json({ ok: true }),
    );
    const r = await call(small, fromPage({ body: JSON.stringify({ name: 'x'.repeat(200) }) }));
    expect(r).toMatchObject({
      status: 413,
      body: { error: { code: 'BODY_TOO_LARGE', message: 'Dữ liệu gửi lên quá lớn (tối đa 100 byte).' } },
    });
    expect(r.headers.get('connection')).toBe('close');
    expect((await call(echo, fromPage({ body: JSON.stringify({ name: 'x'.repeat(70_000) }) }))).status).toBe(413); // default 64 KB
  });

  it('not JSON: 400 INVALID_JSON', async () => {
    for (const body of ['', '{', '{"name":', 'name=A']) {
      expect(await call(echo, fromPage({ body }))).toMatchObject({
        status: 400,
        body: { error: { code: 'INVALID_JSON', message: 'Dữ liệu gửi lên không phải JSON hợp lệ.' } },
      });
    }
  });

  it('against the schema: 400 with the first message for people and every issue with its path for programs', async () => {
    const r = await call(echo, fromPage({ body: JSON.stringify({ name: '', age: 'x' }) }));
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({
      code: 'VALIDATION',
      message: 'Dữ liệu không hợp lệ: Họ tên không được để trống',
    });
    expect((r.body.error!.issues as { path: string }[]).map((i) => i.path)).toEqual(['name', 'age']);
    const nested = apiRoute(
      { area: 'desk', body: z.object({ newPatient: z.object({ dateOfBirth: z.string() }) }) },
      async () => Response.json({}),
    );
    expect((await call(nested, fromPage({ body: '{"newPatient":{}}' }))).body.error!.issues).toEqual([
      { path: 'newPatient.dateOfBirth', message: expect.any(String) },
    ]);
    expect((await call(echo, fromPage({ body: 'null' }))).status).toBe(400);
  });

  it('a route without a body schema does not read the body', async () => {
    const noBody = apiRoute({ area: 'desk' }, async ({ body }) => Response.json({ body: body ?? 'none' }));
    expect(await call(noBody, fromPage({ body: 'not json at all' }))).toMatchObject({
      status: 200,
      body: { body: 'none' },
    });
  });
});

describe('errors the handler throws', () => {
  it('an unexpected one: 500 in Vietnamese, logged without the request data', async () => {
    const error = vi.spyOn(log, 'error').mockImplementation(() => undefined as never);
    const failing = apiRoute({ area: 'desk', body: z.object({ name: z.string() }) }, async () => {
      throw new Error('x'.repeat(500));
    });
    const r = await call(failing, fromPage({ body: JSON.stringify({ name: 'Nguyễn Thị Bí Mật' }) }));
    expect(r).toMatchObject({
      status: 500,
      body: { error: { code: 'INTERNAL', message: 'Lỗi hệ thống. Vui lòng thử lại hoặc báo bộ phận CNTT.' } },
    });
    expect(error).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(error.mock.calls[0]);
    expect(logged).not.toContain('Bí Mật');
    expect(logged).toContain('"path":"/api/v1/things"');
    expect((error.mock.calls[0]![0] as { err: { message: string } }).err.message).toHaveLength(200);
    error.mockRestore();
  });

  it('the database unreachable or restarting: 503 with Retry-After, never 500', async () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined as never);
    for (const thrown of [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      new Error('wrapped', { cause: { code: 'P1001' } }),
    ]) {
      const down = apiRoute({ area: 'desk' }, async () => {
        throw thrown;
      });
      const r = await call(down, fromPage({ method: 'GET' }));
      expect(r).toMatchObject({ status: 503, body: { error: { code: 'DATABASE_UNAVAILABLE' } } });
      expect(r.headers.get('retry-after')).toBe('2');
    }
    warn.mockRestore();
  });

  it("Next's redirect and notFound (errors with a digest) pass through", async () => {
    const redirecting = apiRoute({ area: 'desk' }, async () => {
      throw Object.assign(new Error('NEXT_REDIRECT'), { digest: 'NEXT_REDIRECT;replace;/login;307;' });
    });
    await expect(redirecting(fromPage({ method: 'GET' }), params({}))).rejects.toMatchObject({
      digest: expect.stringContaining('NEXT_REDIRECT'),
    });
  });

  it('a DomainError from lib/: its kind decides the status, its code, Vietnamese message and details make the body', async () => {
    const cases = [
      ['invalid', 400],
      ['forbidden', 403],
      ['not-found', 404],
      ['conflict', 409],
    ] as const;
    for (const [kind, status] of cases) {
      const refusing = apiRoute({ area: 'desk' }, async () => {
        throw new DomainError(kind, 'SOME_RULE', 'Không được phép làm việc này.', { patientId: 'p1' });
      });
      expect(await call(refusing, fromPage({ method: 'GET' }))).toEqual({
        status,
        headers: expect.anything(),
        body: { error: { code: 'SOME_RULE', message: 'Không được phép làm việc này.', patientId: 'p1' } },
      });
    }
  });

  it("the handler's own answers (any status) are returned as they are", async () => {
    const conflict = apiRoute({ area: 'desk' }, async () =>
      Response.json({ error: { code: 'CONFLICT', message: 'Đã tồn tại' } }, { status: 409 }),
    );
    expect(await call(conflict, fromPage({ method: 'GET' }))).toMatchObject({
      status: 409,
      body: { error: { code: 'CONFLICT' } },
    });
  });
});
