import { text, z } from '@/lib/validation';
import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { API_KEY_EXPIRY_CHOICES, createApiKey, expiryFromDays, listApiKeys } from '@/lib/auth/api-keys';
import { ROLES } from '@/lib/auth/roles';
import { audit } from '@/lib/audit';

const newKey = z
  .object({
    name: text().min(2, 'Tên khóa quá ngắn.').max(60, 'Tên khóa quá dài.'),
    role: z.enum(ROLES, { message: 'Vai trò phải là RECEPTIONIST, SUPPORT, MANAGER, ADMIN hoặc MONITOR.' }),
    /** 30, 90 or 365 days, or null for no end date (the default: keys made before end dates existed had none). */
    expiresInDays: z
      .union(
        API_KEY_EXPIRY_CHOICES.map((d) => z.literal(d)),
        { message: 'Thời hạn phải là 30, 90, 365 ngày hoặc không thời hạn.' },
      )
      .optional(),
  })
  .strict();

/** Administrators list their facility's keys (never the keys themselves), with last use and end date. */
export const GET = apiRoute({ area: 'admin' }, async ({ principal }) => {
  return Response.json({ keys: await listApiKeys(getDb(), principal.facilityId) });
});

/** Creates a key for the administrator's facility; the key is shown once, in this response. */
export const POST = apiRoute({ area: 'admin', body: newKey }, async ({ principal, body }) => {
  const db = getDb();
  const expiresAt = expiryFromDays(body.expiresInDays);
  const created = await db.$transaction(async (tx) => {
    const key = await createApiKey(tx, {
      name: body.name,
      role: body.role,
      facilityId: principal.facilityId,
      expiresAt,
    });
    await audit(tx, {
      action: 'API_KEY_CREATED',
      actor: principal,
      entityType: 'ApiKey',
      entityId: key.id,
      details: { role: body.role, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return key;
  });
  return Response.json({ ...created, expiresAt }, { status: 201 });
});
