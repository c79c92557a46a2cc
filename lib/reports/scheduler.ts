import type { Db } from '../db/client';
import { log } from '../log';
import { REPORT_JOBS, weeklyReportDue } from './schedule';

/**
 * Runs the reports' scheduled jobs inside the worker process: every few minutes, the weekly Department of
 * Health report is generated once it is due (Wednesday from 07:00 local, before the 10:00 deadline). Several
 * workers may tick at once: generation is an idempotent upsert per facility and week.
 */
export async function runDueReports(db: Db, now = new Date()): Promise<boolean> {
  const last = await db.weeklyReport.findFirst({
    where: { generatedBy: 'SYSTEM' },
    orderBy: { generatedAt: 'desc' },
    select: { generatedAt: true },
  });
  if (!weeklyReportDue(now, last?.generatedAt ?? null)) return false;
  const job = REPORT_JOBS.find((j) => j.name === 'weekly-report')!;
  await job.run(db, now);
  log.info({ job: job.name }, 'scheduled report generated');
  return true;
}

export function startReportScheduler(db: Db, everyMs = 5 * 60_000): { stop: () => void } {
  const tick = () =>
    void runDueReports(db).catch((error) => log.error({ err: (error as Error).message }, 'scheduled report failed'));
  tick();
  const timer = setInterval(tick, everyMs);
  return { stop: () => clearInterval(timer) };
}
