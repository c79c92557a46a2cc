'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { errorText } from '@/components/api-fetch';
import { breakGlass } from './support.resource';

/** The support record page's break-glass (lib/patients/access.ts): a reason first, then the record opens. */
export function BreakGlassForm({
  t,
  patientId,
  minutes,
}: {
  t: Messages['patient'];
  patientId: string;
  minutes: number;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const reason = String(new FormData(event.currentTarget).get('reason'));
    const opened = await breakGlass(patientId, reason).then(
      () => true,
      (e: unknown) => setError(errorText(e, 'Lỗi')),
    );
    setBusy(false);
    if (opened) router.refresh();
  }
  return (
    <form
      onSubmit={onSubmit}
      aria-label={t.breakGlass}
      className="max-w-xl space-y-3 rounded-xl border border-amber-300 bg-amber-50 p-4"
    >
      <h1 className="text-xl font-semibold">{t.outsideTitle}</h1>
      <p className="text-sm text-amber-900">{t.outsideHint.replace('{minutes}', String(minutes))}</p>
      <label className="block">
        {t.breakGlassReason}
        <input
          name="reason"
          required
          minLength={3}
          maxLength={200}
          className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2"
        />
      </label>
      <button
        disabled={busy}
        className="rounded-md bg-amber-700 px-4 py-2 font-semibold text-white hover:bg-amber-800 disabled:opacity-60"
      >
        {t.breakGlass}
      </button>
      {error && (
        <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800">
          {error}
        </p>
      )}
    </form>
  );
}
