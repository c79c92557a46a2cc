import { notFound } from 'next/navigation';
import QRCode from 'qrcode';
import { requirePage } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import type { Priority } from '@/lib/codes';
import { maskIdentifier } from '@/lib/identity/identifiers';
import { fill, MESSAGES } from '@/lib/i18n/messages';
import { formatDate, formatIsoDate, formatTime } from '@/lib/time/local-day';

export const dynamic = 'force-dynamic';

/**
 * Exam slip for 80 mm thermal printers: queue number large, room, time, masked ID, QR of the encounter number.
 * Printed through components/print/print-frame.ts, which fits the paper length to the content; the desk records
 * EXAM_SLIP_PRINTED when the print dialog opens, not here (opening this page is not printing it). It shows
 * what the desk's check-in answer already showed, to the same role, and this facility's patient code in full: the
 * exam room finds the HIS record by it (a national number stays masked). Always Vietnamese: it is the patient's.
 */
const { slip, codes } = MESSAGES.vi;

export default async function ExamSlip({ params }: { params: Promise<{ id: string }> }) {
  const user = await requirePage('desk');
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
  const db = getDb();
  const e = await db.encounter.findFirst({
    where: { id, facilityId: user.facilityId },
    include: {
      room: true,
      facility: true,
      patient: {
        select: {
          fullName: true,
          birthDate: true,
          identifiers: {
            where: {
              retiredAt: null,
              OR: [
                { system: { in: ['PERSONAL_ID', 'BHYT_CARD'] } },
                { system: 'HOSPITAL_CODE', assigningFacilityId: user.facilityId },
              ],
            },
            select: { system: true, value: true },
          },
        },
      },
    },
  });
  if (!e) notFound();
  const qr = await QRCode.toString(e.number, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  const personalId = e.patient.identifiers.find((i) => i.system === 'PERSONAL_ID');
  const card = e.patient.identifiers.find((i) => i.system === 'BHYT_CARD');
  const hospitalCode = e.patient.identifiers.find((i) => i.system === 'HOSPITAL_CODE');
  return (
    <div
      lang="vi"
      data-printable
      data-print-roll="80mm"
      className="slip mx-auto bg-white text-center font-sans text-black"
      style={{ width: '80mm', padding: '3mm 4mm' }}
    >
      {/* A valid page box (width and length; `80mm auto` is not CSS). The print helper shortens it to the content. */}
      <style>
        {
          '@page { size: 80mm 160mm; margin: 0; } @media print { html, body { background: white; margin: 0; min-height: 0; } }'
        }
      </style>
      <div className="text-sm font-semibold uppercase">{e.facility.name}</div>
      <div className="mt-1 text-xs">{fill(slip.title, { visitType: codes.visitType[e.visitType] })}</div>
      <div className="my-1 text-[64px] font-black leading-none">{e.queueNumber}</div>
      <div className="text-lg font-bold">{e.room.name}</div>
      <div className="text-xs">{e.room.department}</div>
      {e.priority && e.priority !== 'NORMAL' && (
        <div className="mt-1 border border-black px-1 text-sm font-bold">
          {fill(slip.priority, { priority: codes.priority[e.priority as Priority].toUpperCase() })}
        </div>
      )}
      <div className="mt-2 border-t border-dashed border-black pt-2 text-left text-sm">
        <div className="font-semibold">{e.patient.fullName}</div>
        <div>
          {slip.dateOfBirth}: {formatIsoDate(e.patient.birthDate)}
        </div>
        {hospitalCode && (
          <div>
            {codes.identifier.HOSPITAL_CODE}:{' '}
            <span data-testid="slip-hospital-code" className="font-mono font-semibold">
              {hospitalCode.value}
            </span>
          </div>
        )}
        {personalId && (
          <div>
            {codes.identifier.PERSONAL_ID}: {maskIdentifier(personalId.value)}
          </div>
        )}
        {card && (
          <div>
            {codes.identifier.BHYT_CARD}: {maskIdentifier(card.value)}
          </div>
        )}
        <div>
          {slip.payer}: {codes.payer[e.payer]}
        </div>
        <div>
          {slip.checkedInAt}: {formatTime(e.checkedInAt)} {formatDate(e.checkedInAt)}
        </div>
      </div>
      <div
        className="mx-auto mt-2 w-28"
        aria-label={fill(slip.encounterQr, { number: e.number })}
        dangerouslySetInnerHTML={{ __html: qr }}
      />
      <div className="font-mono text-xs">{e.number}</div>
    </div>
  );
}
