import ExcelJS from 'exceljs';
import type { DayIntake } from './intake';
import {
  CHECKIN_CHANNELS,
  COUNTER_REASONS,
  HELPDESK_OUTCOMES,
  HELPDESK_SERVICES,
  IDENTIFICATION_METHODS,
  PAYERS,
} from '../codes';
import { MESSAGES } from '../i18n/messages';
import type { WeeklyData } from './weekly';
import { formatIsoDate } from '../time/local-day';

/** Excel workbooks for managers. Numbers are written as numbers (not text) so they add up in Excel. */
// In Vietnamese, with the catalogue's labels: one name per code across the product.
const codes = MESSAGES.vi.codes;

function sheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: (string | number | null)[][]) {
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c) => {
    c.width = 22;
  });
  return ws;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function dayWorkbook(day: DayIntake, facilityName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tiếp đón';
  sheet(
    wb,
    'Tổng quan',
    ['Chỉ tiêu', 'Giá trị'],
    [
      ['Cơ sở', facilityName],
      ['Ngày', formatIsoDate(day.date)],
      ['Tổng lượt tiếp nhận', day.total],
      ['BHYT đã xác minh', day.bhyt.verified],
      ['BHYT tạm (chưa xác minh)', day.bhyt.provisional],
      ['BHYT bị từ chối', day.bhyt.rejected],
      ['Trung vị thời gian đến HIS (giây)', day.medianSecondsToHis],
      ['Lỗi chuyển HIS', day.handoffFailures],
      ['Lượt đã hủy (không tính)', day.cancelled],
    ],
  );
  sheet(
    wb,
    'Theo giờ',
    ['Giờ', 'Số lượt'],
    day.byHour.map((n, h) => [`${String(h).padStart(2, '0')}:00`, n]),
  );
  sheet(
    wb,
    'Theo phòng',
    ['Mã phòng', 'Phòng', 'Số lượt'],
    day.byRoom.map((r) => [r.code, r.name, r.count]),
  );
  sheet(
    wb,
    'Theo phương thức',
    ['Mã', 'Phương thức định danh', 'Số lượt'],
    IDENTIFICATION_METHODS.map((m) => [m, codes.method[m], day.byMethod[m]]),
  );
  sheet(
    wb,
    'Theo đối tượng',
    ['Mã', 'Đối tượng', 'Số lượt'],
    PAYERS.map((p) => [p, codes.payer[p], day.byPayer[p]]),
  );
  sheet(
    wb,
    'Theo kênh',
    ['Mã', 'Kênh tiếp đón', 'Số lượt'],
    CHECKIN_CHANNELS.map((c) => [c, codes.channel[c], day.byChannel[c]]),
  );
  const k = day.kiosk;
  const kiosk = sheet(
    wb,
    'Kiosk',
    ['Chỉ tiêu', 'Giá trị'],
    [
      ['Lượt quét', k.scans],
      ['Nhận số (kể cả in lại)', k.tickets],
      ['Trong đó in lại', k.reprints],
      ['Tỷ lệ hoàn tất (quét → nhận số)', k.completionRate],
      ['Chuyển quầy', k.counter],
      ['Chuyển cấp cứu', k.emergency],
      ['Bỏ dở / hết giờ', k.abandoned],
      [],
      ['Lý do chuyển quầy', 'Số lượt'],
      ...COUNTER_REASONS.map((r) => [codes.counterReason[r], k.counterReasons[r]]),
    ],
  );
  kiosk.getCell('B5').numFmt = '0.0%';
  kiosk.getRow(10).font = { bold: true };
  return toBuffer(wb);
}

export async function rangeWorkbook(days: DayIntake[], facilityName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tiếp đón';
  const header = [
    'Ngày',
    'Tổng',
    ...IDENTIFICATION_METHODS.map((m) => codes.method[m]),
    ...PAYERS.map((p) => codes.payer[p]),
    ...CHECKIN_CHANNELS.map((c) => codes.channel[c]),
    'BHYT đã xác minh',
    'BHYT tạm',
    'Lỗi chuyển HIS',
    'Kiosk: lượt quét',
    'Kiosk: nhận số',
    'Kiosk: chuyển quầy',
  ];
  const rows = days.map((d) => [
    formatIsoDate(d.date),
    d.total,
    ...IDENTIFICATION_METHODS.map((m) => d.byMethod[m]),
    ...PAYERS.map((p) => d.byPayer[p]),
    ...CHECKIN_CHANNELS.map((c) => d.byChannel[c]),
    d.bhyt.verified,
    d.bhyt.provisional,
    d.handoffFailures,
    d.kiosk.scans,
    d.kiosk.tickets,
    d.kiosk.counter,
  ]);
  const sum = (i: number) => rows.reduce((s, r) => s + Number(r[i]), 0);
  rows.push(['Cộng', ...header.slice(1).map((_, i) => sum(i + 1))]);
  const ws = sheet(wb, 'Theo ngày', header, rows);
  ws.getRow(rows.length + 1).font = { bold: true };
  ws.insertRow(1, [
    `${facilityName} — từ ${formatIsoDate(days[0]?.date ?? '')} đến ${formatIsoDate(days.at(-1)?.date ?? '')}`,
  ]);
  return toBuffer(wb);
}

export async function weeklyWorkbook(data: WeeklyData, facilityName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tiếp đón';
  sheet(
    wb,
    'Báo cáo tuần',
    ['Nội dung', 'Giá trị'],
    [
      ['Đơn vị', facilityName],
      ['Tuần', `${formatIsoDate(data.weekStart)} – ${formatIsoDate(data.weekEnd)}`],
      ['Tổng lượt tiếp nhận', data.total],
    ],
  );
  const methods = sheet(
    wb,
    'Phương thức định danh',
    ['Mã', 'Phương thức', 'Số lượt', 'Tỷ lệ'],
    data.methods.map((m) => [m.method, codes.method[m.method], m.count, m.share]),
  );
  methods.getColumn(4).numFmt = '0.0%';
  sheet(
    wb,
    'Hỗ trợ VNeID',
    ['Dịch vụ', ...HELPDESK_OUTCOMES.map((o) => codes.helpdeskOutcome[o]), 'Cộng'],
    HELPDESK_SERVICES.map((s) => {
      const counts = HELPDESK_OUTCOMES.map((o) => data.helpdesk.byService[s][o]);
      return [codes.helpdeskService[s], ...counts, counts.reduce((a, b) => a + b, 0)];
    }),
  );
  sheet(
    wb,
    'Khó khăn, vướng mắc',
    ['Vấn đề', 'Số lượt'],
    [
      ['Lỗi chuyển dữ liệu sang HIS', data.problems.handoffFailures],
      ['Thẻ BHYT chưa xác minh được (tạm)', data.problems.bhytProvisional],
      ['Thẻ BHYT bị cổng giám định từ chối', data.problems.bhytRejected],
      ['Hỗ trợ VNeID chưa thành công', data.problems.helpdeskNotDone],
    ],
  );
  sheet(
    wb,
    'Theo ngày',
    ['Ngày', 'Số lượt'],
    data.days.map((d) => [formatIsoDate(d.date), d.total]),
  );
  return toBuffer(wb);
}
