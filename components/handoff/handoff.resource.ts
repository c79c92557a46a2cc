/** The hand-off screens' calls to the API (state badge and log, retries). */
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/components/api-fetch';
import type { EncounterHandoffs } from '@/lib/handoff/status';
import type { HandoffRetryResponse, RetryParkedResponse } from '@/lib/handoff/retry';

/** One encounter's hand-off state and log, polled (slower once the HIS accepted it). */
export function useEncounterHandoffs(encounterId: string, pollMs: number) {
  return useQuery({
    queryKey: handoffsKey(encounterId),
    queryFn: () =>
      apiFetch<EncounterHandoffs>(`/api/v1/encounters/${encodeURIComponent(encounterId)}/handoffs`, { poll: true }),
    refetchInterval: (q) => (q.state.data?.state === 'accepted' ? pollMs * 5 : pollMs),
  });
}

export const handoffsKey = (encounterId: string) => ['handoffs', encounterId];

/** A parked (or failed) message back to the queue, due now. */
export function retryHandoff(messageId: string): Promise<HandoffRetryResponse> {
  return apiFetch(`/api/v1/handoffs/${encodeURIComponent(messageId)}/retry`, { method: 'POST' });
}

/** Every parked message of one target in the caller's facility back to the queue. */
export function retryParked(target: string): Promise<RetryParkedResponse> {
  return apiFetch('/api/v1/handoffs/retry-parked', { body: { target } });
}
