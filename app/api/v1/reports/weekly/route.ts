import { z } from '@/lib/validation';
import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { audit } from '@/lib/audit';
import { isIsoDate } from '@/lib/reports/intake';
import { generateWeeklyReport, isMonday, previousWeekStart } from '@/lib/reports/weekly';
import { localDay } from '@/lib/time/local-day';

/** Kept weekly reports of the caller's facility, newest first. */
export const GET = apiRoute({ area: 'reports' }, async ({ principal }) => {
  const reports = await getDb().weeklyReport.findMany({
    where: { facilityId: principal.facilityId }, orderBy: { weekStart: 'desc' }, take: 52,
    select: { id: true, weekStart: true, weekEnd: true, generatedAt: true, generatedBy: true, data: true },
  });
  return Response.json({ reports });
});

const body = z.object({
  weekStart: z.string().refine((s) => isIsoDate(s) && isMonday(s), 'Tuần phải bắt đầu vào thứ Hai (YYYY-MM-DD).').optional(),
}).strict();

/** Generates (or refreshes) a week's report on demand; by default the last full week. */
export const POST = apiRoute({ area: 'reports', body }, async ({ principal, body }) => {
  const db = getDb();
  const weekStart = body.weekStart ?? previousWeekStart(localDay());
  const [report] = await generateWeeklyReport(db, weekStart, { facilityId: principal.facilityId, generatedBy: principal.name });
  await audit(db, { action: 'WEEKLY_REPORT_GENERATED', actor: principal, entityType: 'WeeklyReport', entityId: report!.id, details: { weekStart } });
  return Response.json({ report }, { status: 201 });
});
