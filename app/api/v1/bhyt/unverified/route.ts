import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { z } from '@/lib/validation';
import { getDb } from '@/lib/db/client';
import { audit } from '@/lib/audit';
import { newInListView } from '@/lib/audit/list-views';
import { isValidCalendarDate } from '@/lib/identity';
import { localDay } from '@/lib/time/local-day';
import { listUnverified, type UnverifiedResponse } from '@/lib/insurance/worklist';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Ngày phải có dạng YYYY-MM-DD.')
  .refine(
    (d) => isValidCalendarDate(Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))),
    'Ngày không tồn tại.',
  );

/** The desk's "BHYT chưa xác minh" worklist for one local day (default today). */
const query = z.object({ date: day.optional() });

export const GET = apiRoute(
  {
    area: 'desk',
    query,
    queryRefused: (message) => jsonError(400, 'VALIDATION', `Dữ liệu không hợp lệ: ${message}`),
  },
  async ({ req, principal, query: q }) => {
    const date = q.date ?? localDay();
    const db = getDb();
    const items = await listUnverified(db, principal.facilityId, date);
    // Audited when it shows this viewer something new (lib/audit/list-views.ts), not at every 20-second refresh.
    const fresh = newInListView({
      actor: principal,
      list: 'bhyt-unverified',
      params: { date: date },
      ids: items.map((i) => i.encounterId),
    });
    if (fresh) {
      await audit(db, {
        action: 'BHYT_WORKLIST_VIEWED',
        actor: principal,
        entityType: 'Encounter',
        purpose: 'Danh sách BHYT chưa xác minh',
        ip: clientIp(req.headers),
        details: { date: date, count: items.length, newRows: fresh.length },
      });
    }
    return Response.json({ date: date, items } satisfies UnverifiedResponse);
  },
);
