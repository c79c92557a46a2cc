import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { hisConnection, hisConnectionSchema, saveHisConnection } from '@/lib/handoff/config';

/** The caller's facility's HIS MLLP address: the stored setting and the HIS_MLLP_URL environment variable that overrides it. */
export const GET = apiRoute({ area: 'admin' }, async ({ principal }) =>
  Response.json(await hisConnection(getDb(), principal.facilityId)),
);

/** Administrators store (or, with '', remove) their facility's MLLP address; hand-off workers use it within seconds. */
export const PUT = apiRoute({ area: 'admin', body: hisConnectionSchema }, async ({ principal, body }) => {
  await saveHisConnection(getDb(), body.mllpUrl, principal);
  return Response.json(await hisConnection(getDb(), principal.facilityId));
});
