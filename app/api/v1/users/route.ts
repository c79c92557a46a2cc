import { apiRoute } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { listUsers } from '@/lib/auth/users';

/** `GET /api/v1/users` (ADMIN): the administrator's facility's accounts and their state (no password data). */
export const GET = apiRoute({ area: 'admin' }, async ({ principal }) => {
  return Response.json({ users: await listUsers(getDb(), principal.facilityId) });
});
