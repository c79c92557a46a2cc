'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { ApiError, errorText } from '@/components/api-fetch';
import { retryParked } from './handoff.resource';

/** Puts every parked message of one target back in the queue (one audited request), then refreshes the list. */
export function RetryParkedButton({
  target,
  label,
  doneLabel,
  failedLabel,
}: {
  target: string;
  label: string;
  doneLabel: string;
  failedLabel: string;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const retry = async () => {
    setBusy(true);
    setNote(null);
    try {
      const { requeued } = await retryParked(target);
      setNote({ ok: true, text: doneLabel.replace('{n}', String(requeued)) });
      router.refresh();
    } catch (e) {
      setNote({ ok: false, text: errorText(e, failedLabel) });
      if (e instanceof ApiError && e.status !== 0) router.refresh();
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <button
        type="button"
        onClick={retry}
        disabled={busy}
        className="rounded-md bg-sky-700 px-3 py-1 text-sm font-semibold text-white hover:bg-sky-800 focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60"
      >
        {label}
      </button>
      {note && (
        <span
          role={note.ok ? 'status' : 'alert'}
          className={`text-sm ${note.ok ? 'text-emerald-800' : 'text-red-700'}`}
        >
          {note.text}
        </span>
      )}
    </span>
  );
}
