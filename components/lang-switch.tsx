'use client';

import { useRouter } from 'next/navigation';

/** Switches between Vietnamese and English (a cookie read by the server when rendering). */
export function LangSwitch({ label }: { label: string }) {
  const router = useRouter();
  return (
    <button type="button" className="text-sm text-brand-700 underline"
      onClick={() => {
        const next = document.documentElement.lang === 'en' ? 'vi' : 'en';
        document.cookie = `lang=${next}; path=/; max-age=31536000; samesite=lax`;
        router.refresh();
      }}>
      {label}
    </button>
  );
}
