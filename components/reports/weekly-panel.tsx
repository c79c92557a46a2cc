'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { DateInput } from '@/components/date-input';
import { errorText } from '@/components/api-fetch';
import { generateWeeklyReport } from './reports.resource';

/** Generates (or refreshes) the report of any past week: the Monday–Sunday week holding the day chosen. */
export function GenerateWeeklyForm({
  t,
  dateText,
  defaultDay,
}: {
  t: Messages['reports'];
  dateText: Messages['dateInput'];
  defaultDay: string;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const weekOf = String(new FormData(event.currentTarget).get('weekOf') ?? '');
    setBusy(true);
    const generated = await generateWeeklyReport(weekOf).then(
      () => true,
      (e: unknown) => setError(errorText(e, t.generateFailed)),
    );
    setBusy(false);
    if (!generated) return;
    setError(null);
    router.refresh();
  }
  return (
    <form onSubmit={onSubmit} aria-label={t.generate} className="flex flex-wrap items-end gap-2">
      <label className="text-sm">
        {t.weekOf}
        <span className="ml-2">
          <DateInput name="weekOf" required defaultValue={defaultDay} text={dateText} />
        </span>
      </label>
      <button
        disabled={busy}
        className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {t.generate}
      </button>
      {error && (
        <span role="alert" lang="vi" className="text-sm text-red-700">
          {error}
        </span>
      )}
    </form>
  );
}
