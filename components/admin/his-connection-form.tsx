'use client';

import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { errorText } from '@/components/api-fetch';
import { probeHis, saveHisConnection } from './admin.resource';

type Status = { kind: 'ok' | 'error'; text: string } | null;

/** The administrator's HIS (MLLP) address: save it, or test that the HIS answers on it. */
export function HisConnectionForm({
  t,
  initialUrl,
  environmentUrl,
}: {
  t: Messages['admin'];
  initialUrl: string;
  environmentUrl: string | null;
}) {
  const [url, setUrl] = useState(initialUrl);
  const [busy, setBusy] = useState<'save' | 'probe' | null>(null);
  const [status, setStatus] = useState<Status>(null);

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy('save');
    setStatus(null);
    try {
      await saveHisConnection(url);
      setStatus({ kind: 'ok', text: t.saved });
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e, t.saveFailed) });
    } finally {
      setBusy(null);
    }
  };

  const probe = async () => {
    setBusy('probe');
    setStatus(null);
    try {
      const r = await probeHis(url);
      setStatus(
        r.ok
          ? { kind: 'ok', text: t.probeOk.replace('{url}', r.url).replace('{ms}', String(r.ms)) }
          : { kind: 'error', text: t.probeFail.replace('{url}', r.url).replace('{text}', r.text) },
      );
    } catch (e) {
      setStatus({ kind: 'error', text: errorText(e, t.saveFailed) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <form onSubmit={save} aria-label={t.his} className="space-y-2 rounded-lg bg-white p-4 shadow-sm">
      {environmentUrl && (
        <p className="rounded-md bg-amber-50 p-2 text-sm text-amber-900">
          {t.envOverride.replace('{url}', environmentUrl)}
        </p>
      )}
      <label htmlFor="his-mllp-url" className="block text-sm font-medium">
        {t.hisUrl}
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id="his-mllp-url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="mllp://his.benhvien.local:2575"
          spellCheck={false}
          className="min-w-80 flex-1 rounded-md border border-slate-300 px-3 py-2 font-mono text-sm focus:outline-none focus:ring-2 focus:ring-sky-500"
          aria-describedby="his-mllp-hint"
        />
        <button
          type="submit"
          disabled={busy !== null}
          className="rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white hover:bg-sky-800 focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60"
        >
          {busy === 'save' ? t.saving : t.save}
        </button>
        <button
          type="button"
          onClick={probe}
          disabled={busy !== null}
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60"
        >
          {busy === 'probe' ? t.probing : t.probe}
        </button>
      </div>
      <p id="his-mllp-hint" className="text-sm text-slate-600">
        {t.hisHint}
      </p>
      {status && (
        <p
          role={status.kind === 'error' ? 'alert' : 'status'}
          className={status.kind === 'error' ? 'text-sm text-red-700' : 'text-sm text-emerald-800'}
        >
          {status.text}
        </p>
      )}
    </form>
  );
}
