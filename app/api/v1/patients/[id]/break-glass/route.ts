import { z } from '@/lib/validation';
import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { BREAK_GLASS_MINUTES, breakGlass } from '@/lib/patients/access';
import { patientIdSchema } from '@/lib/patients/schemas';
import { reasonSchema } from '@/lib/patients/schemas';

const body = z.object({ reason: reasonSchema }).strict();

/**
 * Break-glass (lib/patients/access.ts): opens one record outside the caller's facility to this user or key for
 * BREAK_GLASS_MINUTES, with a reason; audited, listed for managers (GET /api/v1/audit/break-glass).
 */
export const POST = apiRoute<typeof body, { id: string }>(
  { area: ['desk', 'search'], forbidden: 'Tài khoản không có quyền mở hồ sơ người bệnh.', body },
  async ({ req, principal, body, params }) => {
    if (!patientIdSchema.safeParse(params.id).success)
      return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    const until = await breakGlass(getDb(), principal, params.id, body.reason, clientIp(req.headers));
    if (!until) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    return Response.json({ until, minutes: BREAK_GLASS_MINUTES }, { status: 201 });
  },
);
