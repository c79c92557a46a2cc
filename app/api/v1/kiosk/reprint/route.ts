import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { kioskReprint, kioskReprintSchema } from '@/lib/kiosk/flow';
import { outcomeResponse } from '../_response';

/** `POST /api/v1/kiosk/reprint {visitId, raw, source?}` (kiosk only): today's ticket again for the person scanned. */
export const POST = apiRoute({ area: 'kiosk', body: kioskReprintSchema }, async ({ principal, body }) =>
  outcomeResponse(await kioskReprint(getDb(), principal, body)),
);
