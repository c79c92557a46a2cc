'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { errorText } from '@/components/api-fetch';
import { retryHandoff } from './handoff.resource';

/** Puts one parked/failed hand-off message back in the queue, then refreshes the server-rendered list. */
export function HandoffRetryButton({
  messageId,
  label,
  busyLabel,
  failedLabel,
}: {
  messageId: string;
  label: string;
  busyLabel: string;
  failedLabel: string;
}) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      await retryHandoff(messageId).catch((e: unknown) => setError(errorText(e, failedLabel)));
      router.refresh();
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <button
        type="button"
        onClick={retry}
        disabled={busy}
        className="rounded-md bg-sky-700 px-3 py-1 text-sm font-semibold text-white hover:bg-sky-800 focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60"
      >
        {busy ? busyLabel : label}
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
