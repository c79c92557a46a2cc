'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useT } from '@/components/i18n';
import { CodeBadge } from '@/components/code-badge';
import type { HandoffState } from '@/lib/handoff/status';
import { errorText } from '@/components/api-fetch';
import { handoffsKey, retryHandoff, useEncounterHandoffs } from './handoff.resource';
import { formatDateTime } from '@/lib/time/local-day';

/**
 * Hand-off badge of one encounter: state + reason, refreshed every few seconds (TanStack Query) so it
 * changes without a reload; optional log of attempts and a retry button for parked messages.
 */
export function HandoffStatus({
  encounterId,
  showLog = false,
  canRetry = false,
  pollMs = 3_000,
}: {
  encounterId: string;
  showLog?: boolean;
  canRetry?: boolean;
  pollMs?: number;
}) {
  const labels = useT().handoff;
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(showLog);
  const { data, isError } = useEncounterHandoffs(encounterId, pollMs);
  const retry = useMutation({
    mutationFn: (messageId: string) =>
      retryHandoff(messageId).catch((e: unknown) => {
        throw new Error(errorText(e, labels.retryFailed));
      }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: handoffsKey(encounterId) }),
  });

  if (isError && !data)
    return (
      <span role="status" className="text-sm text-red-700">
        {labels.loadError}
      </span>
    );
  const state: HandoffState = data?.state ?? 'none';
  const parked = data?.messages.filter((m) => m.state === 'parked') ?? [];
  return (
    <div className="inline-flex flex-col gap-1" data-testid="handoff-status" data-state={state}>
      <div className="flex flex-wrap items-center gap-2">
        <CodeBadge family="handoffState" code={state} role="status" aria-live="polite" className="text-sm font-medium">
          {data?.reason ? <span className="ml-1 font-normal">: {data.reason}</span> : null}
        </CodeBadge>
        {canRetry &&
          parked.map((m) => (
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
          <button
            type="button"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
            className="text-sm text-sky-800 underline focus:outline-none focus:ring-2 focus:ring-sky-500"
          >
            {labels.log} ({data.log.length})
          </button>
        )}
      </div>
      {retry.isError && (
        <span role="alert" className="text-sm text-red-700">
          {(retry.error as Error).message}
        </span>
      )}
      {open && data && (
        <ol
          className="max-h-64 overflow-auto rounded-md border border-slate-200 bg-white p-2 text-xs"
          aria-label={labels.log}
        >
          {data.log.map((entry) => (
            <li key={entry.id} className="border-b border-slate-100 py-1 last:border-0">
              <span className="tabular-nums text-slate-500">
                {formatDateTime(new Date(entry.startedAt), { seconds: true })}
              </span>{' '}
              <strong>{entry.event}</strong> · {entry.target} · {labels.attempt} {entry.attempt}:{' '}
              {labels.outcome[entry.outcome] ?? entry.outcome}
              {entry.ackCode ? ` (${entry.ackCode})` : ''}
              {entry.detail ? <span className="text-slate-600"> — {entry.detail}</span> : null}
              {entry.actor && entry.outcome === 'RETRY_REQUESTED' ? (
                <span className="text-slate-500"> · {entry.actor}</span>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
