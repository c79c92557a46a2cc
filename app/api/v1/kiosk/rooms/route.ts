import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { kioskRooms } from '@/lib/kiosk/flow';

/** `GET /api/v1/kiosk/rooms` (kiosk only): the kiosk's rooms with how many people wait in each; no patient data. */
export const GET = apiRoute({ area: 'kiosk' }, async ({ principal }) =>
  Response.json({ rooms: await kioskRooms(getDb(), principal) }),
);
