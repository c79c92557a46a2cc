import type { Db } from '../db/client';
import { TIME_ZONE, fromLocalClock, localClock, localDay } from '../time/local-day';
import { generateWeeklyReport, previousWeekStart } from './weekly';

/**
 * Scheduled jobs of the reports feature, for the worker to host. Each job says when it runs (local time in
 * Asia/Ho_Chi_Minh) and what to run; `run` is idempotent, so a worker that runs it twice (restart, two
 * instances) does no harm. The weekly report is due at the Department of Health by Wednesday 10:00.
 */
export type ScheduledJob = {
  name: string;
  /** cron expression, in `timeZone` */
  cron: string;
  timeZone: string;
  run: (db: Db, now: Date) => Promise<unknown>;
};

export const REPORT_JOBS: ScheduledJob[] = [
  {
    name: 'weekly-report',
    cron: '0 7 * * 3', // Wednesday 07:00
    timeZone: TIME_ZONE,
    run: (db, now) => generateWeeklyReport(db, previousWeekStart(localDay(now))),
  },
];

/** True when the weekly job is due at `now`: Wednesday from 07:00 local and not yet run since this Wednesday 07:00. */
export function weeklyReportDue(now: Date, lastRunAt: Date | null): boolean {
  const local = localClock(now);
  if (local.getUTCDay() !== 3 || local.getUTCHours() < 7) return false;
  const dueAt = fromLocalClock(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), 7));
  return !lastRunAt || lastRunAt < dueAt;
}
