import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { hisConnection, hisConnectionSchema, saveHisConnection } from '@/lib/handoff/config';

/** The HIS's MLLP address: the stored setting and the HIS_MLLP_URL environment variable that overrides it. */
export const GET = apiRoute({ area: 'admin' }, async () => Response.json(await hisConnection(getDb())));

/** Administrators store (or, with '', remove) the MLLP address; hand-off workers use it within seconds. */
export const PUT = apiRoute({ area: 'admin', body: hisConnectionSchema }, async ({ principal, body }) => {
  await saveHisConnection(getDb(), body.mllpUrl, principal);
  return Response.json(await hisConnection(getDb()));
});
