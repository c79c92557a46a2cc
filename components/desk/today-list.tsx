'use client';

import { useQuery } from '@tanstack/react-query';
import { BHYT_VERIFICATION_LABELS, METHOD_LABELS } from '@/lib/i18n/labels';

type Row = {
  id: string; number: string; queueNumber: number; status: string; identificationMethod: keyof typeof METHOD_LABELS; payer: string;
  bhytVerification: keyof typeof BHYT_VERIFICATION_LABELS | null; checkedInAt: string; room: { code: string; name: string };
  patient: { fullName: string; personalIdMasked: string | null }; handoff: { status: string; lastError: string | null } | null;
};

const HANDOFF_LABELS: Record<string, string> = { PENDING: 'Chờ gửi HIS', SENDING: 'Đang gửi', DELIVERED: 'HIS đã nhận', FAILED: 'HIS từ chối', PARKED: 'Gửi lỗi — cần xử lý' };
const time = (iso: string) => new Date(iso).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });

/** Today's check-ins in the room, refreshed every few seconds; IDs masked. */
export function TodayList({ roomCode, refreshKey }: { roomCode: string; refreshKey: number }) {
  const { data, isError } = useQuery({
    queryKey: ['encounters', roomCode, refreshKey],
    queryFn: async () => {
      const response = await fetch(`/api/v1/encounters?roomCode=${encodeURIComponent(roomCode)}`);
      if (!response.ok) throw new Error(String(response.status));
      return (await response.json()) as { date: string; encounters: Row[] };
    },
    refetchInterval: 5_000,
  });
  return (
    <section aria-label="Đã tiếp đón hôm nay" className="rounded-xl border border-slate-200 bg-white">
      <h2 className="border-b px-4 py-2 font-semibold">Đã tiếp đón hôm nay — phòng {roomCode} {data ? `(${data.encounters.length})` : ''}</h2>
      {isError && <p className="p-4 text-sm text-red-700">Không tải được danh sách.</p>}
      <table className="w-full text-sm">
        <thead className="bg-slate-50 text-left text-slate-500"><tr><th className="px-3 py-1">Số</th><th className="px-3 py-1">Giờ</th><th className="px-3 py-1">Người bệnh</th><th className="px-3 py-1">Số định danh</th><th className="px-3 py-1">Cách tiếp nhận</th><th className="px-3 py-1">BHYT</th><th className="px-3 py-1">HIS</th></tr></thead>
        <tbody>
          {data?.encounters.map((e) => (
            <tr key={e.id} className="border-t">
              <td className="px-3 py-1.5 font-bold">{e.queueNumber}</td>
              <td className="px-3 py-1.5">{time(e.checkedInAt)}</td>
              <td className="px-3 py-1.5">{e.patient.fullName}</td>
              <td className="px-3 py-1.5 font-mono">{e.patient.personalIdMasked ?? '—'}</td>
              <td className="px-3 py-1.5">{METHOD_LABELS[e.identificationMethod]}</td>
              <td className="px-3 py-1.5">{e.bhytVerification ? BHYT_VERIFICATION_LABELS[e.bhytVerification] : 'Viện phí'}</td>
              <td className="px-3 py-1.5" title={e.handoff?.lastError ?? undefined}>{e.handoff ? HANDOFF_LABELS[e.handoff.status] ?? e.handoff.status : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
