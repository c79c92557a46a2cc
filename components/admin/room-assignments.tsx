import { getDb } from '@/lib/db/client';
import { roomAssignments } from '@/lib/encounters/rooms';
import type { Messages } from '@/lib/i18n/messages';
import { RoomAssignmentTable } from './room-assignment-table';

/** Admin page section: each receptionist's room, the desk's default (lib/encounters/rooms.ts). */
export async function RoomAssignments({ facilityId, t }: { facilityId: string; t: Messages['roomAssignment'] }) {
  const { staff, rooms } = await roomAssignments(getDb(), facilityId);
  return (
    <section aria-labelledby="room-assignment-title">
      <h2 id="room-assignment-title" className="mb-1 text-lg font-semibold">
        {t.title}
      </h2>
      <p className="mb-2 text-sm text-slate-700">{t.hint}</p>
      <RoomAssignmentTable t={t} staff={staff} rooms={rooms} />
    </section>
  );
}
