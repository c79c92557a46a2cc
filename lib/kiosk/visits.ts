import { sql, type Queryable } from '../db/pg';
import type { KioskPrincipal } from '../auth/roles';
import { localDay } from '../time/local-day';
import { COUNTER_REASONS, type CounterReason, type KioskOutcome } from '../codes';

/**
 * A kiosk visit: one person's go at a kiosk, from their scan to how it ended. It holds no personal data (no
 * patient, no identifier): only the kiosk, the day, the outcome, the reason for the counter and the encounter.
 * Managers read the completion rate (scans → tickets) and the reasons from it.
 */

/** A scan starts a visit (ended at once when the scan itself sends the person to the counter). */
export async function startVisit(
  db: Queryable,
  kiosk: KioskPrincipal,
  now: Date,
  counter?: CounterReason,
): Promise<string> {
  const [row] = await sql(db)<{ id: string }>(
    `INSERT INTO "KioskVisit" ("kioskId", "facilityId", "localDate", "startedAt", "endedAt", outcome, reason)
     VALUES ($1::uuid, $2::uuid, $3::date, $4, $5, $6, $7) RETURNING id::text AS id`,
    kiosk.id,
    kiosk.facilityId,
    localDay(now),
    now,
    counter ? now : null,
    counter ? 'COUNTER' : null,
    counter ?? null,
  );
  return row!.id;
}

/**
 * Records how a visit ended. Only the kiosk's own visit of today, and only once: the first outcome stands (a
 * ticket followed by the screen's time-out stays a ticket).
 */
export async function endVisit(
  db: Queryable,
  kiosk: KioskPrincipal,
  visitId: string,
  outcome: KioskOutcome,
  now: Date,
  extra: { reason?: CounterReason; encounterId?: string } = {},
): Promise<boolean> {
  const rows = await sql(db)<{ id: string }>(
    `UPDATE "KioskVisit" SET outcome = $3, reason = $4, "encounterId" = $5::uuid, "endedAt" = $6
     WHERE id = $1::uuid AND "kioskId" = $2::uuid AND outcome IS NULL AND "localDate" = $7::date RETURNING id::text AS id`,
    visitId,
    kiosk.id,
    outcome,
    extra.reason ?? null,
    extra.encounterId ?? null,
    now,
    localDay(now),
  );
  return rows.length === 1;
}

export type KioskDay = {
  scans: number;
  tickets: number; // new numbers and same-day reprints
  reprints: number;
  counter: number;
  emergency: number;
  abandoned: number; // left, timed out, or still under way
  /** tickets ÷ scans (0..1), null without scans */
  completionRate: number | null;
  counterReasons: Record<CounterReason, number>;
};

/** A facility's kiosk visits of local days [from, to] (one indexed read, grouped in SQL). */
export async function kioskFigures(db: Queryable, facilityId: string, from: string, to = from): Promise<KioskDay> {
  const rows = await sql(db)<{ outcome: string | null; reason: string | null; n: number }>(
    `SELECT outcome, reason, count(*)::int AS n FROM "KioskVisit"
     WHERE "facilityId" = $1::uuid AND "localDate" BETWEEN $2::date AND $3::date GROUP BY outcome, reason`,
    facilityId,
    from,
    to,
  );
  const count = (o: KioskOutcome) => rows.filter((r) => r.outcome === o).reduce((s, r) => s + r.n, 0);
  const scans = rows.reduce((s, r) => s + r.n, 0);
  const tickets = count('TICKET') + count('REPRINT');
  return {
    scans,
    tickets,
    reprints: count('REPRINT'),
    counter: count('COUNTER'),
    emergency: count('EMERGENCY'),
    abandoned: scans - tickets - count('COUNTER') - count('EMERGENCY'),
    completionRate: scans ? tickets / scans : null,
    counterReasons: Object.fromEntries(
      COUNTER_REASONS.map((r) => [
        r,
        rows.filter((x) => x.outcome === 'COUNTER' && x.reason === r).reduce((s, x) => s + x.n, 0),
      ]),
    ) as Record<CounterReason, number>,
  };
}
