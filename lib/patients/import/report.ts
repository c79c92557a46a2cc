import type { Writable } from 'node:stream';
import type pg from 'pg';
import ExcelJS from 'exceljs';
import { maskIdentifier } from '../../identity';
import type { ImportCounts, ImportJob } from './run';

/**
 * The result of an import, as Excel workbooks written as a stream (a file with many refused rows never sits in
 * memory): the report (counts, then every refused row with its column and reason, conflicts and remarks), and the
 * conflicts file staff work from (each row in conflict with the HIS code, name, birth date, masked numbers, the
 * rows and existing records involved). Nothing here is merged or changed: staff decide.
 */
export const COUNT_LABELS: Record<keyof ImportCounts, string> = {
  read: 'Số dòng đọc được (không tính dòng tiêu đề, dòng trống)',
  created: 'Tạo hồ sơ mới',
  enriched: 'Khớp hồ sơ đã có và bổ sung thông tin',
  identical: 'Khớp hồ sơ đã có, không có gì mới (bỏ qua)',
  duplicates: 'Dòng lặp lại y hệt một dòng trước (bỏ qua)',
  folded: 'Cùng người với một dòng trước (gộp vào dòng đó)',
  conflicts: 'Xung đột, không nhập (xem tệp xung đột)',
  rejected: 'Bị từ chối vì dữ liệu không hợp lệ',
  notes: 'Đã nhập, kèm ghi chú',
  blank: 'Dòng trống (bỏ qua)',
};

const PAGE = 5_000;
type Issue = {
  id: string;
  rowNumber: number;
  kind: string;
  column: string | null;
  message: string;
  detail: { rows?: number[]; patientIds?: string[] } | null;
};

/** The issues of a run in row order, a page at a time. */
async function* issues(pool: pg.Pool, importId: string, kinds: string[]): AsyncGenerator<Issue> {
  let after = { row: 0, id: '0' };
  for (;;) {
    const { rows } = await pool.query<Issue>(
      `SELECT id::text, "rowNumber", kind, "column", message, detail FROM "PatientImportIssue"
       WHERE "importId" = $1::uuid AND kind = ANY($2::text[]) AND ("rowNumber", id) > ($3::int, $4::bigint)
       ORDER BY "rowNumber", id LIMIT ${PAGE}`,
      [importId, kinds, after.row, after.id],
    );
    yield* rows;
    if (rows.length < PAGE) return;
    after = { row: rows.at(-1)!.rowNumber, id: rows.at(-1)!.id };
  }
}

function sheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: [string, number][]) {
  const ws = wb.addWorksheet(name);
  ws.columns = columns.map(([header, width]) => ({ header, width }));
  ws.getRow(1).font = { bold: true };
  return ws;
}

export async function writeReport(pool: pg.Pool, job: ImportJob, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  wb.creator = 'Tiếp đón';
  const summary = sheet(wb, 'Tóm tắt', [
    ['Chỉ tiêu', 60],
    ['Giá trị', 40],
  ]);
  summary.addRow(['Tệp', job.fileName]).commit();
  summary.addRow(['Định dạng', `${job.format}${job.encoding ? ` (${job.encoding})` : ''}`]).commit();
  summary.addRow(['Chế độ', job.dryRun ? 'Chạy thử: không ghi dữ liệu người bệnh' : 'Nhập thật']).commit();
  summary
    .addRow([
      'Trạng thái',
      job.status === 'DONE'
        ? 'Hoàn tất'
        : job.status === 'FAILED'
          ? `Lỗi: ${job.error ?? ''}`
          : 'Đang chạy / chưa xong',
    ])
    .commit();
  for (const [key, label] of Object.entries(COUNT_LABELS) as [keyof ImportCounts, string][]) {
    summary.addRow([label, job.counts?.[key] ?? null]).commit();
  }
  summary
    .addRow([
      'Cột nhận ra',
      job.columns.headers.map((h, i) => `${h} → ${job.columns.fields[i] ?? '(bỏ qua)'}`).join('; '),
    ])
    .commit();
  summary.commit();
  for (const [name, kind] of [
    ['Bị từ chối', 'REJECTED'],
    ['Xung đột', 'CONFLICT'],
    ['Ghi chú', 'NOTE'],
  ] as const) {
    const ws = sheet(wb, name, [
      ['Dòng', 8],
      ['Cột', 24],
      ['Lý do', 100],
      ['Dòng liên quan', 20],
    ]);
    for await (const i of issues(pool, job.id, [kind]))
      ws.addRow([i.rowNumber, i.column ?? '', i.message, i.detail?.rows?.join(', ') ?? '']).commit();
    ws.commit();
  }
  await wb.commit();
}

type ConflictRow = {
  rowNumber: number;
  hospitalCode: string | null;
  fullName: string | null;
  birthDate: string | null;
  sex: string | null;
  personalId: string | null;
  cmnd: string | null;
  bhytCard: string | null;
};

export async function writeConflicts(pool: pg.Pool, job: ImportJob, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  wb.creator = 'Tiếp đón';
  const ws = sheet(wb, 'Xung đột', [
    ['Dòng', 8],
    ['Mã BN', 14],
    ['Họ tên', 28],
    ['Ngày sinh', 12],
    ['Giới tính', 9],
    ['Số CCCD', 16],
    ['CMND', 14],
    ['Thẻ BHYT', 18],
    ['Lý do', 80],
    ['Dòng liên quan', 16],
    ['Hồ sơ đã có (mã trong Tiếp đón)', 80],
  ]);
  const mask = (v: string | null) => (v ? maskIdentifier(v) : '');
  let page: Issue[] = [];
  const flush = async () => {
    const { rows } = await pool.query<ConflictRow>(
      `SELECT "rowNumber", "hospitalCode", "fullName", "birthDate", sex::text AS sex, "personalId", cmnd, "bhytCard" FROM "PatientImportRow"
       WHERE "importId" = $1::uuid AND "rowNumber" = ANY($2::int[])`,
      [job.id, page.map((i) => i.rowNumber)],
    );
    const byRow = new Map(rows.map((r) => [r.rowNumber, r]));
    for (const i of page) {
      const r = byRow.get(i.rowNumber);
      ws.addRow([
        i.rowNumber,
        r?.hospitalCode ?? '',
        r?.fullName ?? '',
        r?.birthDate ?? '',
        r?.sex === 'M' ? 'Nam' : r?.sex === 'F' ? 'Nữ' : '',
        mask(r?.personalId ?? null),
        mask(r?.cmnd ?? null),
        mask(r?.bhytCard ?? null),
        i.message,
        i.detail?.rows?.join(', ') ?? '',
        i.detail?.patientIds?.join(', ') ?? '',
      ]).commit();
    }
    page = [];
  };
  for await (const i of issues(pool, job.id, ['CONFLICT'])) {
    page.push(i);
    if (page.length >= 1000) await flush();
  }
  if (page.length) await flush();
  ws.commit();
  await wb.commit();
}
