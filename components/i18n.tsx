'use client';

import { createContext, useContext } from 'react';
import { MESSAGES, type Lang, type Messages } from '@/lib/i18n/messages';

const LangContext = createContext<Lang>('vi');

/** Provided once at the root (app/layout.tsx) with the language the server chose (the `lang` cookie). */
export function I18nProvider({ lang, children }: { lang: Lang; children: React.ReactNode }) {
  return <LangContext.Provider value={lang}>{children}</LangContext.Provider>;
}

/** The UI language of this page. */
export function useLang(): Lang {
  return useContext(LangContext);
}

/** The message catalogue in the page's language (lib/i18n/vi.ts, lib/i18n/en.ts). */
export function useT(): Messages {
  return MESSAGES[useContext(LangContext)];
}
