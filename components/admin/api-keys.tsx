'use client';

import { useCallback, useEffect, useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { formatDate, formatDateTime } from '@/lib/time/local-day';
import type { ApiKeysResponse } from '@/lib/auth/api-keys';
import { errorText } from '@/components/api-fetch';
import { createApiKey, listApiKeys, revokeApiKey } from './admin.resource';

type Key = ApiKeysResponse['keys'][number];
type Status = { kind: 'ok' | 'error'; text: string; key?: string } | null;

const EXPIRY_CHOICES = [30, 90, 365, null] as const;
const when = (iso: string) => formatDateTime(new Date(iso));

/**
 * The facility's API keys on the admin page: each with its last use and end date, revocable here; a new key with
 * an end date chosen from a short list (shown once). Everything goes through /api/v1/api-keys (audited there).
 */
export function ApiKeysPanel({ t, title, roles }: { t: Messages['apiKeys']; title: string; roles: Messages['role'] }) {
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [status, setStatus] = useState<Status>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Key['role']>('RECEPTIONIST');
  const [days, setDays] = useState<string>('365');

  const load = useCallback(async () => {
    try {
      setKeys((await listApiKeys()).keys);
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e, t.failed) });
    }
  }, [t.failed]);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- load() sets state only once its fetch answers
  useEffect(() => void load(), [load]);

  const revoke = async (key: Key) => {
    if (!window.confirm(t.confirmRevoke.replace('{name}', key.name))) return;
    setBusy(key.id);
    setStatus(null);
    await revokeApiKey(key.id).catch((e: unknown) => setStatus({ kind: 'error', text: errorText(e, t.failed) }));
    setBusy(null);
    await load();
  };

  const create = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy('create');
    setStatus(null);
    const created = await createApiKey({ name, role, expiresInDays: days === 'none' ? null : Number(days) }).catch(
      (e: unknown) => e as Error,
    );
    setBusy(null);
    if (created instanceof Error) return setStatus({ kind: 'error', text: errorText(created, t.failed) });
    setStatus({ kind: 'ok', text: t.created.replace('{name}', name), key: created.key });
    setName('');
    await load();
  };

  // eslint-disable-next-line react-hooks/purity -- expiry as of this render; the list renders again after every load
  const now = Date.now();
  const state = (k: Key) =>
    k.revokedAt ? t.revoked : k.expiresAt && Date.parse(k.expiresAt) <= now ? t.expired : t.active;
  return (
    <section aria-labelledby="api-keys-title">
      <h2 id="api-keys-title" className="mb-2 text-lg font-semibold">
        {title}
      </h2>
      <p className="mb-2 text-sm text-slate-600">{t.intro}</p>
      {status && (
        <div
          role={status.kind === 'error' ? 'alert' : 'status'}
          className={`mb-2 rounded-md p-3 text-sm ${status.kind === 'error' ? 'bg-red-50 text-red-800' : 'bg-emerald-50 text-emerald-900'}`}
        >
          <p>{status.text}</p>
          {status.key && (
            <output aria-label={t.createKey} className="mt-1 block select-all break-all font-mono">
              {status.key}
            </output>
          )}
        </div>
      )}
      <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
        <thead className="bg-slate-100">
          <tr>
            {[t.colName, t.colPrefix, t.colRole, t.colCreated, t.colLastUsed, t.colExpires, t.colStatus, ''].map(
              (h, i) => (
                <th key={i} className="p-2">
                  {h}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {keys?.length === 0 && (
            <tr>
              <td colSpan={8} className="p-2 text-slate-500">
                {t.empty}
              </td>
            </tr>
          )}
          {keys?.map((k) => (
            <tr key={k.id} className="border-t" data-key-id={k.id}>
              <td className="p-2">{k.name}</td>
              <td className="p-2 font-mono">td_{k.prefix}_…</td>
              <td className="p-2">{roles[k.role]}</td>
              <td className="p-2">{formatDate(new Date(k.createdAt))}</td>
              <td className="p-2">{k.lastUsedAt ? when(k.lastUsedAt) : t.never}</td>
              <td className="p-2">{k.expiresAt ? formatDate(new Date(k.expiresAt)) : t.noExpiry}</td>
              <td className="p-2">{state(k)}</td>
              <td className="p-2 text-right">
                {!k.revokedAt && (
                  <button
                    type="button"
                    onClick={() => void revoke(k)}
                    disabled={busy !== null}
                    aria-label={`${t.revoke} ${k.name}`}
                    className="rounded-md border border-red-300 px-3 py-1 text-red-800 hover:bg-red-50 disabled:opacity-60"
                  >
                    {busy === k.id ? t.revoking : t.revoke}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        onSubmit={create}
        className="mt-3 flex flex-wrap items-end gap-3 rounded-lg bg-white p-3 shadow-sm"
        aria-label={t.create}
      >
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.name}</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            minLength={2}
            maxLength={60}
            className="mt-1 block w-64 rounded-md border border-slate-300 px-3 py-1.5"
          />
        </label>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.role}</span>
          <select
            value={role}
            onChange={(e) => setRole(e.target.value as Key['role'])}
            className="mt-1 block rounded-md border border-slate-300 px-3 py-1.5"
          >
            {(Object.keys(roles) as Key['role'][]).map((r) => (
              <option key={r} value={r}>
                {roles[r]}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.expiry}</span>
          <select
            value={days}
            onChange={(e) => setDays(e.target.value)}
            className="mt-1 block rounded-md border border-slate-300 px-3 py-1.5"
          >
            {EXPIRY_CHOICES.map((d) => (
              <option key={String(d)} value={d === null ? 'none' : String(d)}>
                {d === null ? t.noExpiry : t.days.replace('{n}', String(d))}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          disabled={busy !== null}
          className="rounded-md bg-brand-600 px-4 py-1.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {busy === 'create' ? t.creating : t.createKey}
        </button>
      </form>
    </section>
  );
}
