/** The BHYT worklist's calls to the API. Answer types are the server's own. */
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '@/components/api-fetch';
import type { UnverifiedResponse } from '@/lib/insurance/worklist';
import type { CoverageVerifyResponse } from '@/lib/insurance/verify';

export const unverifiedKey = (date: string) => ['bhyt-unverified', date];

/** A local day's BHYT visits not yet verified, refreshed every 20 seconds (a background poll). */
export function useUnverified(date: string) {
  return useQuery({
    queryKey: unverifiedKey(date),
    queryFn: async () =>
      (await apiFetch<UnverifiedResponse>('/api/v1/bhyt/unverified', { query: { date }, poll: true })).items,
    refetchInterval: 20_000,
  });
}

/** Asks the BHXH gateway again about one card, as the signed-in receptionist. */
export function verifyCoverage(coverageId: string): Promise<CoverageVerifyResponse> {
  return apiFetch('/api/v1/bhyt/verify', { body: { coverageId } });
}
