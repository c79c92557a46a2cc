import { staffPage } from '@/app/_lib/staff-page';
import { DeskConsole } from '@/components/desk/desk-console';
import { getDb } from '@/lib/db/client';
import { PRIORITIES } from '@/lib/encounters/priority';

export const dynamic = 'force-dynamic';

export default async function DeskPage() {
  return staffPage('desk', async ({ user, t }) => {
    const db = getDb();
    const [rooms, me] = await Promise.all([
      db.room.findMany({ where: { facilityId: user.facilityId, active: true }, orderBy: { code: 'asc' }, select: { code: true, name: true } }),
      user.kind === 'USER' ? db.user.findUnique({ where: { id: user.id }, select: { lastRoom: { select: { code: true } } } }) : null,
    ]);
    return <DeskConsole title={t.desk.title} rooms={rooms} initialRoom={me?.lastRoom?.code ?? rooms[0]?.code ?? ''} priorities={[...PRIORITIES]} scanText={t.scan} />;
  });
}
