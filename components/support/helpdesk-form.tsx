'use client';

import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { HELPDESK_OUTCOMES, HELPDESK_SERVICES } from '@/lib/codes';
import { useT } from '@/components/i18n';
import { errorText } from '@/components/api-fetch';
import { recordHelpdesk } from './support.resource';

/** Records a citizen helped at the VNeID desk. A fresh requestId per citizen, so a double click records once. */
export function HelpdeskForm({ t, initialToday }: { t: Messages['helpdesk']; initialToday: number }) {
  const codes = useT().codes;
  const [requestId, setRequestId] = useState(() => crypto.randomUUID());
  const [today, setToday] = useState(initialToday);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const note = String(form.get('note') ?? '').trim();
    const target = event.currentTarget;
    let created: boolean;
    try {
      ({ created } = await recordHelpdesk({
        requestId,
        service: String(form.get('service')),
        outcome: String(form.get('outcome')),
        ...(note ? { note } : {}),
      }));
    } catch (e) {
      return setMessage({ ok: false, text: errorText(e, 'Lỗi') });
    }
    if (created) setToday((n) => n + 1);
    setMessage({ ok: true, text: t.saved });
    setRequestId(crypto.randomUUID());
    target.reset();
  }

  return (
    <section aria-labelledby="helpdesk-title" className="rounded-xl border border-slate-200 bg-white p-4">
      <h2 id="helpdesk-title" className="text-lg font-semibold">
        {t.title}{' '}
        <span className="ml-2 text-sm font-normal text-slate-600">
          {t.today}: <output aria-label={t.today}>{today}</output>
        </span>
      </h2>
      <form onSubmit={onSubmit} className="mt-3 grid gap-3 md:grid-cols-[1fr_1fr_1fr_auto]">
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.service}</span>
          <select name="service" className="mt-1 w-full rounded-md border border-slate-300 px-2 py-2">
            {HELPDESK_SERVICES.map((s) => (
              <option key={s} value={s}>
                {codes.helpdeskService[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.outcome}</span>
          <select name="outcome" className="mt-1 w-full rounded-md border border-slate-300 px-2 py-2">
            {HELPDESK_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {codes.helpdeskOutcome[o]}
              </option>
            ))}
          </select>
        </label>
        <label className="block">
          <span className="text-sm font-medium text-slate-700">{t.note}</span>
          <input name="note" maxLength={200} className="mt-1 w-full rounded-md border border-slate-300 px-3 py-2" />
        </label>
        <button
          type="submit"
          className="self-end rounded-md bg-brand-600 px-4 py-2.5 font-semibold text-white hover:bg-brand-700"
        >
          {t.record}
        </button>
      </form>
      {message && (
        <p
          role={message.ok ? 'status' : 'alert'}
          className={`mt-2 text-sm ${message.ok ? 'text-emerald-700' : 'text-red-700'}`}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
