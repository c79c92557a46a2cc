/**
 * Screens refresh some lists and statuses by themselves every few seconds (today's check-ins, the BHYT worklist,
 * hand-off badges). Those requests carry this header: they do not count as activity for the idle sign-out (a desk
 * left alone must still sign out) and a list poll is not audited as a new look-up each time (lib/audit/list-views.ts).
 * Browser side: `apiFetch(url, { poll: true })` (components/api-fetch.ts). A client that leaves it off only keeps
 * its session alive as any request does; one that sets it only ends sooner.
 */
export const POLL_HEADER = 'x-tiepdon-poll';

export function isPoll(headers: Headers): boolean {
  return headers.get(POLL_HEADER) === '1';
}
