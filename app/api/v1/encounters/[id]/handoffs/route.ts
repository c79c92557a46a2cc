import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { encounterHandoffs } from '@/lib/handoff/status';
import { uuid } from '@/lib/validation';

const id = uuid('Mã lượt khám không hợp lệ.');

/**
 * `GET /api/v1/encounters/:id/handoffs`: hand-off state and log of one encounter (desk, support, managers).
 * Polled by the desk badge every few seconds; it returns no personal data (states, codes, the HIS's error
 * text), so it is not audited per poll.
 */
export const GET = apiRoute<undefined, { id: string }>(
  { area: ['desk', 'search', 'reports'], forbidden: 'Tài khoản không có quyền xem trạng thái bàn giao.' },
  async ({ principal, params }) => {
    const parsed = id.safeParse(params.id);
    if (!parsed.success) return jsonError(400, 'VALIDATION', parsed.error.issues[0]!.message);
    const result = await encounterHandoffs(getDb(), parsed.data, principal.facilityId);
    if (!result) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy lượt khám.');
    return Response.json(result, { headers: { 'cache-control': 'no-store' } });
  },
);
