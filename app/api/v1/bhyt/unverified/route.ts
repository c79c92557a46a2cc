import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { z } from '@/lib/validation';
import { getDb } from '@/lib/db/client';
import { audit } from '@/lib/audit';
import { isValidCalendarDate } from '@/lib/identity';
import { localDay } from '@/lib/time/local-day';
import { listUnverified } from '@/lib/insurance/worklist';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng YYYY-MM-DD.')
  .refine((d) => isValidCalendarDate(Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))), 'Ngày không tồn tại.');

/** The desk's "BHYT chưa xác minh" worklist for one local day (default today). */
export const GET = apiRoute({ area: 'desk' }, async ({ req, principal }) => {
  const param = new URL(req.url).searchParams.get('date');
  const parsed = day.safeParse(param ?? localDay());
  if (!parsed.success) return jsonError(400, 'VALIDATION', `Dữ liệu không hợp lệ: date: ${parsed.error.issues[0]?.message}`);
  const db = getDb();
  const items = await listUnverified(db, principal.facilityId, parsed.data);
  await audit(db, {
    action: 'BHYT_WORKLIST_VIEWED', actor: principal, entityType: 'Encounter', purpose: 'Danh sách BHYT chưa xác minh',
    ip: clientIp(req.headers), details: { date: parsed.data, count: items.length },
  });
  return Response.json({ date: parsed.data, items });
});
