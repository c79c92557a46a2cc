import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { kioskSettingsSchema, listKiosks, registerKiosk } from '@/lib/kiosk/devices';

/** `GET /api/v1/kiosks` (ADMIN): the facility's kiosks, with the rooms and BHYT lookup staff to choose from. */
export const GET = apiRoute({ area: 'admin' }, async ({ principal }) => {
  const db = getDb();
  const [kiosks, rooms, staff] = await Promise.all([
    listKiosks(db, principal.facilityId),
    db.room.findMany({
      where: { facilityId: principal.facilityId, active: true },
      orderBy: { code: 'asc' },
      select: { code: true, name: true },
    }),
    db.user.findMany({
      where: { facilityId: principal.facilityId, active: true, staffIdNumber: { not: null } },
      orderBy: { fullName: 'asc' },
      select: { id: true, fullName: true, username: true },
    }),
  ]);
  return Response.json({ kiosks, rooms, staff });
});

/** `POST /api/v1/kiosks` (ADMIN): register a kiosk; the one-time pairing code is in this answer only. */
export const POST = apiRoute({ area: 'admin', body: kioskSettingsSchema }, async ({ principal, body }) => {
  return Response.json(await registerKiosk(getDb(), principal, body), { status: 201 });
});
