import { z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { unmergePatients } from '@/lib/patients/merge';
import { patientIdSchema } from '@/lib/patients/schemas';
import { reasonSchema } from '@/lib/patients/schemas';

const body = z.object({ reason: reasonSchema }).strict();

/** Undoes a merge from its recorded provenance. Idempotent. */
export const POST = apiRoute<typeof body, { mergeId: string }>(
  { area: 'search', body },
  async ({ principal, body, params }) => {
    if (!patientIdSchema.safeParse(params.mergeId).success)
      return jsonError(404, 'NOT_FOUND', 'Không tìm thấy lần gộp hồ sơ này.');
    const { merge } = await unmergePatients(getDb(), principal, { mergeId: params.mergeId, reason: body.reason });
    return Response.json({ merge });
  },
);
