import { z } from '@/lib/validation';
import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { mergePatients } from '@/lib/patients/merge';
import { patientIdSchema } from '@/lib/patients/schemas';
import { reasonSchema } from '@/lib/patients/schemas';

const body = z
  .object({
    survivorId: patientIdSchema,
    mergedId: patientIdSchema,
    reason: reasonSchema,
    confirmSameDay: z.boolean().optional(),
  })
  .strict();

/**
 * Merges the duplicate `mergedId` into `survivorId`. Repeating the same merge returns the recorded one (200). When both
 * have visits on one day, 409 SAME_DAY_VISITS lists them until `confirmSameDay`.
 */
export const POST = apiRoute({ area: 'search', body }, async ({ principal, body }) => {
  const { merge, repeated } = await mergePatients(getDb(), principal, body);
  return Response.json({ merge }, { status: repeated ? 200 : 201 });
});
