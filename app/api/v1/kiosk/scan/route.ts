import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { kioskScan, kioskScanSchema, type KioskScanResponse } from '@/lib/kiosk/flow';

/** `POST /api/v1/kiosk/scan {raw, source?}` (kiosk only): the name and birth year to confirm, or the counter with its reason. */
export const POST = apiRoute({ area: 'kiosk', body: kioskScanSchema }, async ({ principal, body }) =>
  Response.json((await kioskScan(getDb(), principal, body)) satisfies KioskScanResponse),
);
