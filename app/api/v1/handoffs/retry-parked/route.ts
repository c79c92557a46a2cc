import { apiRoute, clientIp } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { retryParked, type RetryParkedResponse } from '@/lib/handoff/retry';
import { z } from '@/lib/validation';

const body = z
  .object({ target: z.enum(['HL7V2', 'FHIR', 'BHXH_XML0'], 'Đích gửi phải là HL7V2, FHIR hoặc BHXH_XML0.') })
  .strict();

/** `POST /api/v1/handoffs/retry-parked {target}`: every parked message of that target in the caller's facility back to the queue. Audited. */
export const POST = apiRoute({ area: 'reports', body }, async ({ req, principal, body }) => {
  const requeued = await retryParked(getDb(), body.target, principal, clientIp(req.headers));
  const answer: RetryParkedResponse = { ok: true, requeued };
  return Response.json(answer);
});
