/**
 * The desk's calls to the API (the only place the desk's components get a URL from). Answer types are the server's
 * own, exported next to each route's domain function.
 */
import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '@/components/api-fetch';
import type {
  CandidateRevealResponse,
  CheckinNotFoundResponse,
  CheckinRequest,
  CheckinResponse,
} from '@/lib/encounters/check-in';
import type { EncounterListResponse } from '@/lib/encounters/list';
import type { DemographicsUpdateResponse } from '@/lib/patients/corrections';

/** What the desk sends besides the scan or the form: its options (room, visit type, payer, priority, VNeID). */
export type CheckinOptions = Pick<CheckinRequest, 'roomCode' | 'visitType' | 'payer' | 'priority' | 'source'>;

/**
 * POST /api/v1/checkins: the queue number (201 new, 200 already today), or the not-found answer that opens the
 * new-patient form. Any other answer is thrown (ApiError): SEEN_TODAY_OTHER_ROOM carries `patient` and `visits`,
 * VALIDATION the field `issues`. `signIn: false` keeps the page when the session has ended (a form is open).
 */
export async function checkIn(
  request: Record<string, unknown>,
  options: { signIn?: false } = {},
): Promise<{ kind: 'checked-in'; result: CheckinResponse } | { kind: 'not-found'; notFound: CheckinNotFoundResponse }> {
  try {
    return {
      kind: 'checked-in',
      result: await apiFetch<CheckinResponse>('/api/v1/checkins', { body: request, signIn: options.signIn }),
    };
  } catch (error) {
    if (
      error instanceof ApiError &&
      error.status === 404 &&
      (error.body as { identity?: unknown } | null)?.identity !== undefined
    ) {
      return { kind: 'not-found', notFound: error.body as CheckinNotFoundResponse };
    }
    throw error;
  }
}

/** One likely duplicate's record, when the receptionist asks to see it (audited on the server). */
export function revealCandidate(token: string): Promise<CandidateRevealResponse> {
  return apiFetch('/api/v1/checkins/candidates/reveal', { body: { token } });
}

/** The print dialog for the exam slip opened: only then is the printing recorded. */
export function slipPrinted(encounterId: string): Promise<void> {
  return apiFetch(`/api/v1/encounters/${encodeURIComponent(encounterId)}/slip-printed`, { body: {} });
}

/** The desk's "update from card": the card's value replaces the record's. */
export function updateDemographics(
  patientId: string,
  change: Record<string, string | undefined>,
  reason: string,
): Promise<DemographicsUpdateResponse> {
  return apiFetch(`/api/v1/patients/${encodeURIComponent(patientId)}/demographics`, { body: { change, reason } });
}

/**
 * Today's check-ins in a room, refreshed every few seconds (a background poll) and at once when `refreshKey`
 * changes (after a check-in). One query per room: a key per check-in showed an empty table until it loaded and
 * rebuilt every row.
 */
export function useTodayEncounters(roomCode: string, refreshKey: number) {
  const query = useQuery({
    queryKey: ['encounters', roomCode],
    queryFn: () => apiFetch<EncounterListResponse>('/api/v1/encounters', { query: { roomCode }, poll: true }),
    refetchInterval: 5_000,
  });
  const seen = useRef(refreshKey);
  const { refetch } = query;
  useEffect(() => {
    if (seen.current === refreshKey) return;
    seen.current = refreshKey;
    void refetch();
  }, [refreshKey, refetch]);
  return query;
}
