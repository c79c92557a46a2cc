'use client';

import { memo } from 'react';
import { fill, type Messages } from '@/lib/i18n/messages';
import { useT } from '@/components/i18n';
import { CodeBadge } from '@/components/code-badge';
import type { EncounterListResponse } from '@/lib/encounters/list';
import { useTodayEncounters } from './desk.resource';
import { formatTime } from '@/lib/time/local-day';

/** Today's check-ins in the room, refreshed every few seconds; IDs masked. */
export function TodayList({ roomCode, refreshKey }: { roomCode: string; refreshKey: number }) {
  const t = useT();
  const l = t.desk.today;
  const { data, isError } = useTodayEncounters(roomCode, refreshKey);
  return (
    <section aria-label={l.region} className="rounded-xl border border-slate-200 bg-white">
      <h2 className="border-b px-4 py-2 font-semibold">
        {fill(l.title, { room: roomCode })} {data ? `(${data.encounters.length})` : ''}
      </h2>
      {isError && <p className="p-4 text-sm text-red-700">{l.loadError}</p>}
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-left text-slate-700">
          <tr>
            <th className="px-3 py-1">{l.number}</th>
            <th className="px-3 py-1">{l.time}</th>
            <th className="px-3 py-1">{l.patient}</th>
            <th className="px-3 py-1">{l.personalId}</th>
            <th className="px-3 py-1">{l.method}</th>
            <th className="px-3 py-1">{l.bhyt}</th>
            <th className="px-3 py-1">{l.his}</th>
          </tr>
        </thead>
        <tbody>
          {data?.encounters.length === 0 && (
            <tr>
              <td colSpan={7} className="px-3 py-2 text-slate-700">
                {l.empty}
              </td>
            </tr>
          )}
          {data?.encounters.map((e) => (
            <TodayRow key={e.id} e={e} codes={t.codes} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * One row. Memoised: TanStack Query keeps the objects of rows that did not change between two answers, so after a
 * check-in or a poll only the new or changed rows render (the desk's main thread stays free for the next scan).
 */
const TodayRow = memo(function TodayRow({
  e,
  codes,
}: {
  e: EncounterListResponse['encounters'][number];
  codes: Messages['codes'];
}) {
  return (
    <tr className="border-t">
      <td className="px-3 py-1.5 font-bold">{e.queueNumber}</td>
      <td className="px-3 py-1.5">{formatTime(new Date(e.checkedInAt))}</td>
      <td className="px-3 py-1.5" lang="vi">
        {e.patient.fullName}
      </td>
      <td className="px-3 py-1.5 font-mono">{e.patient.personalIdMasked ?? '—'}</td>
      <td className="px-3 py-1.5">{codes.method[e.identificationMethod]}</td>
      <td className="px-3 py-1.5">
        {e.bhytVerification ? codes.bhytVerification[e.bhytVerification] : codes.payer.SELF_PAY}
      </td>
      <td className="px-3 py-1.5" title={e.handoff?.lastError ?? undefined}>
        {e.handoff ? <CodeBadge family="handoffStatus" code={e.handoff.status} /> : '—'}
      </td>
    </tr>
  );
});
