import { z } from '@/lib/validation';
import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { mergePatients } from '@/lib/patients/merge';
import { changeError, reasonSchema, uuidSchema } from '../_query';

const body = z.object({ survivorId: uuidSchema, mergedId: uuidSchema, reason: reasonSchema }).strict();

/** Merges the duplicate `mergedId` into `survivorId`. Repeating the same merge returns the recorded one (200). */
export const POST = apiRoute({ area: 'search', body }, async ({ principal, body }) => {
  try {
    const { merge, repeated } = await mergePatients(getDb(), principal, body);
    return Response.json({ merge }, { status: repeated ? 200 : 201 });
  } catch (error) {
    return changeError(error);
  }
});
