import type { DbTx } from '../db/client';
import { kioskFigures, type KioskDay } from '../kiosk/visits';
import {
  CHECKIN_CHANNELS,
  IDENTIFICATION_METHODS,
  PAYERS,
  type CheckinChannel,
  type IdentificationMethod,
  type Payer,
} from '../codes';

/**
 * Daily intake for managers. A "day" is the local day in Asia/Ho_Chi_Minh: encounters carry `localDate`
 * (computed by the app at check-in) and hours are taken in local time, so a check-in at 06:30 local (23:30 UTC
 * the day before) counts for that local day at hour 6. Cancelled encounters are not counted as intake.
 * One SQL statement per day, served by the covering (facilityId, localDate) index.
 */

export type DayIntake = {
  date: string;
  total: number;
  byHour: number[]; // 24 entries, local hours
  byRoom: { roomId: string; code: string; name: string; count: number }[];
  byMethod: Record<IdentificationMethod, number>;
  byPayer: Record<Payer, number>;
  byChannel: Record<CheckinChannel, number>;
  /** The kiosks' visits of the day: scans, tickets, completion rate and why people were sent to the counter. */
  kiosk: KioskDay;
  bhyt: { verified: number; provisional: number; rejected: number };
  /** Median seconds from check-in to the HIS accepting the first message (null when nothing was accepted). */
  medianSecondsToHis: number | null;
  handoffFailures: number;
  cancelled: number;
};

export type IntakeWithComparison = DayIntake & { lastWeek: Pick<DayIntake, 'date' | 'total' | 'byHour'> };

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type Row = {
  total: number;
  cancelled: number;
  by_hour: Record<string, number> | null;
  by_room: DayIntake['byRoom'] | null;
  by_method: Record<string, number> | null;
  by_payer: Record<string, number> | null;
  by_channel: Record<string, number> | null;
  verified: number;
  provisional: number;
  rejected: number;
  median_s: number | null;
  failures: number;
};

export async function intakeForDay(db: DbTx, facilityId: string, date: string): Promise<DayIntake> {
  // One read of the day's rows (index-only on "Encounter_intake_covering_idx" once the visibility map is set),
  // one pass over them for every breakdown (GROUPING SETS; grouping() tells the sets apart: a bit per column left
  // out), and hand-off messages looked up for those encounters only (index-only on "HandoffMessage_intake_covering_idx").
  const [r] = await db.$queryRaw<Row[]>`
    WITH day AS MATERIALIZED (
      SELECT e.id, e."roomId", e.status, e.payer, e."identificationMethod" AS method, e."bhytVerification" AS verification, e.channel,
             e."checkedInAt", extract(hour FROM e."checkedInAt" AT TIME ZONE 'Asia/Ho_Chi_Minh')::int AS hour
      FROM "Encounter" e WHERE e."facilityId" = ${facilityId}::uuid AND e."localDate" = ${date}::date
    ), counts AS (
      SELECT grouping(hour, "roomId", method, payer, channel) AS g, hour, "roomId", method, payer, channel, count(*)::int AS n,
             count(*) FILTER (WHERE payer = 'BHYT' AND verification = 'VERIFIED')::int AS verified,
             count(*) FILTER (WHERE payer = 'BHYT' AND (verification IS NULL OR verification = 'UNVERIFIED'))::int AS provisional,
             count(*) FILTER (WHERE payer = 'BHYT' AND verification = 'REJECTED')::int AS rejected
      FROM day WHERE status <> 'CANCELLED'
      GROUP BY GROUPING SETS ((hour), ("roomId"), (method), (payer), (channel), ())
    ), handoff AS (
      SELECT d."checkedInAt", min(h."deliveredAt") FILTER (WHERE h.status = 'DELIVERED') AS accepted,
             -- a failure is a message the HIS refused, parked for staff; one waiting for a down or unconfigured HIS is not
             bool_or(h.status = 'PARKED') AS failed
      FROM day d JOIN "HandoffMessage" h ON h."encounterId" = d.id
      WHERE d.status <> 'CANCELLED' GROUP BY d.id, d."checkedInAt"
    )
    SELECT
      coalesce((SELECT n FROM counts WHERE g = 31), 0) AS total,
      (SELECT count(*)::int FROM day WHERE status = 'CANCELLED') AS cancelled,
      (SELECT json_object_agg(hour, n) FROM counts WHERE g = 15) AS by_hour,
      (SELECT json_agg(json_build_object('roomId', r.id, 'code', r.code, 'name', r.name, 'count', c.n) ORDER BY r.code)
         FROM counts c JOIN "Room" r ON r.id = c."roomId" WHERE c.g = 23) AS by_room,
      (SELECT json_object_agg(method, n) FROM counts WHERE g = 27) AS by_method,
      (SELECT json_object_agg(payer, n) FROM counts WHERE g = 29) AS by_payer,
      (SELECT json_object_agg(channel, n) FROM counts WHERE g = 30) AS by_channel,
      coalesce((SELECT verified FROM counts WHERE g = 31), 0) AS verified,
      coalesce((SELECT provisional FROM counts WHERE g = 31), 0) AS provisional,
      coalesce((SELECT rejected FROM counts WHERE g = 31), 0) AS rejected,
      (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM accepted - "checkedInAt"))
         FROM handoff WHERE accepted IS NOT NULL) AS median_s,
      (SELECT count(*)::int FROM handoff WHERE failed) AS failures`;
  const row = r!;
  const kiosk = await kioskFigures(db, facilityId, date);
  const byHour = Array.from({ length: 24 }, (_, h) => row.by_hour?.[String(h)] ?? 0);
  return {
    date,
    total: row.total,
    byHour,
    byRoom: row.by_room ?? [],
    byMethod: Object.fromEntries(IDENTIFICATION_METHODS.map((m) => [m, row.by_method?.[m] ?? 0])) as Record<
      IdentificationMethod,
      number
    >,
    byPayer: Object.fromEntries(PAYERS.map((p) => [p, row.by_payer?.[p] ?? 0])) as Record<Payer, number>,
    byChannel: Object.fromEntries(CHECKIN_CHANNELS.map((c) => [c, row.by_channel?.[c] ?? 0])) as Record<
      CheckinChannel,
      number
    >,
    kiosk,
    bhyt: { verified: row.verified, provisional: row.provisional, rejected: row.rejected },
    medianSecondsToHis: row.median_s === null ? null : Math.round(Number(row.median_s)),
    handoffFailures: row.failures,
    cancelled: row.cancelled,
  };
}

/** The day plus the same weekday a week earlier, for the dashboard's comparison. */
export async function intakeWithComparison(db: DbTx, facilityId: string, date: string): Promise<IntakeWithComparison> {
  const [day, prev] = await Promise.all([
    intakeForDay(db, facilityId, date),
    intakeForDay(db, facilityId, addDays(date, -7)),
  ]);
  return { ...day, lastWeek: { date: prev.date, total: prev.total, byHour: prev.byHour } };
}

/** Every day of a range (inclusive), for the range export. */
export async function intakeForRange(db: DbTx, facilityId: string, from: string, to: string): Promise<DayIntake[]> {
  const days: DayIntake[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(await intakeForDay(db, facilityId, d));
  return days;
}

/** Methods grouped for a range: counts and shares (0..1), for the weekly report. */
export function methodShares(days: DayIntake[]): { method: IdentificationMethod; count: number; share: number }[] {
  const total = days.reduce((s, d) => s + d.total, 0);
  return IDENTIFICATION_METHODS.map((method) => {
    const count = days.reduce((s, d) => s + d.byMethod[method], 0);
    return { method, count, share: total ? count / total : 0 };
  });
}
