import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { kioskSettingsSchema, setKioskDisabled, updateKiosk, type KioskDisabledResponse } from '@/lib/kiosk/devices';
import { z, uuid } from '@/lib/validation';

const id = uuid('Mã kiosk không hợp lệ.');

/** `PUT /api/v1/kiosks/:id` (ADMIN): name, rooms, payers and BHYT lookup staff. */
export const PUT = apiRoute<typeof kioskSettingsSchema, { id: string }, 'admin'>(
  { area: 'admin', body: kioskSettingsSchema },
  async ({ principal, body, params }) => {
    const kioskId = id.safeParse(params.id);
    if (!kioskId.success) return jsonError(400, 'VALIDATION', kioskId.error.issues[0]!.message);
    if (!(await updateKiosk(getDb(), principal, kioskId.data, body)))
      return jsonError(404, 'NOT_FOUND', 'Không tìm thấy kiosk.');
    return Response.json({ ok: true });
  },
);

const patch = z.object({ disabled: z.boolean() }).strict();

/** `PATCH /api/v1/kiosks/:id {disabled}` (ADMIN): a disabled kiosk is refused at its next request. */
export const PATCH = apiRoute<typeof patch, { id: string }, 'admin'>(
  { area: 'admin', body: patch },
  async ({ principal, body, params }) => {
    const kioskId = id.safeParse(params.id);
    if (!kioskId.success) return jsonError(400, 'VALIDATION', kioskId.error.issues[0]!.message);
    if (!(await setKioskDisabled(getDb(), principal, kioskId.data, body.disabled)))
      return jsonError(404, 'NOT_FOUND', 'Không tìm thấy kiosk.');
    return Response.json({ ok: true, disabled: body.disabled } satisfies KioskDisabledResponse);
  },
);
