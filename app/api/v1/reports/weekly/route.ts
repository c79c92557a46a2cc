import { z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { audit } from '@/lib/audit';
import { addDays, isIsoDate } from '@/lib/reports/intake';
import { generateWeeklyReport, previousWeekStart, weekStartOf } from '@/lib/reports/weekly';
import { localDay } from '@/lib/time/local-day';

/** Kept weekly reports of the caller's facility, newest first. */
export const GET = apiRoute({ area: 'reports' }, async ({ principal }) => {
  const reports = await getDb().weeklyReport.findMany({
    where: { facilityId: principal.facilityId },
    orderBy: { weekStart: 'desc' },
    take: 52,
    select: { id: true, weekStart: true, weekEnd: true, generatedAt: true, generatedBy: true, data: true },
  });
  return Response.json({ reports });
});

const body = z
  .object({
    weekOf: z.string().refine(isIsoDate, 'Ngày phải có dạng YYYY-MM-DD.').optional(),
  })
  .strict();

/**
 * Generates (or refreshes) on demand the report of the Monday–Sunday week holding `weekOf`; by default the last
 * full week. A week that has not ended yet has no report.
 */
export const POST = apiRoute({ area: 'reports', body }, async ({ principal, body }) => {
  const db = getDb();
  const today = localDay();
  const weekStart = body.weekOf ? weekStartOf(body.weekOf) : previousWeekStart(today);
  if (addDays(weekStart, 6) >= today)
    return jsonError(
      400,
      'WEEK_NOT_OVER',
      'Tuần này chưa kết thúc: chỉ lập báo cáo cho tuần đã qua (đến hết Chủ nhật).',
    );
  const [report] = await generateWeeklyReport(db, weekStart, {
    facilityId: principal.facilityId,
    generatedBy: principal.name,
  });
  await audit(db, {
    action: 'WEEKLY_REPORT_GENERATED',
    actor: principal,
    entityType: 'WeeklyReport',
    entityId: report!.id,
    details: { weekStart },
  });
  return Response.json({ report }, { status: 201 });
});
