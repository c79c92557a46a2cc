import type { Actor } from '../auth/roles';
import { localDay } from '../time/local-day';

/**
 * Which list views to audit. The desk refreshes today's check-ins every 5 s and the BHYT worklist every 20 s; an
 * audit row per refresh (720 an hour per desk) would bury the trail without saying anything new. A list view is
 * audited when it discloses something to this viewer for the first time:
 *  - the first time this viewer (a session, or an API key) opens this list (same list name and parameters) in the
 *    local day — so every look-up of a list is on record at least daily, and again after signing in anew;
 *  - whenever the list shows a row (an encounter) this viewer had not been shown yet today.
 * A refresh showing the same rows again discloses nothing new and is not written. This still satisfies "audit every
 * look-up": each disclosure of each patient to each viewer is on record, only repetitions are not. The row keeps
 * the list's parameters, time and counts; which encounters it showed follows from them (the day's encounters of
 * that room checked in by then), so the row needs no list of ids.
 *
 * The memory is per process (several app instances may each write one row for the same view: more rows, never
 * fewer) and bounded; after a restart a view is audited again.
 */
const MAX_VIEWERS = 20_000;
const seen = new Map<string, { day: string; ids: Set<string> }>();

export type ListView = { actor: Actor; list: string; params: Record<string, string | null>; ids: string[] };

/** The ids of this view that are new for the viewer (all of them on a first view), or null when nothing is new. */
export function newInListView(view: ListView, now = new Date()): string[] | null {
  const viewer =
    'sessionId' in view.actor && view.actor.sessionId
      ? `S:${view.actor.sessionId}`
      : `${view.actor.kind}:${view.actor.id}`;
  const key = `${viewer}|${view.list}|${JSON.stringify(view.params)}`;
  const day = localDay(now);
  const entry = seen.get(key);
  if (!entry || entry.day !== day) {
    if (seen.size >= MAX_VIEWERS) seen.delete(seen.keys().next().value!); // oldest first (insertion order)
    seen.delete(key);
    seen.set(key, { day, ids: new Set(view.ids) });
    return view.ids;
  }
  const fresh = view.ids.filter((id) => !entry.ids.has(id));
  if (fresh.length === 0) return null;
  for (const id of fresh) entry.ids.add(id);
  return fresh;
}
