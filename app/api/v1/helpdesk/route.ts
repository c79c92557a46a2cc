import { text, z, uuid } from '@/lib/validation';
import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { helpdeskCounts, recordHelpdesk } from '@/lib/helpdesk/log';
import { HelpdeskOutcome, HelpdeskService } from '@/lib/codes';
import { localDay } from '@/lib/time/local-day';

const body = z
  .object({
    requestId: uuid('Thiếu mã yêu cầu (requestId).'),
    service: z.enum(HelpdeskService, { message: 'Dịch vụ hỗ trợ không hợp lệ.' }),
    outcome: z.enum(HelpdeskOutcome, { message: 'Kết quả không hợp lệ.' }),
    patientId: uuid().optional(),
    note: text().max(200, 'Ghi chú quá dài (tối đa 200 ký tự).').optional(),
  })
  .strict();

/** Records one citizen helped at the VNeID desk; the same requestId twice records once. */
export const POST = apiRoute({ area: 'search', body }, async ({ principal, body }) => {
  const { entry, repeated } = await recordHelpdesk(getDb(), principal, body);
  return Response.json({ entry }, { status: repeated ? 200 : 201 });
});

/** Today's counts at the caller's facility. */
export const GET = apiRoute({ area: 'search' }, async ({ principal }) => {
  const today = localDay();
  return Response.json({ date: today, ...(await helpdeskCounts(getDb(), principal.facilityId, today, today)) });
});
