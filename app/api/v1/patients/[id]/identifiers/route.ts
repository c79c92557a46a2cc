import { z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { addIdentifier } from '@/lib/patients/corrections';
import { IDENTIFIER_SYSTEMS } from '@/lib/identity';
import { changeError, reasonSchema, uuidSchema } from '../../_query';

const body = z.object({
  system: z.enum(IDENTIFIER_SYSTEMS, { message: 'Loại giấy tờ không hợp lệ.' }),
  value: z.string().trim().min(1, 'Thiếu số giấy tờ.').max(30, 'Số giấy tờ quá dài.'),
  replacesId: uuidSchema.optional(),
  reason: reasonSchema,
}).strict();

/** Adds an identifier, optionally retiring the one it replaces (e.g. CMND → CCCD). Repeating it is harmless. */
export const POST = apiRoute<typeof body, { id: string }>({ area: 'search', body }, async ({ principal, body, params }) => {
  if (!uuidSchema.safeParse(params.id).success) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
  try {
    const identifier = await addIdentifier(getDb(), principal, params.id, body);
    return Response.json({ id: identifier.id, system: identifier.system }, { status: 201 });
  } catch (error) {
    return changeError(error);
  }
});
