'use client';

import { useRouter } from 'next/navigation';

/** Switches between Vietnamese and English (a cookie read by the server when rendering). The label is in the language it offers. */
export function LangSwitch({ label, lang }: { label: string; lang: string }) {
  const router = useRouter();
  return (
    <button
      type="button"
      lang={lang}
      className="text-sm text-brand-700 underline"
      onClick={() => {
        const next = document.documentElement.lang === 'en' ? 'vi' : 'en';
        document.cookie = `lang=${next}; path=/; max-age=31536000; samesite=lax`;
        router.refresh();
      }}
    >
      {label}
    </button>
  );
}
