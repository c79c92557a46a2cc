import { cookies } from 'next/headers';
import { isLang, MESSAGES, type Lang } from '@/lib/i18n/messages';

/** The UI language from the `lang` cookie; Vietnamese unless the user switched. */
export async function currentLang(): Promise<Lang> {
  const value = (await cookies()).get('lang')?.value;
  return isLang(value) ? value : 'vi';
}

export async function messages() {
  return MESSAGES[await currentLang()];
}
