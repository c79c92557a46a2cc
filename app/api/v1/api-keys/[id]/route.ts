import { uuid } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { revokeApiKey, type ApiKeyRevokedResponse } from '@/lib/auth/api-keys';
import { audit } from '@/lib/audit';

const id = uuid('Mã khóa không hợp lệ.');

/** `DELETE /api/v1/api-keys/:id`: revokes one of the administrator's facility's keys (401 for it from then on). */
export const DELETE = apiRoute<undefined, { id: string }>({ area: 'admin' }, async ({ principal, params }) => {
  const parsed = id.safeParse(params.id);
  if (!parsed.success) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy khóa API đang hiệu lực.');
  const db = getDb();
  const revoked = await db.$transaction(async (tx) => {
    if (!(await revokeApiKey(tx, parsed.data, { facilityId: principal.facilityId }))) return false;
    await audit(tx, { action: 'API_KEY_REVOKED', actor: principal, entityType: 'ApiKey', entityId: parsed.data });
    return true;
  });
  if (!revoked) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy khóa API đang hiệu lực.');
  return Response.json({ revoked: true } satisfies ApiKeyRevokedResponse);
});
