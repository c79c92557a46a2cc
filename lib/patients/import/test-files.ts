import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Sex } from '../../codes';
import { PROVINCES, SURNAMES as SYNTHETIC_SURNAMES } from '../synthetic';

/**
 * Synthetic HIS exports for the import's tests and benchmark (made-up people and numbers). Each person's personal
 * ID agrees with their birth year and sex (province, century/sex digit, year, then a serial), so the row is valid;
 * numbers are unique per index.
 */
// The synthetic surnames' first 18 (the import tests' expected rows were written with these).
const SURNAMES = SYNTHETIC_SURNAMES.slice(0, 18);
const MIDDLE = { M: ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Công'], F: ['Thị', 'Ngọc', 'Thu', 'Kim', 'Phương', 'Mỹ'] };
const GIVEN = {
  M: ['An', 'Bình', 'Dũng', 'Hải', 'Hùng', 'Khánh', 'Long', 'Phúc', 'Quân', 'Sơn', 'Thắng', 'Tuấn'],
  F: ['Anh', 'Châu', 'Giang', 'Hà', 'Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'Ngân', 'Thảo', 'Yến'],
};
const WARDS = [
  'Phường Phủ Hà, Tỉnh Khánh Hòa',
  'Phường Đô Vinh, Tỉnh Khánh Hòa',
  'Xã Ninh Phước, Tỉnh Khánh Hòa',
  'Thôn Hữu Đức, Xã Phước Hữu',
];

export type SyntheticPerson = {
  hospitalCode: string;
  fullName: string;
  birthDate: string;
  sex: Sex;
  personalId: string;
  bhytCard: string | null;
  bhytFrom: string | null;
  bhytTo: string | null;
  phone: string;
  address: string;
};

/** Person number `i` (deterministic; `salt` keeps several test files apart on one database). */
export function syntheticPerson(i: number, salt = 0): SyntheticPerson {
  const sex = i % 2 === 0 ? 'M' : 'F';
  const year = 1935 + (i % 89);
  const month = 1 + (i % 12);
  const day = 1 + (i % 28);
  const n = i + salt * 1_000_003;
  // A serial per person, a province per million people: unique for fifteen million.
  const prov = PROVINCES[Math.floor(n / 1_000_000) % PROVINCES.length]!;
  const century = (year >= 2000 ? 2 : 0) + (sex === 'F' ? 1 : 0);
  const personalId = `${prov}${century}${String(year % 100).padStart(2, '0')}${String(n % 1_000_000).padStart(6, '0')}`;
  const bhxh = `${prov.slice(1)}${String(n % 100_000_000).padStart(8, '0')}`;
  const insured = i % 3 !== 0;
  return {
    hospitalCode: `BN${String(n).padStart(8, '0')}`,
    fullName: `${SURNAMES[i % SURNAMES.length]} ${MIDDLE[sex][i % 6]} ${GIVEN[sex][(i >> 1) % 12]}`,
    birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    sex,
    personalId,
    bhytCard: insured ? `GD4${prov.slice(1)}${bhxh}` : null,
    bhytFrom: insured ? '2026-01-01' : null,
    bhytTo: insured ? '2026-12-31' : null,
    phone: `09${String(10_000_000 + (n % 90_000_000)).padStart(8, '0')}`,
    address: `${1 + (i % 200)} Đường Thống Nhất, ${WARDS[i % WARDS.length]}`,
  };
}

export const VN_HEADERS = [
  'Mã BN',
  'Họ và tên',
  'Ngày sinh',
  'Giới tính',
  'Số CCCD',
  'Mã thẻ BHYT',
  'GT thẻ từ',
  'GT thẻ đến',
  'Điện thoại',
  'Địa chỉ',
];

const dmy = (iso: string | null) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');

/** The person as a row under VN_HEADERS, as an HIS would export it (dd/MM/yyyy, Nam/Nữ). */
export function personRow(p: SyntheticPerson): string[] {
  return [
    p.hospitalCode,
    p.fullName,
    dmy(p.birthDate),
    p.sex === 'M' ? 'Nam' : 'Nữ',
    p.personalId,
    p.bhytCard ?? '',
    dmy(p.bhytFrom),
    dmy(p.bhytTo),
    p.phone,
    p.address,
  ];
}

function csvField(v: string): string {
  return /[",;\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export function csvText(rows: string[][], delimiter = ','): string {
  return rows.map((r) => r.map(csvField).join(delimiter)).join('\r\n') + '\r\n';
}

/**
 * Windows-1258 as Vietnamese Windows writes it: letters with a circumflex, breve or horn are precomposed, tone marks
 * are separate combining characters (iconv-lite's encoder would turn a precomposed toned letter into "?").
 */
export function encodeCp1258(text: string): Buffer {
  const TONES = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const parts = [...ch.normalize('NFD')];
    const tone = parts.find((c) => TONES.has(c));
    out +=
      parts.length > 1 && tone
        ? parts
            .filter((c) => c !== tone)
            .join('')
            .normalize('NFC') + tone
        : ch;
  }
  return iconv.encode(out, 'cp1258');
}

/** An XLSX workbook (first sheet) from rows; cells may be strings, numbers or dates. */
export async function writeXlsxFile(
  file: string,
  rows: (string | number | Date | null)[][],
  dateColumns: number[] = [],
): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Danh sách BN');
  for (const c of dateColumns) ws.getColumn(c + 1).numFmt = 'dd/mm/yyyy';
  for (const r of rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

/** A large CSV of `count` synthetic people, written as a stream (the benchmark's 1,000,000 rows). */
export async function writeSyntheticCsv(file: string, count: number, salt = 0): Promise<void> {
  const out = createWriteStream(file);
  out.write('\ufeff' + csvText([VN_HEADERS]));
  let buf = '';
  for (let i = 0; i < count; i++) {
    buf += csvText([personRow(syntheticPerson(i, salt))]);
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain');
      buf = '';
    }
  }
  out.end(buf);
  await once(out, 'finish');
}
