'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { DateInput } from '@/components/date-input';
import type { UnverifiedItem } from '@/lib/insurance/worklist';
import type { CoverageVerifyResponse } from '@/lib/insurance/verify';
import { unverifiedKey, useUnverified, verifyCoverage } from './bhyt.resource';
import { formatIsoDate } from '@/lib/time/local-day';

type Item = UnverifiedItem;
type Outcome = CoverageVerifyResponse;
type ResultRow = Outcome & { key: number; fullName: string; cardMasked: string | null };

const STATUS_STYLE: Record<Outcome['status'], string> = {
  VERIFIED: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  REJECTED: 'border-red-300 bg-red-50 text-red-900',
  UNAVAILABLE: 'border-amber-300 bg-amber-50 text-amber-900',
};

/** The desk's list of BHYT visits not yet verified, with per-row and bulk re-verification. Refreshes itself. */
export function UnverifiedWorklist({ t, today }: { t: Messages['bhyt']; today: string }) {
  const [date, setDate] = useState(today);
  const [results, setResults] = useState<ResultRow[]>([]);
  const [busy, setBusy] = useState<Set<string>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const seq = useRef(0);
  const queryClient = useQueryClient();
  const list = useUnverified(date);

  const verify = useMutation({ mutationFn: verifyCoverage });

  async function verifyItem(item: Item): Promise<void> {
    if (!item.coverageId) return;
    const coverageId = item.coverageId;
    setBusy((b) => new Set(b).add(coverageId));
    try {
      const outcome = await verify.mutateAsync(coverageId);
      setResults((r) =>
        [{ ...outcome, key: ++seq.current, fullName: item.fullName, cardMasked: item.cardMasked }, ...r].slice(0, 50),
      );
    } catch (e) {
      setError(`${t.requestError} ${(e as Error).message}`);
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(coverageId);
        return next;
      });
    }
  }

  /** After a row leaves the list, keep the keyboard where it was: the button now at the same position. */
  async function refreshKeepingFocus(index: number) {
    await queryClient.invalidateQueries({ queryKey: unverifiedKey(date) });
    const buttons = tableRef.current?.querySelectorAll<HTMLButtonElement>('button[data-verify]');
    const target = buttons?.[Math.min(index, (buttons?.length ?? 1) - 1)];
    if (target) target.focus();
    else document.getElementById('bhyt-results')?.focus();
  }

  async function verifyOne(item: Item, index: number) {
    setError(null);
    await verifyItem(item);
    await refreshKeepingFocus(index);
  }

  async function verifyAll() {
    setError(null);
    const items = (list.data ?? []).filter(
      (i, n, all) => i.coverageId && all.findIndex((j) => j.coverageId === i.coverageId) === n,
    );
    setProgress({ done: 0, total: items.length });
    for (const [n, item] of items.entries()) {
      await verifyItem(item); // one at a time: the gateway and the 2-core server stay calm
      setProgress({ done: n + 1, total: items.length });
    }
    setProgress(null);
    await refreshKeepingFocus(0);
  }

  const items = list.data ?? [];
  const working = progress !== null;

  return (
    <section aria-labelledby="bhyt-title" className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <h1 id="bhyt-title" className="text-2xl font-semibold">
            {t.title}
          </h1>
          <p className="mt-1 text-slate-600">{t.intro}</p>
        </div>
        <label className="ml-auto text-sm">
          <span className="mr-2 font-medium text-slate-700">{t.date}</span>
          <DateInput
            defaultValue={today}
            max={today}
            onValidChange={(iso) => {
              if (iso) setDate(iso);
            }}
            className="rounded-md border border-slate-300 px-2 py-1 tabular-nums"
          />
        </label>
        <button
          type="button"
          onClick={verifyAll}
          disabled={working || !items.some((i) => i.coverageId)}
          className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-50"
        >
          {progress
            ? t.progress.replace('{done}', String(progress.done)).replace('{total}', String(progress.total))
            : t.verifyAll}
        </button>
      </div>

      <p className="text-sm text-slate-600" aria-live="polite">
        {formatIsoDate(date)} · {list.isLoading ? t.loading : t.count.replace('{n}', String(items.length))}
      </p>
      {list.isError && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {t.loadError}
        </p>
      )}
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-red-800">
          {error}
        </p>
      )}

      {items.length === 0 && !list.isLoading ? (
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-slate-600">{t.empty}</p>
      ) : (
        <table ref={tableRef} className="w-full border-collapse text-left text-sm">
          <caption className="sr-only">{t.title}</caption>
          <thead className="bg-slate-100 text-slate-700">
            <tr>
              {[t.col.time, t.col.queue, t.col.name, t.col.card, t.col.room, t.col.last, t.col.action].map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-semibold">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((item, index) => {
              const pending = item.coverageId ? busy.has(item.coverageId) : false;
              return (
                <tr key={item.encounterId} className="border-b border-slate-200">
                  <td className="px-3 py-2 tabular-nums">{item.time}</td>
                  <td className="px-3 py-2 tabular-nums">{item.queueNumber}</td>
                  <th scope="row" className="px-3 py-2 font-medium">
                    {item.fullName}
                  </th>
                  <td className="px-3 py-2 font-mono">{item.cardMasked ?? '—'}</td>
                  <td className="px-3 py-2">
                    {item.room.code} · {item.room.name}
                  </td>
                  <td className="px-3 py-2 text-slate-600">
                    {item.lastMessage
                      ? `${item.lastResultCode ? `[${item.lastResultCode}] ` : ''}${item.lastMessage}`
                      : '—'}
                  </td>
                  <td className="px-3 py-2">
                    {item.coverageId ? (
                      <button
                        type="button"
                        data-verify
                        onClick={() => verifyOne(item, index)}
                        disabled={pending || working}
                        aria-label={`${t.verify}: ${item.fullName}`}
                        className="rounded-md border border-brand-600 px-3 py-1 font-medium text-brand-700 hover:bg-brand-50 disabled:opacity-50"
                      >
                        {pending ? t.verifying : t.verify}
                      </button>
                    ) : (
                      <span className="text-slate-500">{t.noCard}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}

      <section aria-labelledby="bhyt-results" className="space-y-2">
        <h2 id="bhyt-results" tabIndex={-1} className={results.length ? 'text-lg font-semibold' : 'sr-only'}>
          {t.results}
        </h2>
        <ul aria-live="polite" className="space-y-2">
          {results.map((r) => (
            <li key={r.key} className={`rounded-md border p-3 text-sm ${STATUS_STYLE[r.status]}`}>
              <span className="font-semibold">{t.status[r.status]}</span> · {r.fullName}
              {r.cardMasked ? ` (${r.cardMasked})` : ''}
              {r.resultCode ? ` · ${r.resultCode}` : ''} — {r.message}
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
