import { staffPage } from '@/app/_lib/staff-page';
import { getDb } from '@/lib/db/client';
import { formatDate } from '@/lib/time/local-day';
import { hisConnection } from '@/lib/handoff/config';
import { HisConnectionForm } from '@/components/admin/his-connection-form';

export const dynamic = 'force-dynamic';

export default async function AdminPage() {
  return staffPage('admin', async ({ user, t }) => {
    const db = getDb();
    const [facility, rooms, users, keys, his] = await Promise.all([
      db.facility.findUniqueOrThrow({ where: { id: user.facilityId } }),
      db.room.findMany({ where: { facilityId: user.facilityId }, orderBy: { code: 'asc' } }),
      db.user.findMany({ where: { facilityId: user.facilityId }, orderBy: { username: 'asc' } }),
      db.apiKey.findMany({ where: { facilityId: user.facilityId }, orderBy: { createdAt: 'desc' } }),
      hisConnection(db),
    ]);
    const now = new Date();
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">{t.admin.title}</h1>
        <p><span className="font-medium">{t.admin.facility}:</span> {facility.name} ({facility.code})</p>
        <section>
          <h2 className="mb-2 text-lg font-semibold">{t.admin.his}</h2>
          <HisConnectionForm t={t.admin} initialUrl={his.mllpUrl ?? ''} environmentUrl={his.environmentMllpUrl} />
        </section>
        <section>
          <h2 className="mb-2 text-lg font-semibold">{t.admin.rooms}</h2>
          <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
            <thead className="bg-slate-100"><tr><th className="p-2">Mã</th><th className="p-2">Tên</th><th className="p-2">Khoa</th></tr></thead>
            <tbody>{rooms.map((r) => <tr key={r.id} className="border-t"><td className="p-2 font-mono">{r.code}</td><td className="p-2">{r.name}</td><td className="p-2">{r.department}</td></tr>)}</tbody>
          </table>
        </section>
        <section>
          <h2 className="mb-2 text-lg font-semibold">{t.admin.users}</h2>
          <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
            <thead className="bg-slate-100"><tr><th className="p-2">Tên đăng nhập</th><th className="p-2">Họ tên</th><th className="p-2">Vai trò</th><th className="p-2">Trạng thái</th></tr></thead>
            <tbody>{users.map((u) => (
              <tr key={u.id} className="border-t">
                <td className="p-2 font-mono">{u.username}</td><td className="p-2">{u.fullName}</td><td className="p-2">{t.role[u.role]}</td>
                <td className="p-2">{!u.active ? 'Ngừng hoạt động' : u.lockedUntil && u.lockedUntil > now ? 'Đang tạm khóa' : 'Hoạt động'}</td>
              </tr>))}
            </tbody>
          </table>
        </section>
        <section>
          <h2 className="mb-2 text-lg font-semibold">{t.admin.apiKeys}</h2>
          <p className="mb-2 text-sm text-slate-600">Tạo khóa: <code>npm run cli -- apikey create --name &lt;tên&gt; --role &lt;VAI_TRÒ&gt; --facility {facility.code}</code></p>
          <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
            <thead className="bg-slate-100"><tr><th className="p-2">Tên</th><th className="p-2">Tiền tố</th><th className="p-2">Vai trò</th><th className="p-2">Tạo ngày</th><th className="p-2">Trạng thái</th></tr></thead>
            <tbody>{keys.map((k) => (
              <tr key={k.id} className="border-t">
                <td className="p-2">{k.name}</td><td className="p-2 font-mono">td_{k.prefix}_…</td><td className="p-2">{t.role[k.role]}</td>
                <td className="p-2">{formatDate(k.createdAt)}</td><td className="p-2">{k.revokedAt ? 'Đã thu hồi' : 'Hiệu lực'}</td>
              </tr>))}
            </tbody>
          </table>
        </section>
      </div>
    );
  });
}
