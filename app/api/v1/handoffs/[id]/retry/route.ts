import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { canAccess } from '@/lib/auth/roles';
import { retryHandoff } from '@/lib/handoff/retry';
import { z } from '@/lib/validation';

const id = z.string().regex(/^\d{1,18}$/, 'Mã tin bàn giao không hợp lệ.');

/** `POST /api/v1/handoffs/:id/retry`: a parked (or failed) message goes back to the queue, due now. Audited. */
export const POST = apiRoute<undefined, { id: string }>({ area: null }, async ({ req, principal, params }) => {
  if (!(['desk', 'reports'] as const).some((a) => canAccess(principal.role, a))) {
    return jsonError(403, 'FORBIDDEN', 'Tài khoản không có quyền gửi lại tin bàn giao.');
  }
  const parsed = id.safeParse(params.id);
  if (!parsed.success) return jsonError(400, 'VALIDATION', parsed.error.issues[0]!.message);
  const result = await retryHandoff(getDb(), BigInt(parsed.data), principal, clientIp(req.headers));
  if (!result.ok) return jsonError(result.code === 'NOT_FOUND' ? 404 : 409, result.code, result.message);
  return Response.json({ ok: true, status: 'PENDING' });
});
