'use client';

import { useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import type { RoomAssignment } from '@/lib/encounters/rooms';
import { errorText } from '@/components/api-fetch';
import { assignRoom } from './admin.resource';

type Status = { userId: string; ok: boolean; text: string } | null;

/** One drop-down per desk user; a change is saved at once (and said so next to it). */
export function RoomAssignmentTable({
  t,
  staff,
  rooms,
}: {
  t: Messages['roomAssignment'];
  staff: RoomAssignment[];
  rooms: { code: string; name: string }[];
}) {
  const [values, setValues] = useState(() => Object.fromEntries(staff.map((s) => [s.userId, s.roomCode ?? ''])));
  const [status, setStatus] = useState<Status>(null);

  async function save(userId: string, roomCode: string) {
    const before = values[userId] ?? '';
    setValues((v) => ({ ...v, [userId]: roomCode }));
    setStatus(null);
    try {
      await assignRoom(userId, roomCode || null);
      return setStatus({ userId, ok: true, text: t.saved });
    } catch (e) {
      setStatus({ userId, ok: false, text: errorText(e, t.saveFailed) });
    }
    setValues((v) => ({ ...v, [userId]: before }));
  }

  return (
    <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
      <thead className="bg-slate-100">
        <tr>
          <th className="p-2">{t.user}</th>
          <th className="p-2">{t.room}</th>
          <th className="p-2">
            <span className="sr-only">{t.state}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {staff.map((s) => (
          <tr key={s.userId} className="border-t">
            <td className="p-2">
              {s.fullName} <span className="text-slate-600">({s.username})</span>
            </td>
            <td className="p-2">
              <select
                aria-label={t.roomOf.replace('{name}', s.fullName)}
                value={values[s.userId] ?? ''}
                onChange={(e) => void save(s.userId, e.target.value)}
                className="rounded-md border border-slate-300 px-2 py-1"
              >
                <option value="">{t.none}</option>
                {rooms.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.code} — {r.name}
                  </option>
                ))}
              </select>
            </td>
            <td className="p-2" aria-live="polite">
              {status?.userId === s.userId && (
                <span role={status.ok ? 'status' : 'alert'} className={status.ok ? 'text-green-800' : 'text-red-800'}>
                  {status.text}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
