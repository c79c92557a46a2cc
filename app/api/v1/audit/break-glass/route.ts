import { z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { isIsoDate } from '@/lib/reports/intake';
import { breakGlassEvents } from '@/lib/patients/access';
import { localDay, localDayStart } from '@/lib/time/local-day';

const query = z.object({
  from: z.string().refine(isIsoDate, 'Ngày phải có dạng YYYY-MM-DD.').optional(),
  to: z.string().refine(isIsoDate, 'Ngày phải có dạng YYYY-MM-DD.').optional(),
});

/**
 * Break-glass events for the caller's facility's managers and admins (local days `from`–`to`, default the last
 * 30): its staff's openings of other facilities' records, and other facilities' openings of its patients, with
 * the reason given.
 */
export const GET = apiRoute({ area: 'reports', query }, async ({ principal, query: q }) => {
  const to = q.to ?? localDay();
  const from = q.from ?? localDay(new Date(localDayStart(to).getTime() - 29 * 86_400_000));
  if (from > to) return jsonError(400, 'VALIDATION', 'Ngày bắt đầu phải trước ngày kết thúc.');
  const end = new Date(localDayStart(to).getTime() + 86_400_000);
  return Response.json(
    { from, to, events: await breakGlassEvents(getDb(), principal.facilityId, localDayStart(from), end) },
    { headers: { 'cache-control': 'no-store' } },
  );
});
