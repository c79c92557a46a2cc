import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { kioskEndVisit, kioskVisitEndSchema } from '@/lib/kiosk/flow';
import { uuid } from '@/lib/validation';

/** `POST /api/v1/kiosk/visits/:id {outcome, reason?}` (kiosk only): the person went to the counter or the emergency desk, or left. */
export const POST = apiRoute<typeof kioskVisitEndSchema, { id: string }, 'kiosk'>(
  { area: 'kiosk', body: kioskVisitEndSchema },
  async ({ principal, body, params }) => {
    const id = uuid().safeParse(params.id);
    if (!id.success) return jsonError(400, 'VALIDATION', 'Mã lượt không hợp lệ.');
    await kioskEndVisit(getDb(), principal, id.data, body);
    return new Response(null, { status: 204 });
  },
);
