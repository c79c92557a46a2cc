import type { Db, DbTx } from '../db/client';
import { helpdeskCounts, type HelpdeskCounts } from '../helpdesk/log';
import { addDays, intakeForRange, methodShares } from './intake';
import type { IdentificationMethod } from '../codes';
import type { Jsonified } from '../http/json';

/**
 * Weekly report for the Department of Health (dispatch item 12: every Wednesday by 10:00). It covers the
 * week Monday–Sunday given by `weekStart` (a Monday). Uncertain: the dispatch does not say which week;
 * we take the last full Monday–Sunday week before the Wednesday it is due.
 */
export type WeeklyData = {
  weekStart: string;
  weekEnd: string;
  total: number;
  methods: { method: IdentificationMethod; count: number; share: number }[];
  helpdesk: HelpdeskCounts;
  problems: { handoffFailures: number; bhytProvisional: number; bhytRejected: number; helpdeskNotDone: number };
  days: { date: string; total: number }[];
};

export function isMonday(date: string): boolean {
  return new Date(`${date}T00:00:00Z`).getUTCDay() === 1;
}

/** The Monday of the Monday–Sunday week that holds `day`. */
export function weekStartOf(day: string): string {
  return addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7)); // Monday = 0
}

/** The Monday of the last full week before local day `today`. */
export function previousWeekStart(today: string): string {
  return addDays(weekStartOf(today), -7);
}

export async function computeWeekly(db: DbTx, facilityId: string, weekStart: string): Promise<WeeklyData> {
  const weekEnd = addDays(weekStart, 6);
  const days = await intakeForRange(db, facilityId, weekStart, weekEnd);
  const helpdesk = await helpdeskCounts(db, facilityId, weekStart, weekEnd);
  const helpdeskNotDone = Object.values(helpdesk.byService).reduce(
    (s, o) => s + o.NOT_LEVEL_2 + o.NO_PHONE + o.OTHER,
    0,
  );
  return {
    weekStart,
    weekEnd,
    total: days.reduce((s, d) => s + d.total, 0),
    methods: methodShares(days),
    helpdesk,
    problems: {
      handoffFailures: days.reduce((s, d) => s + d.handoffFailures, 0),
      bhytProvisional: days.reduce((s, d) => s + d.bhyt.provisional, 0),
      bhytRejected: days.reduce((s, d) => s + d.bhyt.rejected, 0),
      helpdeskNotDone,
    },
    days: days.map((d) => ({ date: d.date, total: d.total })),
  };
}

/**
 * Computes and keeps the week's report for one facility, or for every facility when `facilityId` is omitted.
 * Idempotent: one row per (facility, week); running again refreshes it in place.
 */
export async function generateWeeklyReport(
  db: Db,
  weekStart: string,
  options: { facilityId?: string; generatedBy?: string } = {},
) {
  if (!isMonday(weekStart)) throw new Error('weekStart must be a Monday (YYYY-MM-DD)');
  const facilities = options.facilityId
    ? [{ id: options.facilityId }]
    : await db.facility.findMany({ select: { id: true } });
  const kept = [];
  for (const f of facilities) {
    const data = await computeWeekly(db, f.id, weekStart);
    const key = { facilityId: f.id, weekStart: new Date(`${weekStart}T00:00:00Z`) };
    kept.push(
      await db.weeklyReport.upsert({
        where: { facilityId_weekStart: key },
        create: {
          ...key,
          weekEnd: new Date(`${data.weekEnd}T00:00:00Z`),
          data,
          generatedBy: options.generatedBy ?? 'SYSTEM',
        },
        update: { data, generatedAt: new Date(), generatedBy: options.generatedBy ?? 'SYSTEM' },
      }),
    );
  }
  return kept;
}

/** 201 from POST /api/v1/reports/weekly: the report kept. */
export type WeeklyGeneratedResponse = Jsonified<{ report: Awaited<ReturnType<typeof generateWeeklyReport>>[number] }>;
