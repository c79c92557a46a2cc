'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { errorText } from './api-fetch';
import { changePassword } from './account.resource';

/** Current password, the new one twice; the server checks the rules again (POST /api/v1/me/password). */
export function ChangePasswordForm({
  t,
  mustChange,
  home,
}: {
  t: Messages['password'];
  mustChange: boolean;
  home: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get('newPassword') ?? '');
    if (newPassword !== String(form.get('confirm') ?? '')) return setError(t.mismatch);
    setBusy(true);
    setError(null);
    const changed = await changePassword(String(form.get('currentPassword') ?? ''), newPassword).then(
      () => true,
      (e: unknown) => setError(errorText(e, t.failed)),
    );
    setBusy(false);
    if (changed) {
      router.replace(home);
      router.refresh();
    }
  }

  const field = 'mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-lg';
  return (
    <form
      onSubmit={onSubmit}
      className="w-full max-w-sm space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      aria-labelledby="password-title"
    >
      <h2 id="password-title" className="text-xl font-semibold">
        {t.title}
      </h2>
      {mustChange && !error && (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {t.mustChange}
        </p>
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t.current}</span>
        <input
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          autoFocus
          required
          className={field}
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t.next}</span>
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          aria-describedby="password-rules"
          className={field}
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t.confirm}</span>
        <input name="confirm" type="password" autoComplete="new-password" required minLength={8} className={field} />
      </label>
      <p id="password-rules" className="text-sm text-slate-600">
        {t.rules}
      </p>
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded-md bg-brand-600 px-4 py-2 text-lg font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {busy ? t.working : t.submit}
      </button>
      {!mustChange && (
        <a href={home} className="block text-center text-sm text-brand-700 underline">
          {t.back}
        </a>
      )}
    </form>
  );
}
