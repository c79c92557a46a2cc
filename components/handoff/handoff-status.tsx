'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { MESSAGES, type Messages } from '@/lib/i18n/messages';
import type { EncounterHandoffs, HandoffState } from '@/lib/handoff/status';

type Labels = Messages['handoff'];

const STYLE: Record<HandoffState, string> = {
  none: 'bg-slate-100 text-slate-700 border-slate-300',
  waiting: 'bg-amber-50 text-amber-900 border-amber-300',
  sent: 'bg-sky-50 text-sky-900 border-sky-300',
  accepted: 'bg-emerald-50 text-emerald-900 border-emerald-300',
  rejected: 'bg-orange-50 text-orange-900 border-orange-400',
  parked: 'bg-red-50 text-red-900 border-red-400',
};

const pad = (n: number) => String(n).padStart(2, '0');
/** dd/MM/yyyy HH:mm:ss in Vietnamese local time (UTC+7, no DST). */
function when(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * Hand-off badge of one encounter: state + reason, refreshed every few seconds (TanStack Query) so it
 * changes without a reload; optional log of attempts and a retry button for parked messages.
 */
export function HandoffStatus({ encounterId, labels = MESSAGES.vi.handoff, showLog = false, canRetry = false, pollMs = 3_000 }: {
  encounterId: string;
  labels?: Labels;
  showLog?: boolean;
  canRetry?: boolean;
  pollMs?: number;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(showLog);
  const key = ['handoffs', encounterId];
  const { data, isError } = useQuery({
    queryKey: key,
    queryFn: async (): Promise<EncounterHandoffs> => {
      const res = await fetch(`/api/v1/encounters/${encodeURIComponent(encounterId)}/handoffs`, { cache: 'no-store' });
      if (!res.ok) throw new Error(String(res.status));
      return res.json();
    },
    refetchInterval: (q) => (q.state.data?.state === 'accepted' ? pollMs * 5 : pollMs),
  });
  const retry = useMutation({
    mutationFn: async (messageId: string) => {
      const res = await fetch(`/api/v1/handoffs/${messageId}/retry`, { method: 'POST' });
      if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? labels.retryFailed);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: key }),
  });

  if (isError && !data) return <span role="status" className="text-sm text-red-700">{labels.loadError}</span>;
  const state: HandoffState = data?.state ?? 'none';
  const parked = data?.messages.filter((m) => m.state === 'parked') ?? [];
  return (
    <div className="inline-flex flex-col gap-1" data-testid="handoff-status" data-state={state}>
      <div className="flex flex-wrap items-center gap-2">
        <span role="status" aria-live="polite" className={`inline-flex items-center rounded-full border px-2.5 py-0.5 text-sm font-medium ${STYLE[state]}`}>
          {labels.state[state]}
          {data?.reason ? <span className="ml-1 font-normal">: {data.reason}</span> : null}
        </span>
        {canRetry && parked.map((m) => (
          <button
            key={m.id}
            type="button"
            onClick={() => retry.mutate(m.id)}
            disabled={retry.isPending}
            className="rounded-md border border-slate-300 bg-white px-2 py-0.5 text-sm hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-sky-500"
          >
            {retry.isPending ? labels.retrying : `${labels.retry} ${m.event}`}
          </button>
        ))}
        {data && data.log.length > 0 && (
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className="text-sm text-sky-800 underline focus:outline-none focus:ring-2 focus:ring-sky-500">
            {labels.log} ({data.log.length})
          </button>
        )}
      </div>
      {retry.isError && <span role="alert" className="text-sm text-red-700">{(retry.error as Error).message}</span>}
      {open && data && (
        <ol className="max-h-64 overflow-auto rounded-md border border-slate-200 bg-white p-2 text-xs" aria-label={labels.log}>
          {data.log.map((entry) => (
            <li key={entry.id} className="border-b border-slate-100 py-1 last:border-0">
              <span className="tabular-nums text-slate-500">{when(entry.startedAt)}</span>{' '}
              <strong>{entry.event}</strong> · {entry.target} · {labels.attempt} {entry.attempt}:{' '}
              {labels.outcome[entry.outcome] ?? entry.outcome}
              {entry.ackCode ? ` (${entry.ackCode})` : ''}
              {entry.detail ? <span className="text-slate-600"> — {entry.detail}</span> : null}
              {entry.actor && entry.outcome === 'RETRY_REQUESTED' ? <span className="text-slate-500"> · {entry.actor}</span> : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
