import { z } from '@/lib/validation';
import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { intakeWithComparison, isIsoDate } from '@/lib/reports/intake';
import { localDay } from '@/lib/time/local-day';

const query = z.object({ date: z.string().refine(isIsoDate, 'Ngày phải có dạng YYYY-MM-DD.').optional() });

/** Daily intake for the caller's facility (local day in Asia/Ho_Chi_Minh; today when no date is given). */
export const GET = apiRoute({ area: 'reports', query }, async ({ principal, query: q }) =>
  Response.json(await intakeWithComparison(getDb(), principal.facilityId, q.date ?? localDay())),
);
