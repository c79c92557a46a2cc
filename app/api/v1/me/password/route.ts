import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { changeOwnPassword, passwordSchema, type PasswordChangeResponse } from '@/lib/auth/users';
import { z } from '@/lib/validation';

const body = z
  .object({
    currentPassword: z.string().min(1, 'Nhập mật khẩu hiện tại.').max(256),
    newPassword: passwordSchema,
  })
  .strict();

/**
 * `POST /api/v1/me/password`: the signed-in user changes their own password (the first thing a user with a
 * generated password may do). API keys have no password: 403. The account's other sessions end.
 */
export const POST = apiRoute(
  { area: null, body, maxBodyBytes: 4096, beforePasswordChange: true },
  async ({ principal, body }) => {
    if (principal.kind !== 'USER') return jsonError(403, 'FORBIDDEN', 'Chỉ tài khoản người dùng mới có mật khẩu.');
    await changeOwnPassword(getDb(), principal, body.currentPassword, body.newPassword);
    return Response.json({ changed: true } satisfies PasswordChangeResponse);
  },
);
