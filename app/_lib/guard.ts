import { getServerSession } from 'next-auth';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from '@/lib/validation';
import { getDb } from '@/lib/db/client';
import { verifyApiKey } from '@/lib/auth/api-keys';
import { touchSession } from '@/lib/auth/sessions';
import { AREAS, canAccess, type Area, type KioskPrincipal, type Principal, type Role } from '@/lib/auth/roles';
import { KIOSK_COOKIE, kioskFromToken } from '@/lib/kiosk/devices';
import { log } from '@/lib/log';
import { isDatabaseUnavailable } from '@/lib/db/transaction';
import { readLimited } from '@/lib/http/body';
import { authOptions } from './auth-options';
import { isPoll } from '@/lib/auth/polling';
import { observeRequest, routeLabel } from '@/lib/ops/metrics';
import { DomainError, type DomainErrorKind } from '@/lib/errors';

/**
 * The signed-in user of this request (session cookie), or null. Counts as activity for idle expiry unless
 * `activity: false` (a screen's background poll, lib/auth/polling.ts).
 */
export async function currentUser(options: { activity?: boolean } = {}): Promise<Principal | null> {
  const session = (await getServerSession(authOptions)) as { sid?: string } | null;
  if (!session?.sid) return null;
  return touchSession(getDb(), session.sid, new Date(), options);
}

/** The paired self check-in kiosk of this request (its device cookie), or null. Never a staff principal. */
export async function currentKiosk(): Promise<KioskPrincipal | null> {
  const token = (await cookies()).get(KIOSK_COOKIE)?.value;
  return token ? kioskFromToken(getDb(), token) : null;
}

/** Where a user with a generated (TEMPORARY) password goes before anything else. */
export const CHANGE_PASSWORD_PATH = '/doi-mat-khau';

/**
 * For pages: signed in and allowed into `area`, or redirected (to /login, to the password change a generated
 * password requires first, or to the 403 page).
 */
export async function requirePage(area: Area | null): Promise<Principal> {
  const user = await currentUser();
  if (!user) redirect('/login');
  if (user.mustChangePassword) redirect(CHANGE_PASSWORD_PATH);
  if (area && !canAccess(user.role, area)) redirect(`/khong-co-quyen?from=${encodeURIComponent(AREAS[area].path)}`);
  return user;
}

/** The client's address (the web server's peer; X-Forwarded-For only from TRUSTED_PROXIES): lib/net/client-ip.ts. */
export { clientIp } from '@/lib/net/client-ip';

export function jsonError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error: { code, message, ...extra } }, { status });
}

const MAX_BODY_BYTES = 64 * 1024;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery, for requests a browser sends with its session cookie: a write must come from one of
 * our own pages. Browsers say where a request comes from in `Sec-Fetch-Site` (it cannot be set by a page), older
 * ones in `Origin`; with neither there is no proof and the write is refused. The origin is compared with the host
 * the request was sent to (a LAN address, a name, HTTPS or not), never with a fixed `localhost`.
 */
export function crossSiteRefusal(req: Request): Response | null {
  if (!UNSAFE_METHODS.has(req.method)) return null;
  const site = req.headers.get('sec-fetch-site');
  if (site !== null ? site === 'same-origin' : sameHost(req, req.headers.get('origin'))) return null;
  return jsonError(
    403,
    'CROSS_SITE',
    'Yêu cầu không xuất phát từ trang của ứng dụng nên bị từ chối. Hãy tải lại trang và thử lại.',
  );
}

function sameHost(req: Request, origin: string | null): boolean {
  if (!origin || origin === 'null') return false;
  let host: string;
  try {
    host = new URL(origin).host.toLowerCase();
  } catch {
    return false;
  }
  // The host the browser sent the request to, as it reached us (directly, or as a reverse proxy forwarded it;
  // a cross-site page cannot add X-Forwarded-Host without a CORS preflight that this app never grants).
  const own = [
    req.headers.get('host'),
    req.headers.get('x-forwarded-host')?.split(',')[0],
    process.env.NEXTAUTH_URL && new URL(process.env.NEXTAUTH_URL).host,
  ];
  return own.some((h) => h && h.trim().toLowerCase() === host);
}

/**
 * Writes with a session cookie must be JSON: an HTML form (or `text/plain` fetch) from another site cannot send it
 * without a preflight. A file upload route names its own type instead (`application/octet-stream`: not one a form can
 * send either).
 */
function notJson(req: Request, expected = 'application/json'): Response | null {
  if (!UNSAFE_METHODS.has(req.method)) return null;
  const type = req.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type === expected) return null;
  return jsonError(415, 'UNSUPPORTED_MEDIA_TYPE', `Dữ liệu gửi lên phải có Content-Type: ${expected}.`);
}

/** 413, closing the connection so the rest of an oversized body is not read either. */
export function bodyTooLarge(maxBytes: number): Response {
  return Response.json(
    { error: { code: 'BODY_TOO_LARGE', message: `Dữ liệu gửi lên quá lớn (tối đa ${maxBytes} byte).` } },
    { status: 413, headers: { connection: 'close' } },
  );
}

/** The request's JSON body, read under its cap as it streams: the value, or the answer to give (413, 400 INVALID_JSON). */
export async function readJson(req: Request, maxBytes: number): Promise<{ json: unknown } | { refusal: Response }> {
  const bytes = await readLimited(req, maxBytes);
  if (!bytes) return { refusal: bodyTooLarge(maxBytes) };
  try {
    return { json: JSON.parse(bytes.toString('utf8')) };
  } catch {
    return { refusal: jsonError(400, 'INVALID_JSON', 'Dữ liệu gửi lên không phải JSON hợp lệ.') };
  }
}

type Handler<B, P, W, Q> = (ctx: { req: Request; principal: W; body: B; params: P; query: Q }) => Promise<Response>;
/** Kiosk routes get the kiosk; every other route a staff principal (a kiosk's device cookie counts for nothing there). */
type PrincipalOf<A> = [A] extends ['kiosk'] ? KioskPrincipal : Principal;
type StaffArea = Exclude<Area, 'kiosk'>;

/** The one place a domain refusal (lib/errors.ts) becomes an HTTP status. */
const DOMAIN_ERROR_STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
};

/**
 * What an API route declares to apiRoute; kept on the handler (`contract`) so that the HTTP API's description
 * (app/_lib/openapi.ts) is built from the very schemas the route validates with.
 */
export type RouteOptions<S = z.ZodType | undefined, A = Area | null, Q = z.ZodType | undefined> = {
  /** who may call: an area's roles, any of several areas' (`['desk', 'search']`), or `null` for any staff role */
  area: A | readonly StaffArea[];
  body?: S;
  maxBodyBytes?: number;
  /** a route that reads its own body (a file upload) of this type */ rawBody?: 'application/octet-stream';
  /** the URL's query parameters (a z.object of strings; z.coerce for numbers) */ query?: Q;
  /** a refused query's answer, for the routes that word it their own way (default: 400 "Tham số không hợp lệ: …" with `issues`) */ queryRefused?: (
    message: string,
  ) => Response;
  /** instead of `area`'s roles: exactly these (e.g. METRICS_ROLES) */ roles?: readonly Role[];
  /** the 403's message for a role outside the area(s), when the route says more than the usual one */ forbidden?: string;
  /** open to a signed-in user who must still change a generated password (the change itself, who am I) */ beforePasswordChange?: boolean;
};

/** A route handler made by apiRoute, with what it declared. */
export type ApiRouteHandler<P = Record<string, string>> = ((
  req: Request,
  context: { params: Promise<P> },
) => Promise<Response>) & { contract: RouteOptions };

/** The 400 for query parameters that do not pass their schema; people read the message, programs the parameter's path in `issues`. */
export function queryRefusal(error: z.ZodError): Response {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return jsonError(400, 'VALIDATION', `Tham số không hợp lệ: ${issues[0]?.message}`, { issues });
}

/**
 * Wraps an API route: refuses cross-site or non-JSON writes made with a session cookie (403/415), authenticates
 * (API key or session), checks the role for `area` (or any of several areas), validates the query parameters,
 * reads the body up to its cap (413) and parses and validates the JSON body with zod (400 with a readable
 * Vietnamese message), answers a
 * `DomainError` thrown by lib/ with its status (400/403/404/409, `{error: {code, message, ...details}}`), and
 * turns unexpected errors into a 500 that logs no request data.
 */
export function apiRoute<
  S extends z.ZodType | undefined,
  P = Record<string, string>,
  A extends Area | null = Area | null,
  Q extends z.ZodType | undefined = undefined,
>(
  options: RouteOptions<S, A, Q>,
  handler: Handler<
    S extends z.ZodType ? z.infer<S> : undefined,
    P,
    PrincipalOf<A>,
    Q extends z.ZodType ? z.infer<Q> : undefined
  >,
): ApiRouteHandler<P> {
  return Object.assign(route, { contract: options as RouteOptions });

  async function route(req: Request, context: { params: Promise<P> }): Promise<Response> {
    const started = performance.now();
    const response = await answer(req, context);
    // The route's pattern, not its path (ids would make a series per patient): lib/ops/metrics.ts.
    const params = ((await Promise.resolve(context?.params).catch(() => null)) ?? {}) as Record<string, unknown>;
    observeRequest(
      routeLabel(new URL(req.url).pathname, params),
      req.method,
      response.status,
      (performance.now() - started) / 1000,
    );
    return response;
  }

  function mayCall(role: Role): boolean {
    if (options.roles) return options.roles.includes(role);
    const { area } = options;
    return Array.isArray(area) ? area.some((a: StaffArea) => canAccess(role, a)) : canAccess(role, area as Area | null);
  }

  async function answer(req: Request, context: { params: Promise<P> }): Promise<Response> {
    try {
      const authorization = req.headers.get('authorization');
      // Cookie-authenticated (staff session, kiosk device): writes only from our own pages, as JSON.
      if (options.area === 'kiosk' || !authorization) {
        const refusal = crossSiteRefusal(req) ?? notJson(req, options.rawBody);
        if (refusal) return refusal;
      }
      let principal: Principal | KioskPrincipal | null = null;
      if (options.area === 'kiosk') {
        principal = await currentKiosk();
        if (!principal)
          return jsonError(401, 'KIOSK_NOT_PAIRED', 'Kiosk chưa được ghép nối hoặc đã bị tắt. Liên hệ quản trị.');
      } else if (authorization) {
        const key = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
        principal = key ? await verifyApiKey(getDb(), key) : null;
        if (!principal) return jsonError(401, 'UNAUTHENTICATED', 'Khóa API không hợp lệ hoặc đã bị thu hồi.');
      } else {
        principal = await currentUser({ activity: !isPoll(req.headers) });
        if (!principal) return jsonError(401, 'UNAUTHENTICATED', 'Chưa đăng nhập hoặc phiên đã hết hạn.');
        if (principal.mustChangePassword && !options.beforePasswordChange) {
          return jsonError(403, 'PASSWORD_CHANGE_REQUIRED', 'Cần đổi mật khẩu tạm thời trước khi làm việc khác.', {
            changePasswordPath: CHANGE_PASSWORD_PATH,
          });
        }
      }
      if (principal.kind !== 'KIOSK' && !mayCall(principal.role)) {
        return jsonError(403, 'FORBIDDEN', options.forbidden ?? 'Tài khoản không có quyền thực hiện thao tác này.');
      }
      let query: unknown = undefined;
      if (options.query) {
        const parsed = options.query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
        if (!parsed.success)
          return options.queryRefused
            ? options.queryRefused(parsed.error.issues[0]?.message ?? '')
            : queryRefusal(parsed.error);
        query = parsed.data;
      }
      let body: unknown = undefined;
      if (options.body) {
        const read = await readJson(req, options.maxBodyBytes ?? MAX_BODY_BYTES);
        if ('refusal' in read) return read.refusal;
        const parsed = options.body.safeParse(read.json);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
          const first = issues[0];
          // The field's path (e.g. newPatient.dateOfBirth) is for programs (`issues`); people read the message only.
          return jsonError(400, 'VALIDATION', `Dữ liệu không hợp lệ: ${first?.message}`, { issues });
        }
        body = parsed.data;
      }
      const params = (await context?.params) ?? ({} as P);
      return await handler({
        req,
        principal: principal as PrincipalOf<A>,
        body: body as never,
        params,
        query: query as never,
      });
    } catch (error) {
      if (error && typeof error === 'object' && 'digest' in error) throw error; // Next's redirect/notFound
      if (error instanceof DomainError)
        return jsonError(DOMAIN_ERROR_STATUS[error.kind], error.code, error.message, error.details);
      if (isDatabaseUnavailable(error)) {
        // PostgreSQL restarting or unreachable: nothing was stored; say so and when to try again (a check-in is idempotent).
        log.warn({ path: new URL(req.url).pathname }, 'database unavailable: 503');
        return Response.json(
          {
            error: {
              code: 'DATABASE_UNAVAILABLE',
              message:
                'Cơ sở dữ liệu đang tạm gián đoạn (khởi động lại?). Chưa lưu gì — vui lòng thử lại sau vài giây.',
            },
          },
          { status: 503, headers: { 'Retry-After': '2' } },
        );
      }
      log.error(
        {
          err: { name: (error as Error)?.name, message: (error as Error)?.message?.slice(0, 200) },
          path: new URL(req.url).pathname,
        },
        'API error',
      );
      return jsonError(500, 'INTERNAL', 'Lỗi hệ thống. Vui lòng thử lại hoặc báo bộ phận CNTT.');
    }
  }
}
