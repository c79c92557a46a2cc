'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Puts one parked/failed hand-off message back in the queue, then refreshes the server-rendered list. */
export function HandoffRetryButton({ messageId, label, busyLabel, failedLabel }: { messageId: string; label: string; busyLabel: string; failedLabel: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const retry = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/v1/handoffs/${messageId}/retry`, { method: 'POST' });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
        setError(body?.error?.message ?? failedLabel);
      }
      router.refresh();
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <button type="button" onClick={retry} disabled={busy} className="rounded-md bg-sky-700 px-3 py-1 text-sm font-semibold text-white hover:bg-sky-800 focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60">
        {busy ? busyLabel : label}
      </button>
      {error && <span role="alert" className="text-xs text-red-700">{error}</span>}
    </span>
  );
}
