import { staffPage } from '@/app/_lib/staff-page';
import { getDb } from '@/lib/db/client';
import { audit } from '@/lib/audit';
import { listProblemHandoffs } from '@/lib/handoff/status';
import { formatDate, formatTime } from '@/lib/time/local-day';
import { HandoffRetryButton } from '@/components/handoff/retry-button';

export const dynamic = 'force-dynamic';

/** Managers: hand-off messages the HIS has not accepted (still retrying, or parked), with a retry button. */
export default async function Page() {
  return staffPage('reports', async ({ t, user }) => {
    const h = t.handoff;
    const db = getDb();
    const rows = await listProblemHandoffs(db, user.facilityId);
    await audit(db, { action: 'HANDOFF_PROBLEMS_VIEWED', actor: user, details: { count: rows.length } });
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">{h.pageTitle}</h1>
        <p className="text-slate-700">{h.pageIntro}</p>
        {rows.length === 0 ? (
          <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-emerald-900">{h.empty}</p>
        ) : (
          <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left">
                <tr>
                  <th className="px-3 py-2">{h.colCreated}</th>
                  <th className="px-3 py-2">{h.colEncounter}</th>
                  <th className="px-3 py-2">{h.colPatient}</th>
                  <th className="px-3 py-2">{h.colEvent}</th>
                  <th className="px-3 py-2">{h.colState}</th>
                  <th className="px-3 py-2 text-right">{h.colAttempts}</th>
                  <th className="px-3 py-2">{h.colError}</th>
                  <th className="px-3 py-2"><span className="sr-only">{h.retry}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100 align-top" data-testid="handoff-problem">
                    <td className="px-3 py-2 tabular-nums">{formatDate(r.createdAt)} {formatTime(r.createdAt)}</td>
                    <td className="px-3 py-2">{r.encounterNumber} · {r.roomCode}</td>
                    <td className="px-3 py-2">{r.patientName}</td>
                    <td className="px-3 py-2">{r.event} · {r.target}</td>
                    <td className="px-3 py-2">
                      <span className={`rounded-full border px-2 py-0.5 ${r.status === 'PARKED' ? 'border-red-400 bg-red-50 text-red-900' : 'border-orange-400 bg-orange-50 text-orange-900'}`}>
                        {r.status === 'PARKED' ? h.state.parked : h.state.rejected}
                      </span>
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{r.attempts}</td>
                    <td className="px-3 py-2">{r.lastError ?? '—'}</td>
                    <td className="px-3 py-2">
                      <HandoffRetryButton messageId={r.id} label={h.retry} busyLabel={h.retrying} failedLabel={h.retryFailed} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    );
  });
}
