import { notFound } from 'next/navigation';
import QRCode from 'qrcode';
import { requirePage } from '@/app/_lib/guard';
import { audit } from '@/lib/audit';
import { getDb } from '@/lib/db/client';
import { PRIORITY_LABELS, type Priority } from '@/lib/encounters/priority';
import { maskIdentifier } from '@/lib/identity/identifiers';
import { displayBirthDate, PAYER_LABELS, VISIT_TYPE_LABELS } from '@/lib/i18n/labels';
import { formatDate, formatTime } from '@/lib/time/local-day';

export const dynamic = 'force-dynamic';

/** Exam slip for 80 mm thermal printers: queue number large, room, time, masked ID, QR of the encounter number. */
export default async function ExamSlip({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePage('desk');
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
  const db = getDb();
  const e = await db.encounter.findFirst({
    where: { id, facilityId: user.facilityId },
    include: {
      room: true, facility: true,
      patient: { select: { fullName: true, birthDate: true, identifiers: { where: { system: { in: ['PERSONAL_ID', 'BHYT_CARD'] } }, select: { system: true, value: true } } } },
    },
  });
  if (!e) notFound();
  await audit(db, { action: 'EXAM_SLIP_PRINTED', actor: user, patientId: e.patientId, entityType: 'Encounter', entityId: e.id });
  const qr = await QRCode.toString(e.number, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const personalId = e.patient.identifiers.find((i) => i.system === 'PERSONAL_ID');
  const card = e.patient.identifiers.find((i) => i.system === 'BHYT_CARD');
  return (
    <div className="slip mx-auto bg-white p-2 text-center font-sans text-black" style={{ width: '72mm' }}>
      <style>{`@page { size: 80mm auto; margin: 4mm; } @media print { body { background: white; } }`}</style>
      <div className="text-sm font-semibold uppercase">{e.facility.name}</div>
      <div className="mt-1 text-xs">PHIẾU KHÁM BỆNH — {VISIT_TYPE_LABELS[e.visitType]}</div>
      <div className="my-1 text-[64px] font-black leading-none">{e.queueNumber}</div>
      <div className="text-lg font-bold">{e.room.name}</div>
      <div className="text-xs">{e.room.department}</div>
      {e.priority && e.priority !== 'NORMAL' && <div className="mt-1 border border-black px-1 text-sm font-bold">ƯU TIÊN: {PRIORITY_LABELS[e.priority as Priority].toUpperCase()}</div>}
      <div className="mt-2 border-t border-dashed border-black pt-2 text-left text-sm">
        <div className="font-semibold">{e.patient.fullName}</div>
        <div>Ngày sinh: {displayBirthDate(e.patient.birthDate)}</div>
        {personalId && <div>Số định danh: {maskIdentifier(personalId.value)}</div>}
        {card && <div>Thẻ BHYT: {maskIdentifier(card.value)}</div>}
        <div>Đối tượng: {PAYER_LABELS[e.payer]}</div>
        <div>Giờ tiếp đón: {formatTime(e.checkedInAt)} {formatDate(e.checkedInAt)}</div>
      </div>
      <div className="mx-auto mt-2 w-28" aria-label={`Mã lượt khám ${e.number}`} dangerouslySetInnerHTML={{ __html: qr }} />
      <div className="font-mono text-xs">{e.number}</div>
    </div>
  );
}
