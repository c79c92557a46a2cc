import type { Messages } from '@/lib/i18n/messages';

/** Where a payload came from. The desk passes every payload, whatever its source, to parseIdentity. */
export type ScanSource = 'wedge' | 'typed' | 'camera' | 'serial';

/** The one callback every scanner input takes. */
export type OnPayload = (raw: string, source: ScanSource) => void;

/** The UI strings the scanner inputs need (`t.scan` from staffPage). */
export type ScanText = Messages['scan'];
