'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { returnPath } from './api-fetch';

export function LoginForm({ t, notice, from }: { t: Messages['login']; notice?: string; from?: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn('credentials', {
      redirect: false,
      username: String(form.get('username') ?? ''),
      password: String(form.get('password') ?? ''),
    });
    setBusy(false);
    if (result?.ok && !result.error) {
      router.replace(returnPath(from));
      router.refresh();
      return;
    }
    const code = result?.error ?? '';
    setError(code === 'INVALID' || code === 'CredentialsSignin' ? t.invalid : t.error);
  }

  return (
    <form
      onSubmit={onSubmit}
      className="w-full max-w-sm space-y-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
      aria-labelledby="login-title"
    >
      <h2 id="login-title" className="text-xl font-semibold">
        {t.title}
      </h2>
      {notice && !error && (
        <p role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {notice}
        </p>
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {error}
        </p>
      )}
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t.username}</span>
        <input
          name="username"
          autoComplete="username"
          autoFocus
          required
          autoCapitalize="none"
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-lg"
        />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">{t.password}</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-lg"
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded-md bg-brand-600 px-4 py-2 text-lg font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {busy ? t.working : t.submit}
      </button>
    </form>
  );
}
