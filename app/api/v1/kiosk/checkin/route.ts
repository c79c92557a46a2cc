import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { kioskCheckIn, kioskCheckinSchema } from '@/lib/kiosk/flow';
import { outcomeResponse } from '../_response';

/** `POST /api/v1/kiosk/checkin {visitId, raw, source?, roomCode, payer, cardRaw?}` (kiosk only). */
export const POST = apiRoute({ area: 'kiosk', body: kioskCheckinSchema }, async ({ principal, body }) =>
  outcomeResponse(await kioskCheckIn(getDb(), principal, body)),
);
