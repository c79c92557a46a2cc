import { staffPage } from '@/app/_lib/staff-page';
import { getDb } from '@/lib/db/client';
import { intakeWithComparison, isIsoDate, addDays } from '@/lib/reports/intake';
import { CHECKIN_CHANNELS, COUNTER_REASONS, IDENTIFICATION_METHODS, PAYERS } from '@/lib/codes';
import { previousWeekStart, type WeeklyData } from '@/lib/reports/weekly';
import { fill, type Messages } from '@/lib/i18n/messages';
import { formatDateTime, formatIsoDate, localDay } from '@/lib/time/local-day';
import { BarChart, HourChart } from '@/components/reports/bar-chart';
import { GenerateWeeklyForm } from '@/components/reports/weekly-panel';
import { INTAKE_EXPORT_PATH, intakeExportUrl, weeklyReportUrl } from '@/components/reports/reports.resource';
import { DateInput } from '@/components/date-input';

export const dynamic = 'force-dynamic';

function Stat({ label, value, note }: { label: string; value: string | number; note?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4">
      <div className="text-sm text-slate-600">{label}</div>
      <div className="text-3xl font-semibold tabular-nums" aria-label={label}>
        {value}
      </div>
      {note && <div className="text-xs text-slate-600">{note}</div>}
    </div>
  );
}

function duration(seconds: number | null, tr: Messages['reports']): string {
  if (seconds === null) return '—';
  return seconds < 120 ? fill(tr.seconds, { n: seconds }) : fill(tr.minutes, { n: Math.round(seconds / 60) });
}

export default async function Page({ searchParams }: { searchParams: Promise<{ date?: string }> }) {
  const { date: asked } = await searchParams;
  return staffPage('reports', async ({ t, user }) => {
    const tr = t.reports;
    const date = asked && isIsoDate(asked) ? asked : localDay();
    const db = getDb();
    const [day, weekly] = await Promise.all([
      intakeWithComparison(db, user.facilityId, date),
      db.weeklyReport.findMany({ where: { facilityId: user.facilityId }, orderBy: { weekStart: 'desc' }, take: 12 }),
    ]);
    const diff = day.total - day.lastWeek.total;
    return (
      <div className="space-y-5">
        <div className="flex flex-wrap items-end gap-4">
          <h1 className="text-2xl font-semibold">
            {tr.title} — {formatIsoDate(date)}
          </h1>
          <form method="get" className="flex items-end gap-2">
            <label className="text-sm">
              {tr.date}
              <span className="ml-2">
                <DateInput name="date" required defaultValue={date} text={t.dateInput} />
              </span>
            </label>
            <button className="rounded-md border border-slate-300 px-3 py-1.5">{tr.show}</button>
          </form>
          <a
            className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white"
            href={intakeExportUrl(date)}
            download
          >
            {tr.exportDay}
          </a>
          <a className="ml-auto rounded-md border border-slate-300 px-3 py-2 text-sm" href="/bao-cao/ban-giao">
            {tr.handoffLink} →
          </a>
        </div>
        <div className="grid gap-3 md:grid-cols-5">
          <Stat
            label={tr.total}
            value={day.total}
            note={`${tr.lastWeek} (${formatIsoDate(day.lastWeek.date)}): ${day.lastWeek.total} (${diff >= 0 ? '+' : ''}${diff})`}
          />
          <Stat label={tr.bhytVerified} value={day.bhyt.verified} />
          <Stat label={tr.bhytProvisional} value={day.bhyt.provisional} />
          <Stat label={tr.medianHis} value={duration(day.medianSecondsToHis, tr)} />
          <Stat label={tr.handoffFailures} value={day.handoffFailures} />
        </div>
        <HourChart
          title={tr.byHour}
          hours={day.byHour}
          compare={day.lastWeek.byHour}
          legend={[formatIsoDate(date), formatIsoDate(day.lastWeek.date)]}
        />
        <div className="grid gap-3 md:grid-cols-4">
          <BarChart
            title={tr.byChannel}
            rows={CHECKIN_CHANNELS.map((c) => ({ label: t.codes.channel[c], value: day.byChannel[c] }))}
          />
          <BarChart
            title={tr.byMethod}
            rows={IDENTIFICATION_METHODS.map((m) => ({ label: t.codes.method[m], value: day.byMethod[m] }))}
          />
          <BarChart
            title={tr.byRoom}
            rows={day.byRoom.map((r) => ({ label: `${r.code} · ${r.name}`, lang: 'vi', value: r.count }))}
          />
          <BarChart title={tr.byPayer} rows={PAYERS.map((p) => ({ label: t.codes.payer[p], value: day.byPayer[p] }))} />
        </div>
        <section aria-label={tr.kiosk} className="rounded-xl border border-slate-200 bg-white p-4">
          <h2 className="mb-2 text-lg font-semibold">{tr.kiosk}</h2>
          {day.kiosk.scans === 0 ? (
            <p className="text-sm text-slate-600">{tr.kioskNone}</p>
          ) : (
            <div className="grid gap-3 md:grid-cols-[2fr_1fr]">
              <div className="grid grid-cols-2 gap-3 lg:grid-cols-3">
                <Stat label={tr.kioskScans} value={day.kiosk.scans} />
                <Stat label={tr.kioskTickets} value={day.kiosk.tickets} />
                <Stat label={tr.kioskCompletion} value={`${Math.round((day.kiosk.completionRate ?? 0) * 100)} %`} />
                <Stat label={tr.kioskCounter} value={day.kiosk.counter} />
                <Stat label={tr.kioskEmergency} value={day.kiosk.emergency} />
                <Stat label={tr.kioskAbandoned} value={day.kiosk.abandoned} />
              </div>
              <BarChart
                title={tr.kioskReasons}
                rows={COUNTER_REASONS.filter((r) => day.kiosk.counterReasons[r] > 0).map((r) => ({
                  label: t.codes.counterReason[r],
                  value: day.kiosk.counterReasons[r],
                }))}
              />
            </div>
          )}
        </section>
        <form
          method="get"
          action={INTAKE_EXPORT_PATH}
          className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 bg-white p-4"
          aria-label={tr.exportRange}
        >
          <span className="font-semibold">{tr.exportRange}</span>
          <label className="text-sm">
            {tr.from}
            <span className="ml-2">
              <DateInput name="from" required defaultValue={addDays(date, -6)} text={t.dateInput} />
            </span>
          </label>
          <label className="text-sm">
            {tr.to}
            <span className="ml-2">
              <DateInput name="to" required defaultValue={date} text={t.dateInput} />
            </span>
          </label>
          <button className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white">Excel</button>
        </form>
        <section aria-label={tr.weekly} className="rounded-xl border border-slate-200 bg-white p-4">
          <h2 className="text-lg font-semibold">{tr.weekly}</h2>
          <p className="mb-2 text-sm text-slate-600">{tr.weeklyHint}</p>
          <GenerateWeeklyForm t={tr} dateText={t.dateInput} defaultDay={previousWeekStart(localDay())} />
          <table className="mt-2 w-full text-sm">
            <thead className="text-left text-slate-600">
              <tr>
                <th className="py-1">{tr.week}</th>
                <th>{tr.total}</th>
                <th>VNeID</th>
                <th>{tr.generatedAt}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {weekly.map((w) => {
                const data = w.data as WeeklyData;
                return (
                  <tr key={w.id} className="border-t border-slate-100">
                    <td className="py-1">
                      {formatIsoDate(data.weekStart)} – {formatIsoDate(data.weekEnd)}
                    </td>
                    <td className="tabular-nums">{data.total}</td>
                    <td className="tabular-nums">{data.helpdesk.total}</td>
                    <td>
                      {formatDateTime(w.generatedAt)} · {w.generatedBy}
                    </td>
                    <td>
                      <a className="text-brand-700 underline" href={weeklyReportUrl(w.id)} download>
                        {tr.download}
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      </div>
    );
  });
}
