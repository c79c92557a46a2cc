import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { canAccess } from '@/lib/auth/roles';
import { listEncounters } from '@/lib/encounters/list';
import { audit } from '@/lib/audit';
import { localDay } from '@/lib/time/local-day';
import { z } from '@/lib/validation';

const query = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date phải có dạng YYYY-MM-DD.').optional(),
  roomCode: z.string().max(20).optional(),
});

/** `GET /api/v1/encounters?date=YYYY-MM-DD&roomCode=P01`: a local day's encounters (desk, support, managers). */
export const GET = apiRoute({ area: null }, async ({ req, principal }) => {
  if (!(['desk', 'search', 'reports'] as const).some((a) => canAccess(principal.role, a))) return jsonError(403, 'FORBIDDEN', 'Tài khoản không có quyền xem danh sách lượt khám.');
  const params = query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!params.success) return jsonError(400, 'VALIDATION', params.error.issues[0]!.message);
  const day = params.data.date ?? localDay();
  const db = getDb();
  const encounters = await listEncounters(db, { facilityId: principal.facilityId, day, roomCode: params.data.roomCode });
  await audit(db, { action: 'ENCOUNTER_LIST_VIEWED', actor: principal, details: { day, room: params.data.roomCode ?? null, count: encounters.length } });
  return Response.json({ date: day, encounters });
});
