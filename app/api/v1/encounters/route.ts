import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { listEncounters } from '@/lib/encounters/list';
import { audit } from '@/lib/audit';
import { newInListView } from '@/lib/audit/list-views';
import { localDay } from '@/lib/time/local-day';
import { z } from '@/lib/validation';

const query = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date phải có dạng YYYY-MM-DD.')
    .optional(),
  roomCode: z.string().max(20).optional(),
});

/** `GET /api/v1/encounters?date=YYYY-MM-DD&roomCode=P01`: a local day's encounters (desk, support, managers). */
export const GET = apiRoute(
  {
    area: ['desk', 'search', 'reports'],
    forbidden: 'Tài khoản không có quyền xem danh sách lượt khám.',
    query,
    queryRefused: (message) => jsonError(400, 'VALIDATION', message),
  },
  async ({ req, principal, query: params }) => {
    const day = params.date ?? localDay();
    const db = getDb();
    const encounters = await listEncounters(db, { facilityId: principal.facilityId, day, roomCode: params.roomCode });
    // Audited when it shows this viewer something new (lib/audit/list-views.ts), not at every 5-second refresh.
    const fresh = newInListView({
      actor: principal,
      list: 'encounters',
      params: { day, room: params.roomCode ?? null },
      ids: encounters.map((e) => e.id),
    });
    if (fresh) {
      await audit(db, {
        action: 'ENCOUNTER_LIST_VIEWED',
        actor: principal,
        ip: clientIp(req.headers),
        details: { day, room: params.roomCode ?? null, count: encounters.length, newRows: fresh.length },
      });
    }
    return Response.json({ date: day, encounters });
  },
);
