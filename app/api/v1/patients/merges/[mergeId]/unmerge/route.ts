import { z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { unmergePatients } from '@/lib/patients/merge';
import { changeError, reasonSchema, uuidSchema } from '../../../_query';

const body = z.object({ reason: reasonSchema }).strict();

/** Undoes a merge from its recorded provenance. Idempotent. */
export const POST = apiRoute<typeof body, { mergeId: string }>({ area: 'search', body }, async ({ principal, body, params }) => {
  if (!uuidSchema.safeParse(params.mergeId).success) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy lần gộp hồ sơ này.');
  try {
    const { merge } = await unmergePatients(getDb(), principal, { mergeId: params.mergeId, reason: body.reason });
    return Response.json({ merge });
  } catch (error) {
    return changeError(error);
  }
});
