import type { Metadata } from 'next';
import { currentKiosk } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { kioskSetup } from '@/lib/kiosk/devices';
import { MESSAGES } from '@/lib/i18n/messages';
import { KioskPairing } from '@/components/kiosk/kiosk-pairing';
import { KioskScreen } from '@/components/kiosk/kiosk-screen';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Kiosk tự tiếp đón' };

/**
 * The self check-in kiosk (issue 16): outside the staff pages, no staff session. A browser without a paired
 * device cookie sees the pairing form; a paired one the kiosk. Vietnamese first: the kiosk carries both
 * catalogues and starts every person in Vietnamese (a language chosen by the previous person does not stay).
 */
export default async function KioskPage() {
  const kiosk = await currentKiosk();
  const text = {
    vi: { kiosk: MESSAGES.vi.kiosk, scan: MESSAGES.vi.scan },
    en: { kiosk: MESSAGES.en.kiosk, scan: MESSAGES.en.scan },
  };
  if (!kiosk) return <KioskPairing text={text} />;
  const setup = await kioskSetup(getDb(), kiosk.id);
  return <KioskScreen setup={setup} text={text} />;
}
