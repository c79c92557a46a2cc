import { staffPage } from '@/app/_lib/staff-page';
import { getDb } from '@/lib/db/client';
import { intakeWithComparison, isIsoDate, METHODS, PAYERS, addDays } from '@/lib/reports/intake';
import { METHOD_LABELS, PAYER_LABELS } from '@/lib/reports/labels';
import type { WeeklyData } from '@/lib/reports/weekly';
import { formatDate, formatTime, localDay } from '@/lib/time/local-day';
import { BarChart, HourChart } from '@/components/reports/bar-chart';
import { GenerateWeeklyButton } from '@/components/reports/weekly-panel';
import { DateInput } from '@/components/date-input';

export const dynamic = 'force-dynamic';

const vn = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function Stat({ label, value, note }: { label: string; value: string | number; note?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4">
      <div className="text-sm text-slate-600">{label}</div>
      <div className="text-3xl font-semibold tabular-nums" aria-label={label}>{value}</div>
      {note && <div className="text-xs text-slate-500">{note}</div>}
    </div>
  );
}

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  return seconds < 120 ? `${seconds} giây` : `${Math.round(seconds / 60)} phút`;
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
          <h1 className="text-2xl font-semibold">{tr.title} — {vn(date)}</h1>
          <form method="get" className="flex items-end gap-2">
            <label className="text-sm">{tr.date}<span className="ml-2"><DateInput name="date" required defaultValue={date} /></span></label>
            <button className="rounded-md border border-slate-300 px-3 py-1.5">{tr.show}</button>
          </form>
          <a className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white" href={`/api/v1/reports/intake?date=${date}`} download>{tr.exportDay}</a>
          <a className="ml-auto rounded-md border border-slate-300 px-3 py-2 text-sm" href="/bao-cao/ban-giao">Lỗi chuyển HIS →</a>
        </div>
        <div className="grid gap-3 md:grid-cols-5">
          <Stat label={tr.total} value={day.total} note={`${tr.lastWeek} (${vn(day.lastWeek.date)}): ${day.lastWeek.total} (${diff >= 0 ? '+' : ''}${diff})`} />
          <Stat label={tr.bhytVerified} value={day.bhyt.verified} />
          <Stat label={tr.bhytProvisional} value={day.bhyt.provisional} />
          <Stat label={tr.medianHis} value={duration(day.medianSecondsToHis)} />
          <Stat label={tr.handoffFailures} value={day.handoffFailures} />
        </div>
        <HourChart title={tr.byHour} hours={day.byHour} compare={day.lastWeek.byHour} legend={[vn(date), vn(day.lastWeek.date)]} />
        <div className="grid gap-3 md:grid-cols-3">
          <BarChart title={tr.byMethod} rows={METHODS.map((m) => ({ label: METHOD_LABELS[m], value: day.byMethod[m] }))} />
          <BarChart title={tr.byRoom} rows={day.byRoom.map((r) => ({ label: `${r.code} · ${r.name}`, value: r.count }))} />
          <BarChart title={tr.byPayer} rows={PAYERS.map((p) => ({ label: PAYER_LABELS[p], value: day.byPayer[p] }))} />
        </div>
        <form method="get" action="/api/v1/reports/intake" className="flex flex-wrap items-end gap-2 rounded-xl border border-slate-200 bg-white p-4" aria-label={tr.exportRange}>
          <span className="font-semibold">{tr.exportRange}</span>
          <label className="text-sm">{tr.from}<span className="ml-2"><DateInput name="from" required defaultValue={addDays(date, -6)} /></span></label>
          <label className="text-sm">{tr.to}<span className="ml-2"><DateInput name="to" required defaultValue={date} /></span></label>
          <button className="rounded-md bg-brand-600 px-3 py-2 text-sm font-semibold text-white">Excel</button>
        </form>
        <section aria-label={tr.weekly} className="rounded-xl border border-slate-200 bg-white p-4">
          <div className="flex flex-wrap items-center gap-3">
            <h2 className="text-lg font-semibold">{tr.weekly}</h2>
            <GenerateWeeklyButton label={tr.generate} />
          </div>
          <p className="text-sm text-slate-600">{tr.weeklyHint}</p>
          <table className="mt-2 w-full text-sm"><thead className="text-left text-slate-600"><tr>
            <th className="py-1">{tr.week}</th><th>{tr.total}</th><th>VNeID</th><th>{tr.generatedAt}</th><th />
          </tr></thead><tbody>
            {weekly.map((w) => {
              const data = w.data as WeeklyData;
              return (
                <tr key={w.id} className="border-t border-slate-100">
                  <td className="py-1">{vn(data.weekStart)} – {vn(data.weekEnd)}</td><td className="tabular-nums">{data.total}</td>
                  <td className="tabular-nums">{data.helpdesk.total}</td><td>{formatDate(w.generatedAt)} {formatTime(w.generatedAt)} · {w.generatedBy}</td>
                  <td><a className="text-brand-700 underline" href={`/api/v1/reports/weekly/${w.id}`} download>{tr.download}</a></td>
                </tr>
              );
            })}
          </tbody></table>
        </section>
      </div>
    );
  });
}
