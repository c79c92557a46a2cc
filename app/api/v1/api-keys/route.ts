import { z } from '@/lib/validation';
import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { createApiKey } from '@/lib/auth/api-keys';
import { ROLES } from '@/lib/auth/roles';
import { audit } from '@/lib/audit';

const newKey = z.object({
  name: z.string().trim().min(2, 'Tên khóa quá ngắn.').max(60, 'Tên khóa quá dài.'),
  role: z.enum(ROLES, { message: 'Vai trò phải là RECEPTIONIST, SUPPORT, MANAGER hoặc ADMIN.' }),
}).strict();

/** Administrators list their facility's keys (never the keys themselves). */
export const GET = apiRoute({ area: 'admin' }, async ({ principal }) => {
  const keys = await getDb().apiKey.findMany({
    where: { facilityId: principal.facilityId },
    select: { id: true, name: true, role: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: 'desc' },
  });
  return Response.json({ keys });
});

/** Creates a key for the administrator's facility; the key is shown once, in this response. */
export const POST = apiRoute({ area: 'admin', body: newKey }, async ({ principal, body }) => {
  const db = getDb();
  const created = await db.$transaction(async (tx) => {
    const key = await createApiKey(tx, { name: body.name, role: body.role, facilityId: principal.facilityId });
    await audit(tx, { action: 'API_KEY_CREATED', actor: principal, entityType: 'ApiKey', entityId: key.id, details: { role: body.role } });
    return key;
  });
  return Response.json(created, { status: 201 });
});
