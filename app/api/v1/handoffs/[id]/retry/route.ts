import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { retryHandoff, type HandoffRetryResponse } from '@/lib/handoff/retry';
import { z } from '@/lib/validation';

const id = z.string().regex(/^\d{1,18}$/, 'Mã tin bàn giao không hợp lệ.');

/** `POST /api/v1/handoffs/:id/retry`: a parked (or failed) message goes back to the queue, due now. Audited. */
export const POST = apiRoute<undefined, { id: string }>(
  { area: ['desk', 'reports'], forbidden: 'Tài khoản không có quyền gửi lại tin bàn giao.' },
  async ({ req, principal, params }) => {
    const parsed = id.safeParse(params.id);
    if (!parsed.success) return jsonError(400, 'VALIDATION', parsed.error.issues[0]!.message);
    await retryHandoff(getDb(), BigInt(parsed.data), principal, clientIp(req.headers));
    const answer: HandoffRetryResponse = { ok: true, status: 'PENDING' };
    return Response.json(answer);
  },
);
