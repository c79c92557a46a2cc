import { staffPage } from '@/app/_lib/staff-page';
import { DeskConsole } from '@/components/desk/desk-console';
import { getDb } from '@/lib/db/client';
import { PRIORITIES } from '@/lib/codes';
import { defaultRoom } from '@/lib/encounters/rooms';

export const dynamic = 'force-dynamic';

export default async function DeskPage() {
  return staffPage('desk', async ({ user }) => {
    const db = getDb();
    const [rooms, room] = await Promise.all([
      db.room.findMany({
        where: { facilityId: user.facilityId, active: true },
        orderBy: { code: 'asc' },
        select: { code: true, name: true },
      }),
      defaultRoom(db, user),
    ]);
    return <DeskConsole rooms={rooms} initialRoom={room?.code ?? ''} priorities={[...PRIORITIES]} />;
  });
}
