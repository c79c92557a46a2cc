'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { PURPOSES } from '@/lib/codes';
import type { PatientSearchResponse } from '@/lib/patients/lookup';
import { errorText } from '@/components/api-fetch';
import { searchPatients, type SearchQuery } from './support.resource';
import { DateInput } from '@/components/date-input';
import { formatIsoDate } from '@/lib/time/local-day';

/** One search box for the support team. The purpose comes first: the search is disabled until one is chosen. */
export function SearchPanel({ t, codes }: { t: Messages['search']; codes: Messages['codes'] }) {
  const [purpose, setPurpose] = useState('');
  const [result, setResult] = useState<PatientSearchResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<SearchQuery | null>(null);

  async function run(query: SearchQuery) {
    setBusy(true);
    setError(null);
    try {
      const found = await searchPatients(query);
      setLast(query);
      setResult(found);
    } catch (e) {
      setResult(null);
      setError(errorText(e, t.noResults));
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!purpose) return setError(t.purposeFirst);
    const form = new FormData(event.currentTarget);
    const query: SearchQuery = { purpose, q: String(form.get('q') ?? '') };
    for (const key of ['birth', 'phone'] as const) if (form.get(key)) query[key] = String(form.get(key));
    void run(query);
  }

  function goPage(page: number) {
    if (!last) return;
    void run({ ...last, page });
  }

  return (
    <div className="space-y-4">
      <form
        onSubmit={onSubmit}
        className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 md:grid-cols-[14rem_1fr_10rem_10rem_auto]"
        role="search"
      >
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.purpose}</span>
          <select
            value={purpose}
            onChange={(e) => {
              setPurpose(e.target.value);
              setError(null);
            }}
            required
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-2"
          >
            <option value="">{t.choosePurpose}</option>
            {PURPOSES.map((code) => (
              <option key={code} value={code}>
                {codes.purpose[code]}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.query}</span>
          <input
            name="q"
            required
            minLength={2}
            disabled={!purpose}
            autoComplete="off"
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-lg disabled:bg-slate-100"
          />
        </label>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.birth}</span>
          <DateInput
            name="birth"
            allowYearOnly
            disabled={!purpose}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 disabled:bg-slate-100"
          />
        </label>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.phone}</span>
          <input
            name="phone"
            inputMode="tel"
            disabled={!purpose}
            className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2 disabled:bg-slate-100"
          />
        </label>
        <button
          type="submit"
          disabled={busy}
          className="self-end rounded-md bg-brand-600 px-5 py-2.5 font-semibold text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {t.submit}
        </button>
      </form>
      {error && (
        <p
          role="alert"
          lang={error === t.purposeFirst ? undefined : 'vi'}
          className="rounded-md bg-red-50 p-3 text-sm text-red-800"
        >
          {error}
        </p>
      )}
      {result &&
        (result.rows.length === 0 ? (
          <p role="status" className="text-slate-600">
            {t.noResults}
          </p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="w-full text-left text-sm" aria-label={t.title}>
              <thead className="bg-slate-50 text-slate-600">
                <tr>
                  <th className="px-3 py-2">{t.name}</th>
                  <th className="px-3 py-2">{t.born}</th>
                  <th className="px-3 py-2">{t.sex}</th>
                  <th className="px-3 py-2">{t.identifiers}</th>
                  <th className="px-3 py-2">{t.phone}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {result.rows.map((row) => (
                  <tr key={row.id} className="border-t border-slate-100">
                    <td className="px-3 py-2 font-medium">
                      <span lang="vi">{row.fullName}</span>
                      {row.mergedIntoId && (
                        <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-900">{t.merged}</span>
                      )}
                      {row.outside && (
                        <span className="ml-2 rounded bg-slate-200 px-1.5 text-xs text-slate-800">{t.outside}</span>
                      )}
                    </td>
                    <td className="px-3 py-2">{formatIsoDate(row.birthDate)}</td>
                    <td className="px-3 py-2">{row.sex ? codes.sex[row.sex] : ''}</td>
                    <td className="px-3 py-2 text-xs tabular-nums">
                      {row.identifiers.map((i) => (
                        <div key={`${i.system}${i.value}`} className={i.retired ? 'text-slate-400 line-through' : ''}>
                          {codes.identifier[i.system]}: {i.value}
                        </div>
                      ))}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">{row.phone}</td>
                    <td className="px-3 py-2">
                      <Link className="text-brand-700 underline" href={`/tra-cuu/${row.id}?purpose=${purpose}`}>
                        {t.open}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="flex items-center gap-3 border-t border-slate-100 px-3 py-2 text-sm">
              <button
                type="button"
                disabled={result.page <= 1}
                onClick={() => goPage(result.page - 1)}
                className="rounded border px-2 py-1 disabled:opacity-40"
              >
                {t.prev}
              </button>
              <span>
                {t.page} {result.page}
              </span>
              <button
                type="button"
                disabled={!result.hasMore}
                onClick={() => goPage(result.page + 1)}
                className="rounded border px-2 py-1 disabled:opacity-40"
              >
                {t.next}
              </button>
            </div>
          </div>
        ))}
    </div>
  );
}
