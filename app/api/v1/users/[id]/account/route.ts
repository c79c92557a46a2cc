import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { administerUser, USER_ACTIONS, type UserAccountResponse } from '@/lib/auth/users';
import { z, uuid } from '@/lib/validation';

const id = uuid('Mã người dùng không hợp lệ.');
const body = z
  .object({
    action: z.enum(USER_ACTIONS, { message: 'Thao tác phải là disable, enable, reset-password hoặc unlock.' }),
  })
  .strict();

/**
 * `POST /api/v1/users/:id/account` `{action}` (ADMIN, own facility only): disable (ends the user's sessions),
 * enable, reset-password (the generated password is in this response, once), unlock. Audited (lib/auth/users.ts).
 */
export const POST = apiRoute<typeof body, { id: string }>(
  { area: 'admin', body },
  async ({ principal, params, body }) => {
    const userId = id.safeParse(params.id);
    if (!userId.success) return jsonError(404, 'UNKNOWN_USER', 'Không tìm thấy người dùng này.');
    const result = await administerUser(getDb(), body.action, { id: userId.data }, { actor: principal });
    return Response.json(result satisfies UserAccountResponse, { headers: { 'cache-control': 'no-store' } });
  },
);
