import { clientIp, crossSiteRefusal, jsonError, readJson } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import {
  DEVICE_COOKIE_MAX_AGE_S,
  KIOSK_COOKIE,
  kioskPairSchema,
  pairKiosk,
  type KioskPairedResponse,
} from '@/lib/kiosk/devices';
import { log } from '@/lib/log';

const MAX_PAIR_BODY_BYTES = 1024;

/**
 * `POST /api/v1/kiosk/pair {code}`: the kiosk's browser hands in the one-time code an administrator got when
 * registering it, and receives its device session (an HttpOnly, SameSite=Strict cookie). No sign-in needed: the
 * code is the credential (≈50 bits, 24 h, one use); failures are audited.
 */
export async function POST(req: Request): Promise<Response> {
  try {
    // Unauthenticated: the origin and JSON rules of every cookie write, and the body read under its cap as it streams.
    const refusal = crossSiteRefusal(req);
    if (refusal) return refusal;
    const read = await readJson(req, MAX_PAIR_BODY_BYTES);
    if ('refusal' in read) return read.refusal;
    const parsed = kioskPairSchema.safeParse(read.json);
    if (!parsed.success) return jsonError(400, 'VALIDATION', 'Nhập mã ghép nối.');
    const paired = await pairKiosk(getDb(), parsed.data.code, clientIp(req.headers));
    if (!paired)
      return jsonError(
        400,
        'PAIRING_FAILED',
        'Mã ghép nối không đúng, đã dùng hoặc đã hết hạn. Xin mã mới ở trang Quản trị.',
      );
    const secure = new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto') === 'https';
    const cookie = `${KIOSK_COOKIE}=${paired.token}; Path=/; Max-Age=${DEVICE_COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
    return Response.json({ kiosk: { name: paired.kiosk.name } } satisfies KioskPairedResponse, {
      status: 200,
      headers: { 'set-cookie': cookie },
    });
  } catch (error) {
    log.error(
      { err: { name: (error as Error)?.name, message: (error as Error)?.message?.slice(0, 200) } },
      'kiosk pairing error',
    );
    return jsonError(500, 'INTERNAL', 'Lỗi hệ thống. Vui lòng thử lại hoặc báo bộ phận CNTT.');
  }
}
