/** The signed-in user's own calls: who am I (also reports activity), and changing one's password. */
import { apiFetch } from '@/components/api-fetch';
import type { MeResponse } from '@/lib/auth/roles';
import type { PasswordChangeResponse } from '@/lib/auth/users';

/** Who the caller is; as any request, it counts as activity for the idle sign-out. */
export const me = () => apiFetch<MeResponse>('/api/v1/me');

export const changePassword = (currentPassword: string, newPassword: string) =>
  apiFetch<PasswordChangeResponse>('/api/v1/me/password', { body: { currentPassword, newPassword } });
