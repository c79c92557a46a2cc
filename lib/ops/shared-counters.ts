import type pg from 'pg';

/**
 * Counters that several processes add to — the hand-off workers, on any number of machines — kept as one row per
 * series in `MetricCounter`, so `/api/metrics` (served by whichever web server Prometheus asks) reports the
 * system's total, across restarts. A process counts in memory and adds its counts in one statement with its
 * heartbeat (every few seconds): nothing on the delivery's hot path. A process killed with `kill -9` loses at
 * most one heartbeat's counts: the counter then reads a little low, it never goes back.
 */
export type SharedCounter = 'tiepdon_handoff_delivered_total' | 'tiepdon_handoff_parked_total';

const pending = new Map<string, number>(); // `${name}\t${labels}` → count not yet written

/** `labels` as a JSON object with a fixed key order (it is part of the row's key). */
export function countShared(name: SharedCounter, labels: Record<string, string>, n = 1): void {
  const key = `${name}\t${JSON.stringify(labels)}`;
  pending.set(key, (pending.get(key) ?? 0) + n);
}

/** Adds this process's counts to the shared rows (one statement); kept for the next try if it fails. */
export async function flushSharedCounters(pool: pg.Pool): Promise<void> {
  if (pending.size === 0) return;
  const entries = [...pending];
  pending.clear();
  try {
    await pool.query(
      `INSERT INTO "MetricCounter" ("name", "labels", "value", "updatedAt")
       SELECT n, l, v, now() FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(n, l, v)
       ON CONFLICT ("name", "labels") DO UPDATE SET "value" = "MetricCounter"."value" + EXCLUDED."value", "updatedAt" = now()`,
      [entries.map(([k]) => k.split('\t')[0]), entries.map(([k]) => k.split('\t')[1]), entries.map(([, v]) => v)],
    );
  } catch (error) {
    for (const [key, n] of entries) pending.set(key, (pending.get(key) ?? 0) + n);
    throw error;
  }
}

export type SharedCounterRow = { name: SharedCounter; labels: Record<string, string>; value: number };

export async function readSharedCounters(pool: pg.Pool): Promise<SharedCounterRow[]> {
  const { rows } = await pool.query<{ name: SharedCounter; labels: string; value: string }>(
    `SELECT "name", "labels", "value"::text AS "value" FROM "MetricCounter"`,
  );
  return rows.map((r) => ({
    name: r.name,
    labels: JSON.parse(r.labels || '{}') as Record<string, string>,
    value: Number(r.value),
  }));
}
