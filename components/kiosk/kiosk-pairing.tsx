'use client';

import { useState } from 'react';
import type { KioskText } from './kiosk-screen';
import { errorText } from '@/components/api-fetch';
import { pairKiosk } from './kiosk.resource';

/** First start of a kiosk's browser: the one-time code from the admin page, then the kiosk itself. */
export function KioskPairing({ text }: { text: KioskText }) {
  const [lang, setLang] = useState<'vi' | 'en'>('vi');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const t = text[lang].kiosk;
  async function pair(form: HTMLFormElement) {
    setBusy(true);
    setError('');
    try {
      const code = new FormData(form).get('code');
      await pairKiosk(String(code ?? ''));
      return window.location.replace('/kiosk');
    } catch (e) {
      setError(errorText(e, t.pairFailed));
    }
    setBusy(false);
  }
  return (
    <main
      lang={lang}
      className="flex min-h-dvh flex-col items-center justify-center gap-8 bg-white p-10 text-slate-950"
    >
      <button
        type="button"
        onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
        lang={lang === 'vi' ? 'en' : 'vi'}
        className="absolute right-8 top-8 rounded-xl border-2 border-slate-800 px-6 py-3 text-2xl font-semibold"
      >
        {t.language}
      </button>
      <h1 className="text-5xl font-bold">{t.pairTitle}</h1>
      <p className="max-w-3xl text-center text-2xl">{t.pairIntro}</p>
      <form
        className="flex flex-col items-center gap-6"
        onSubmit={(e) => {
          e.preventDefault();
          void pair(e.currentTarget);
        }}
      >
        <label className="flex flex-col items-center gap-3 text-3xl font-semibold">
          {t.pairCode}
          <input
            name="code"
            required
            maxLength={20}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            className="w-[14ch] rounded-xl border-4 border-slate-800 px-4 py-3 text-center font-mono text-5xl uppercase tracking-widest"
          />
        </label>
        <button
          disabled={busy}
          className="min-h-20 rounded-2xl bg-brand-800 px-12 text-3xl font-bold text-white disabled:opacity-60"
        >
          {busy ? t.pairWorking : t.pairSubmit}
        </button>
        {error && (
          <p role="alert" className="max-w-3xl text-center text-2xl font-semibold text-red-800">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
