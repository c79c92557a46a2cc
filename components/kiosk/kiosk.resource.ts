/**
 * The kiosk's calls to the API (its device cookie, never a staff session). A 401 (kiosk disabled or re-paired)
 * sends the browser to the pairing form; a request that takes too long is abandoned (the person is waiting).
 */
import { apiFetch, type ApiOptions } from '@/components/api-fetch';
import type { KioskPairedResponse } from '@/lib/kiosk/devices';
import type { KioskCheckinResponse, KioskRoomsResponse, KioskScanResponse } from '@/lib/kiosk/flow';

const REQUEST_TIMEOUT_MS = 25_000;
const kiosk = (options: ApiOptions = {}): ApiOptions => ({
  ...options,
  signIn: '/kiosk',
  signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
});

type Scanned = { raw: string; source?: 'VNEID' };

/** The one-time code from the admin page, traded for the device cookie. */
export const pairKiosk = (code: string) =>
  apiFetch<KioskPairedResponse>('/api/v1/kiosk/pair', { body: { code }, signIn: false });

export const kioskScan = (scan: Scanned) => apiFetch<KioskScanResponse>('/api/v1/kiosk/scan', kiosk({ body: scan }));
export const kioskRooms = () => apiFetch<KioskRoomsResponse>('/api/v1/kiosk/rooms', kiosk());
export const kioskCheckIn = (
  input: Scanned & { visitId: string; roomCode: string; payer: 'BHYT' | 'SELF_PAY'; cardRaw?: string },
) => apiFetch<KioskCheckinResponse>('/api/v1/kiosk/checkin', kiosk({ body: input }));
export const kioskReprint = (input: Scanned & { visitId: string }) =>
  apiFetch<KioskCheckinResponse>('/api/v1/kiosk/reprint', kiosk({ body: input }));
/** The person went to the counter or the emergency desk, or walked away. */
export const endKioskVisit = (
  visitId: string,
  input: { outcome: 'COUNTER' | 'EMERGENCY' | 'ABANDONED'; reason?: string },
) => apiFetch<null>(`/api/v1/kiosk/visits/${encodeURIComponent(visitId)}`, kiosk({ body: input }));
