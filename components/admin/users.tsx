'use client';

import { useCallback, useEffect, useState } from 'react';
import { fill, type Messages } from '@/lib/i18n/messages';
import { formatDateTime } from '@/lib/time/local-day';
import type { UserAction, UsersResponse } from '@/lib/auth/users';
import { errorText } from '@/components/api-fetch';
import { administerUser, listUsers } from './admin.resource';

type User = UsersResponse['users'][number];
type Status = { kind: 'ok' | 'error'; text: string; password?: string } | null;

/**
 * The facility's accounts on the admin page, with disable/enable, reset password (the new one shown once) and
 * unlock. Everything goes through /api/v1/users (ADMIN, own facility, audited there).
 */
export function UsersPanel({
  t,
  title,
  roles,
  selfId,
}: {
  t: Messages['users'];
  title: string;
  roles: Messages['role'];
  selfId: string;
}) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setUsers((await listUsers()).users);
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e, t.failed) });
    }
  }, [t.failed]);
  useEffect(() => void load(), [load]);

  const act = async (user: User, action: UserAction) => {
    if (action === 'disable' && !window.confirm(fill(t.confirmDisable, { username: user.username }))) return;
    if (action === 'reset-password' && !window.confirm(fill(t.confirmReset, { username: user.username }))) return;
    setBusy(`${user.id}:${action}`);
    setStatus(null);
    const result = await administerUser(user.id, action).catch((e: unknown) => e as Error);
    setBusy(null);
    if (result instanceof Error) return setStatus({ kind: 'error', text: errorText(result, t.failed) });
    setStatus(
      result.temporaryPassword
        ? { kind: 'ok', text: fill(t.newPassword, { username: user.username }), password: result.temporaryPassword }
        : { kind: 'ok', text: fill(t.done, { username: user.username }) },
    );
    await load();
  };

  const password = { DEMO: t.pwDemo, TEMPORARY: t.pwTemporary, OWN: t.pwOwn };
  const button = (user: User, action: UserAction, label: string, danger = false) => (
    <button
      type="button"
      onClick={() => void act(user, action)}
      disabled={busy !== null}
      aria-label={`${label} ${user.username}`}
      className={`rounded-md border px-2 py-1 disabled:opacity-60 ${danger ? 'border-red-300 text-red-800 hover:bg-red-50' : 'border-slate-300 hover:bg-slate-50'}`}
    >
      {label}
    </button>
  );
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title" className="mb-2 text-lg font-semibold">
        {title}
      </h2>
      <p className="mb-2 text-sm text-slate-600">{t.intro}</p>
      {status && (
        <div
          role={status.kind === 'error' ? 'alert' : 'status'}
          className={`mb-2 rounded-md p-3 text-sm ${status.kind === 'error' ? 'bg-red-50 text-red-800' : 'bg-emerald-50 text-emerald-900'}`}
        >
          <p>{status.text}</p>
          {status.password && (
            <output aria-label={t.resetPassword} className="mt-1 block select-all font-mono text-base">
              {status.password}
            </output>
          )}
        </div>
      )}
      <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
        <thead className="bg-slate-100">
          <tr>
            {[t.colUsername, t.colName, t.colRole, t.colStatus, t.colPassword, t.colLastSignIn, ''].map((h, i) => (
              <th key={i} className="p-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {users?.map((u) => (
            <tr key={u.id} className="border-t" data-username={u.username}>
              <td className="p-2 font-mono">
                {u.username} {u.id === selfId && <span className="font-sans text-slate-500">{t.you}</span>}
              </td>
              <td className="p-2" lang="vi">
                {u.fullName}
              </td>
              <td className="p-2">{roles[u.role]}</td>
              <td className="p-2">{!u.active ? t.disabled : u.locked ? t.locked : t.active}</td>
              <td className="p-2">{password[u.passwordState]}</td>
              <td className="p-2">{u.lastSignInAt ? formatDateTime(new Date(u.lastSignInAt)) : t.never}</td>
              <td className="space-x-1 p-2 text-right whitespace-nowrap">
                {u.locked && button(u, 'unlock', t.unlock)}
                {u.id !== selfId && button(u, 'reset-password', t.resetPassword)}
                {u.id !== selfId && (u.active ? button(u, 'disable', t.disable, true) : button(u, 'enable', t.enable))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
