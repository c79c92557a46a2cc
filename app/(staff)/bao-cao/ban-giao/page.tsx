import { staffPage } from '@/app/_lib/staff-page';
import { getDb } from '@/lib/db/client';
import { audit } from '@/lib/audit';
import { listProblemHandoffs, stateOf, targetSummaries } from '@/lib/handoff/status';
import { formatDateTime } from '@/lib/time/local-day';
import { HandoffRetryButton } from '@/components/handoff/retry-button';
import { RetryParkedButton } from '@/components/handoff/retry-parked-button';
import { CodeBadge } from '@/components/code-badge';

export const dynamic = 'force-dynamic';

/** Managers: hand-off messages the HIS has not accepted (still retrying, or parked), with a retry button. */
export default async function Page() {
  return staffPage('reports', async ({ t, user }) => {
    const h = t.handoff;
    const db = getDb();
    const [rows, targets] = await Promise.all([
      listProblemHandoffs(db, user.facilityId),
      targetSummaries(db, user.facilityId),
    ]);
    await audit(db, { action: 'HANDOFF_PROBLEMS_VIEWED', actor: user, details: { count: rows.length } });
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-semibold">{h.pageTitle}</h1>
        <p className="text-slate-700">{h.pageIntro}</p>
        {targets.length > 0 && (
          <section
            aria-labelledby="targets-title"
            className="space-y-2 rounded-xl border border-slate-200 bg-white p-4"
          >
            <h2 id="targets-title" className="font-semibold">
              {h.summaryTitle}
            </h2>
            {targets.map((s) => (
              <div
                key={s.target}
                className="space-y-1 border-t border-slate-100 pt-2 first:border-0 first:pt-0"
                data-testid="handoff-target"
              >
                <p className="font-medium">{s.target}</p>
                {s.circuit === 'OPEN' && s.openedAt && (
                  <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-2 py-1 text-amber-900">
                    {h.circuitOpen.replace('{since}', formatDateTime(s.openedAt))}
                  </p>
                )}
                {s.held > 0 && <p>{h.heldCount.replace('{n}', String(s.held))}</p>}
                {s.waitingConfig > 0 && <p>{h.waitingConfigCount.replace('{n}', String(s.waitingConfig))}</p>}
                {s.parked > 0 && (
                  <p className="flex flex-wrap items-center gap-3">
                    <span>{h.parkedCount.replace('{n}', String(s.parked))}</span>
                    <RetryParkedButton
                      target={s.target}
                      label={h.retryAll.replace('{n}', String(s.parked))}
                      doneLabel={h.retryAllDone}
                      failedLabel={h.retryFailed}
                    />
                  </p>
                )}
              </div>
            ))}
          </section>
        )}
        {rows.length === 0 ? (
          <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-emerald-900">
            {h.empty}
          </p>
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
                  <th className="px-3 py-2">
                    <span className="sr-only">{h.retry}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100 align-top" data-testid="handoff-problem">
                    <td className="px-3 py-2 tabular-nums">{formatDateTime(r.createdAt)}</td>
                    <td className="px-3 py-2">
                      {r.encounterNumber} · {r.roomCode}
                    </td>
                    <td className="px-3 py-2">{r.patientName}</td>
                    <td className="px-3 py-2">
                      {r.event} · {r.target}
                    </td>
                    <td className="px-3 py-2">
                      <CodeBadge family="handoffState" code={stateOf(r.status, r.lastAckCode)} />
                    </td>
                    <td className="px-3 py-2 text-right tabular-nums">{r.attempts}</td>
                    <td className="px-3 py-2">{r.lastError ?? '—'}</td>
                    <td className="px-3 py-2">
                      <HandoffRetryButton
                        messageId={r.id}
                        label={h.retry}
                        busyLabel={h.retrying}
                        failedLabel={h.retryFailed}
                      />
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
