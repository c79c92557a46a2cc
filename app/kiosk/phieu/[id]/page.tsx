import { notFound } from 'next/navigation';
import { currentKiosk } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { printableTicket } from '@/lib/kiosk/flow';
import { fill, MESSAGES } from '@/lib/i18n/messages';
import type { Priority } from '@/lib/codes';
import { formatDate, formatTime } from '@/lib/time/local-day';

export const dynamic = 'force-dynamic';

/**
 * The kiosk's ticket for 80 mm thermal paper, printed through components/print/print-frame.ts (Chromium's
 * `--kiosk-printing` sends it to the default printer without a dialog). Facility, room, queue number, time and a
 * QR of the encounter number: no name, no ID number (tickets get left on benches). Always Vietnamese.
 */
const { slip, codes } = MESSAGES.vi;

export default async function KioskTicket({ params }: { params: Promise<{ id: string }> }) {
  const kiosk = await currentKiosk();
  const { id } = await params;
  if (!kiosk || !/^[0-9a-f-]{36}$/.test(id)) notFound();
  const t = await printableTicket(getDb(), kiosk, id);
  if (!t) notFound();
  const at = new Date(t.checkedInAt);
  return (
    <div
      lang="vi"
      data-printable
      data-print-roll="80mm"
      className="mx-auto bg-white text-center font-sans text-black"
      style={{ width: '80mm', padding: '3mm 4mm' }}
    >
      <style>
        {
          '@page { size: 80mm 140mm; margin: 0; } @media print { html, body { background: white; margin: 0; min-height: 0; } }'
        }
      </style>
      <div className="text-sm font-semibold uppercase">{t.facilityName}</div>
      <div className="mt-1 text-xs">
        {slip.ticketTitle}
        {t.reprint ? slip.reprint : ''}
      </div>
      <div className="my-1 text-[72px] font-black leading-none" data-testid="ticket-queue">
        {t.queueNumber}
      </div>
      <div className="text-lg font-bold">{t.room.name}</div>
      <div className="text-xs">{t.room.department}</div>
      {t.priority && t.priority !== 'NORMAL' && (
        <div className="mt-1 border border-black px-1 text-sm font-bold">
          {fill(slip.priority, { priority: codes.priority[t.priority as Priority].toUpperCase() })}
        </div>
      )}
      <div className="mt-2 border-t border-dashed border-black pt-2 text-sm">
        <div>
          {slip.payer}: {codes.payer[t.payer]}
        </div>
        <div>
          {slip.ticketAt}: {formatTime(at)} {formatDate(at)}
        </div>
      </div>
      <div
        className="mx-auto mt-2 w-28"
        aria-label={fill(slip.encounterQr, { number: t.number })}
        dangerouslySetInnerHTML={{ __html: t.qrSvg }}
      />
      <div className="font-mono text-xs">{t.number}</div>
      <div className="mt-1 text-xs">{slip.ticketKeep}</div>
    </div>
  );
}
