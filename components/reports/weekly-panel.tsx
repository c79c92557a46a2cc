'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** Generates (or refreshes) last week's report on demand. */
export function GenerateWeeklyButton({ label }: { label: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function onClick() {
    setBusy(true);
    const response = await fetch('/api/v1/reports/weekly', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    setBusy(false);
    if (!response.ok) return setError((await response.json()).error?.message ?? 'Lỗi');
    setError(null);
    router.refresh();
  }
  return (
    <span>
      <button type="button" onClick={onClick} disabled={busy} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700 disabled:opacity-60">{label}</button>
      {error && <span role="alert" className="ml-2 text-sm text-red-700">{error}</span>}
    </span>
  );
}
