import { staffPage } from '@/app/_lib/staff-page';
import { getDb } from '@/lib/db/client';
import { hisConnection } from '@/lib/handoff/config';
import { HisConnectionForm } from '@/components/admin/his-connection-form';
import { SystemPanel } from '@/components/admin/system-panel';
import { ApiKeysPanel } from '@/components/admin/api-keys';
import { PatientImportPanel } from '@/components/admin/patient-import';
import { IMPORT_MAX_BYTES } from '@/lib/patients/import/uploads';
import { RoomAssignments } from '@/components/admin/room-assignments';
import { UsersPanel } from '@/components/admin/users';
import { KiosksPanel } from '@/components/admin/kiosks';

export const dynamic = 'force-dynamic';

export default async function AdminPage() {
  return staffPage('admin', async ({ user, t }) => {
    const db = getDb();
    const [facility, rooms, his] = await Promise.all([
      db.facility.findUniqueOrThrow({ where: { id: user.facilityId } }),
      db.room.findMany({ where: { facilityId: user.facilityId }, orderBy: { code: 'asc' } }),
      hisConnection(db, user.facilityId),
    ]);
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t.admin.title}</h1>
        <p>
          <span className="font-medium">{t.admin.facility}:</span> <span lang="vi">{facility.name}</span> (
          {facility.code})
        </p>
        <section>
          <h2 className="mb-2 text-lg font-semibold">{t.admin.his}</h2>
          <HisConnectionForm t={t.admin} initialUrl={his.mllpUrl ?? ''} environmentUrl={his.environmentMllpUrl} />
        </section>
        <SystemPanel t={t.ops} facilityId={user.facilityId} />
        <PatientImportPanel t={t.patientImport} maxMb={Math.round(IMPORT_MAX_BYTES / 1048576)} />
        <RoomAssignments facilityId={user.facilityId} t={t.roomAssignment} />
        <section>
          <h2 className="mb-2 text-lg font-semibold">{t.admin.rooms}</h2>
          <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
            <thead className="bg-slate-100">
              <tr>
                <th className="p-2">{t.admin.col.code}</th>
                <th className="p-2">{t.admin.col.name}</th>
                <th className="p-2">{t.admin.col.department}</th>
              </tr>
            </thead>
            <tbody>
              {rooms.map((r) => (
                <tr key={r.id} className="border-t">
                  <td className="p-2 font-mono">{r.code}</td>
                  <td className="p-2" lang="vi">
                    {r.name}
                  </td>
                  <td className="p-2" lang="vi">
                    {r.department}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <UsersPanel t={t.users} title={t.admin.users} roles={t.role} selfId={user.id} />
        <ApiKeysPanel t={t.apiKeys} title={t.admin.apiKeys} roles={t.role} />
        <KiosksPanel t={t.kioskAdmin} />
      </div>
    );
  });
}
