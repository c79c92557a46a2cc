import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { assignRoom, type RoomAssignedResponse } from '@/lib/encounters/rooms';
import { z, uuid } from '@/lib/validation';

const id = uuid('Mã người dùng không hợp lệ.');
const body = z.object({ roomCode: z.string().trim().min(1).max(20).nullable() }).strict();

/** `PUT /api/v1/users/:id/room` (ADMIN): the desk user's assigned room (their default), or null to clear it. */
export const PUT = apiRoute<typeof body, { id: string }>(
  { area: 'admin', body },
  async ({ principal, params, body }) => {
    const userId = id.safeParse(params.id);
    if (!userId.success) return jsonError(400, 'VALIDATION', userId.error.issues[0]!.message);
    await assignRoom(getDb(), principal, userId.data, body.roomCode);
    return Response.json({ roomCode: body.roomCode } satisfies RoomAssignedResponse);
  },
);
