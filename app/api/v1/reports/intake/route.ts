import { z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { addDays, intakeForDay, intakeForRange, isIsoDate } from '@/lib/reports/intake';
import { dayWorkbook, rangeWorkbook } from '@/lib/reports/excel';
import { xlsxResponse } from '../_xlsx';

const day = z.string().refine(isIsoDate, 'Ngày phải có dạng YYYY-MM-DD.');
const query = z.object({ date: day.optional(), from: day.optional(), to: day.optional() });
const MAX_RANGE_DAYS = 366;

/** Excel export: `?date=` for one day (all breakdowns), `?from=&to=` for a range (one row per day). */
export const GET = apiRoute({ area: 'reports', query }, async ({ principal, query: q }) => {
  const { date, from, to } = q;
  const db = getDb();
  const facility = await db.facility.findUniqueOrThrow({ where: { id: principal.facilityId }, select: { name: true } });
  if (date)
    return xlsxResponse(
      await dayWorkbook(await intakeForDay(db, principal.facilityId, date), facility.name),
      `tiep-nhan-${date}.xlsx`,
    );
  if (!from || !to) return jsonError(400, 'VALIDATION', 'Cần ngày (date) hoặc khoảng ngày (from, to).');
  if (from > to) return jsonError(400, 'VALIDATION', 'Ngày bắt đầu phải trước ngày kết thúc.');
  if (addDays(from, MAX_RANGE_DAYS - 1) < to)
    return jsonError(400, 'VALIDATION', `Khoảng ngày tối đa ${MAX_RANGE_DAYS} ngày.`);
  return xlsxResponse(
    await rangeWorkbook(await intakeForRange(db, principal.facilityId, from, to), facility.name),
    `tiep-nhan-${from}-den-${to}.xlsx`,
  );
});
