import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { weeklyWorkbook } from '@/lib/reports/excel';
import type { WeeklyData } from '@/lib/reports/weekly';
import { xlsxResponse } from '../../_xlsx';
import { uuid } from '@/lib/validation';

/** Downloads a kept weekly report as Excel (built from the stored figures, so it never changes after the fact). */
export const GET = apiRoute<undefined, { id: string }>({ area: 'reports' }, async ({ principal, params }) => {
  if (!uuid().safeParse(params.id).success) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy báo cáo.');
  const db = getDb();
  const report = await db.weeklyReport.findFirst({ where: { id: params.id, facilityId: principal.facilityId } });
  if (!report) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy báo cáo.');
  const facility = await db.facility.findUniqueOrThrow({ where: { id: principal.facilityId }, select: { name: true } });
  const data = report.data as WeeklyData;
  return xlsxResponse(await weeklyWorkbook(data, facility.name), `bao-cao-tuan-${data.weekStart}.xlsx`);
});
