import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { renewPairingCode, type PairingCodeResponse } from '@/lib/kiosk/devices';
import { uuid } from '@/lib/validation';

/** `POST /api/v1/kiosks/:id/pairing-code` (ADMIN): a new one-time code (shown once); the browser that uses it replaces the paired one. */
export const POST = apiRoute<undefined, { id: string }, 'admin'>({ area: 'admin' }, async ({ principal, params }) => {
  const kioskId = uuid().safeParse(params.id);
  if (!kioskId.success) return jsonError(400, 'VALIDATION', 'Mã kiosk không hợp lệ.');
  const pairingCode = await renewPairingCode(getDb(), principal, kioskId.data);
  if (!pairingCode) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy kiosk.');
  return Response.json({ pairingCode } satisfies PairingCodeResponse);
});
