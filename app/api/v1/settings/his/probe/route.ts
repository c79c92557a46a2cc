import { z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { MLLP_URL_MESSAGE, mllpUrl, parseMllpUrl, probeMllp, type HisProbeResponse } from '@/lib/handoff/config';

const probe = z.object({ mllpUrl: z.string().trim().max(200).optional() }).strict();

/** Opens a TCP connection to the given MLLP address (or the one in use) and says whether it answered. */
export const POST = apiRoute({ area: 'admin', body: probe }, async ({ principal, body }) => {
  const url = body.mllpUrl || (await mllpUrl(getDb(), principal.facilityId));
  if (!url) return jsonError(400, 'NOT_CONFIGURED', 'Chưa có địa chỉ MLLP để kiểm tra.');
  const target = parseMllpUrl(url);
  if (!target) return jsonError(400, 'VALIDATION', MLLP_URL_MESSAGE);
  return Response.json({ url, ...(await probeMllp(target)) } satisfies HisProbeResponse);
});
