import { getServerSession } from 'next-auth';
import { redirect } from 'next/navigation';
import { z } from '@/lib/validation';
import { getDb } from '@/lib/db/client';
import { verifyApiKey } from '@/lib/auth/api-keys';
import { touchSession } from '@/lib/auth/sessions';
import { AREAS, canAccess, type Area, type Principal } from '@/lib/auth/roles';
import { log } from '@/lib/log';
import { authOptions } from './auth-options';

/** The signed-in user of this request (session cookie), or null. Counts as activity for idle expiry. */
export async function currentUser(): Promise<Principal | null> {
  const session = (await getServerSession(authOptions)) as { sid?: string } | null;
  if (!session?.sid) return null;
  return touchSession(getDb(), session.sid);
}

/** For pages: signed in and allowed into `area`, or redirected (to /login, or to the 403 page). */
export async function requirePage(area: Area | null): Promise<Principal> {
  const user = await currentUser();
  if (!user) redirect('/login');
  if (area && !canAccess(user.role, area)) redirect(`/khong-co-quyen?from=${encodeURIComponent(AREAS[area].path)}`);
  return user;
}

export function clientIp(h: Headers): string | null {
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() ?? null;
}

export function jsonError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error: { code, message, ...extra } }, { status });
}

const MAX_BODY_BYTES = 64 * 1024;

type Handler<B, P> = (ctx: { req: Request; principal: Principal; body: B; params: P }) => Promise<Response>;

/**
 * Wraps an API route: authenticates (API key or session), checks the role for `area`, parses and validates
 * the JSON body with zod (400 with a readable Vietnamese message), and turns unexpected errors into a 500
 * that logs no request data.
 */
export function apiRoute<S extends z.ZodType | undefined, P = Record<string, string>>(
  options: { area: Area | null; body?: S; maxBodyBytes?: number },
  handler: Handler<S extends z.ZodType ? z.infer<S> : undefined, P>,
) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      const authorization = req.headers.get('authorization');
      let principal: Principal | null = null;
      if (authorization) {
        const key = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
        principal = key ? await verifyApiKey(getDb(), key) : null;
        if (!principal) return jsonError(401, 'UNAUTHENTICATED', 'Khóa API không hợp lệ hoặc đã bị thu hồi.');
      } else {
        principal = await currentUser();
        if (!principal) return jsonError(401, 'UNAUTHENTICATED', 'Chưa đăng nhập hoặc phiên đã hết hạn.');
      }
      if (options.area && !canAccess(principal.role, options.area)) {
        return jsonError(403, 'FORBIDDEN', 'Tài khoản không có quyền thực hiện thao tác này.');
      }
      let body: unknown = undefined;
      if (options.body) {
        const text = await req.text();
        if (Buffer.byteLength(text) > (options.maxBodyBytes ?? MAX_BODY_BYTES)) {
          return jsonError(400, 'BODY_TOO_LARGE', `Dữ liệu gửi lên quá lớn (tối đa ${options.maxBodyBytes ?? MAX_BODY_BYTES} byte).`);
        }
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return jsonError(400, 'INVALID_JSON', 'Dữ liệu gửi lên không phải JSON hợp lệ.');
        }
        const parsed = options.body.safeParse(json);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
          const first = issues[0];
          return jsonError(400, 'VALIDATION', `Dữ liệu không hợp lệ: ${first?.path ? `${first.path}: ` : ''}${first?.message}`, { issues });
        }
        body = parsed.data;
      }
      const params = (await context?.params) ?? ({} as P);
      return await handler({ req, principal, body: body as never, params });
    } catch (error) {
      if (error && typeof error === 'object' && 'digest' in error) throw error; // Next's redirect/notFound
      log.error({ err: { name: (error as Error)?.name, message: (error as Error)?.message?.slice(0, 200) }, path: new URL(req.url).pathname }, 'API error');
      return jsonError(500, 'INTERNAL', 'Lỗi hệ thống. Vui lòng thử lại hoặc báo bộ phận CNTT.');
    }
  };
}

