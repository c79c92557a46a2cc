import ExcelJS from 'exceljs';
import { METHODS, PAYERS, type DayIntake } from './intake';
import { METHOD_LABELS, PAYER_LABELS } from './labels';
import { OUTCOME_LABELS, SERVICE_LABELS, HELPDESK_OUTCOMES, HELPDESK_SERVICES } from '../helpdesk/log';
import type { WeeklyData } from './weekly';

/** Excel workbooks for managers. Numbers are written as numbers (not text) so they add up in Excel. */
const vnDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function sheet(wb: ExcelJS.Workbook, name: string, header: string[], rows: (string | number | null)[][]) {
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.columns.forEach((c) => { c.width = 22; });
  return ws;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function dayWorkbook(day: DayIntake, facilityName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tiếp đón';
  sheet(wb, 'Tổng quan', ['Chỉ tiêu', 'Giá trị'], [
    ['Cơ sở', facilityName],
    ['Ngày', vnDate(day.date)],
    ['Tổng lượt tiếp nhận', day.total],
    ['BHYT đã xác minh', day.bhyt.verified],
    ['BHYT tạm (chưa xác minh)', day.bhyt.provisional],
    ['BHYT bị từ chối', day.bhyt.rejected],
    ['Trung vị thời gian đến HIS (giây)', day.medianSecondsToHis],
    ['Lỗi chuyển HIS', day.handoffFailures],
    ['Lượt đã hủy (không tính)', day.cancelled],
  ]);
  sheet(wb, 'Theo giờ', ['Giờ', 'Số lượt'], day.byHour.map((n, h) => [`${String(h).padStart(2, '0')}:00`, n]));
  sheet(wb, 'Theo phòng', ['Mã phòng', 'Phòng', 'Số lượt'], day.byRoom.map((r) => [r.code, r.name, r.count]));
  sheet(wb, 'Theo phương thức', ['Mã', 'Phương thức định danh', 'Số lượt'], METHODS.map((m) => [m, METHOD_LABELS[m], day.byMethod[m]]));
  sheet(wb, 'Theo đối tượng', ['Mã', 'Đối tượng', 'Số lượt'], PAYERS.map((p) => [p, PAYER_LABELS[p], day.byPayer[p]]));
  return toBuffer(wb);
}

export async function rangeWorkbook(days: DayIntake[], facilityName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tiếp đón';
  const header = ['Ngày', 'Tổng', ...METHODS.map((m) => METHOD_LABELS[m]), ...PAYERS.map((p) => PAYER_LABELS[p]),
    'BHYT đã xác minh', 'BHYT tạm', 'Lỗi chuyển HIS'];
  const rows = days.map((d) => [vnDate(d.date), d.total, ...METHODS.map((m) => d.byMethod[m]), ...PAYERS.map((p) => d.byPayer[p]),
    d.bhyt.verified, d.bhyt.provisional, d.handoffFailures]);
  const sum = (i: number) => rows.reduce((s, r) => s + Number(r[i]), 0);
  rows.push(['Cộng', ...header.slice(1).map((_, i) => sum(i + 1))]);
  const ws = sheet(wb, 'Theo ngày', header, rows);
  ws.getRow(rows.length + 1).font = { bold: true };
  ws.insertRow(1, [`${facilityName} — từ ${vnDate(days[0]?.date ?? '')} đến ${vnDate(days.at(-1)?.date ?? '')}`]);
  return toBuffer(wb);
}

export async function weeklyWorkbook(data: WeeklyData, facilityName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tiếp đón';
  sheet(wb, 'Báo cáo tuần', ['Nội dung', 'Giá trị'], [
    ['Đơn vị', facilityName],
    ['Tuần', `${vnDate(data.weekStart)} – ${vnDate(data.weekEnd)}`],
    ['Tổng lượt tiếp nhận', data.total],
  ]);
  const methods = sheet(wb, 'Phương thức định danh', ['Mã', 'Phương thức', 'Số lượt', 'Tỷ lệ'],
    data.methods.map((m) => [m.method, METHOD_LABELS[m.method], m.count, m.share]));
  methods.getColumn(4).numFmt = '0.0%';
  sheet(wb, 'Hỗ trợ VNeID', ['Dịch vụ', ...HELPDESK_OUTCOMES.map((o) => OUTCOME_LABELS[o]), 'Cộng'],
    HELPDESK_SERVICES.map((s) => {
      const counts = HELPDESK_OUTCOMES.map((o) => data.helpdesk.byService[s][o]);
      return [SERVICE_LABELS[s], ...counts, counts.reduce((a, b) => a + b, 0)];
    }));
  sheet(wb, 'Khó khăn, vướng mắc', ['Vấn đề', 'Số lượt'], [
    ['Lỗi chuyển dữ liệu sang HIS', data.problems.handoffFailures],
    ['Thẻ BHYT chưa xác minh được (tạm)', data.problems.bhytProvisional],
    ['Thẻ BHYT bị cổng giám định từ chối', data.problems.bhytRejected],
    ['Hỗ trợ VNeID chưa thành công', data.problems.helpdeskNotDone],
  ]);
  sheet(wb, 'Theo ngày', ['Ngày', 'Số lượt'], data.days.map((d) => [vnDate(d.date), d.total]));
  return toBuffer(wb);
}
