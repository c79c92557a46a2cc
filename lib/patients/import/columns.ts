import { stripDiacritics } from '../../identity';
import type { Cell } from './read';

/**
 * The columns of a HIS export, recognised by their header in Vietnamese or English, with or without diacritics,
 * spaces or underscores ("Mã BN", "MA_BN", "mabn" are one column). `--map "Header=field,…"` overrides.
 */
export const IMPORT_FIELDS = [
  'hospitalCode',
  'fullName',
  'birthDate',
  'sex',
  'personalId',
  'cmnd',
  'bhytCard',
  'bhxhNumber',
  'bhytFrom',
  'bhytTo',
  'phone',
  'address',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** How each field is named on the report and the admin page. */
export const FIELD_LABELS: Record<ImportField, string> = {
  hospitalCode: 'Mã BN',
  fullName: 'Họ tên',
  birthDate: 'Ngày sinh',
  sex: 'Giới tính',
  personalId: 'Số CCCD/định danh',
  cmnd: 'Số CMND',
  bhytCard: 'Mã thẻ BHYT',
  bhxhNumber: 'Mã số BHXH',
  bhytFrom: 'Thẻ BHYT từ ngày',
  bhytTo: 'Thẻ BHYT đến ngày',
  phone: 'Điện thoại',
  address: 'Địa chỉ',
};

// Compared after headerKey(): lower case, no diacritics, letters and digits only.
const SYNONYMS: Record<ImportField, string[]> = {
  hospitalCode: [
    'mabn',
    'mabenhnhan',
    'manguoibenh',
    'mayte',
    'mabnhis',
    'mahoso',
    'sohoso',
    'patientcode',
    'patientid',
    'mrn',
    'hospitalcode',
    'hospitalid',
    'medicalrecordnumber',
    'pid',
  ],
  fullName: [
    'hoten',
    'hovaten',
    'tenbenhnhan',
    'hotenbenhnhan',
    'hotennguoibenh',
    'tennguoibenh',
    'fullname',
    'name',
    'patientname',
  ],
  birthDate: [
    'ngaysinh',
    'namsinh',
    'ngaythangnamsinh',
    'ngaysinhnamsinh',
    'dob',
    'dateofbirth',
    'birthdate',
    'birthday',
  ],
  sex: ['gioitinh', 'gioi', 'phai', 'sex', 'gender'],
  personalId: [
    'socccd',
    'cccd',
    'sodinhdanh',
    'sodinhdanhcanhan',
    'madinhdanh',
    'socancuoc',
    'cancuoc',
    'cancuoccongdan',
    'cccdcmnd',
    'socccdcmnd',
    'cmndcccd',
    'socmndcccd',
    'personalid',
    'nationalid',
    'citizenid',
    'idnumber',
  ],
  cmnd: ['socmnd', 'cmnd', 'chungminhnhandan', 'sochungminhnhandan', 'oldid', 'oldidnumber'],
  bhytCard: [
    'mathebhyt',
    'sothebhyt',
    'thebhyt',
    'bhyt',
    'mathe',
    'sothe',
    'insurancecard',
    'bhytcard',
    'healthinsurancecard',
  ],
  bhxhNumber: ['masobhxh', 'sobhxh', 'mabhxh', 'bhxh', 'bhxhnumber', 'socialinsurancenumber'],
  bhytFrom: [
    'gtthetu',
    'hanthetu',
    'thetungay',
    'bhyttungay',
    'giatritu',
    'tungay',
    'validfrom',
    'bhytfrom',
    'gttungay',
  ],
  bhytTo: [
    'gttheden',
    'hantheden',
    'thedenngay',
    'bhytdenngay',
    'giatriden',
    'denngay',
    'hanthe',
    'hethan',
    'validto',
    'bhytto',
    'gtdenngay',
  ],
  phone: ['dienthoai', 'sodienthoai', 'sdt', 'dt', 'didong', 'phone', 'mobile', 'phonenumber', 'telephone'],
  address: ['diachi', 'diachithuongtru', 'noio', 'noiohientai', 'address', 'homeaddress'],
};

const BY_KEY = new Map<string, ImportField>();
for (const field of IMPORT_FIELDS) for (const key of SYNONYMS[field]) BY_KEY.set(key, field);
for (const field of IMPORT_FIELDS) BY_KEY.set(field.toLowerCase(), field); // the field names themselves

export function headerKey(header: string): string {
  return stripDiacritics(header.normalize('NFC'))
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** `"Mã BN=hospitalCode,Ghi chú="`: header → field (empty field: ignore that column). Throws with a Vietnamese message. */
export function parseColumnMap(option: string): Map<string, ImportField | null> {
  const map = new Map<string, ImportField | null>();
  for (const part of option.split(',')) {
    if (!part.trim()) continue;
    const eq = part.lastIndexOf('=');
    const header = eq < 0 ? '' : part.slice(0, eq).trim();
    const field = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (!header) throw new Error(`--map: "${part.trim()}" phải có dạng "Tên cột=trường".`);
    if (field && !(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw new Error(`--map: không có trường "${field}". Các trường: ${IMPORT_FIELDS.join(', ')}.`);
    }
    map.set(headerKey(header), (field || null) as ImportField | null);
  }
  return map;
}

export type DetectedColumns = {
  /** One entry per column of the file: the field it feeds, or null (ignored). */
  fields: (ImportField | null)[];
  headers: string[];
  /** Headers not recognised (their columns are ignored). */
  unknown: string[];
  /** Required fields no column feeds. */
  missing: ImportField[];
};

function cellText(cell: Cell): string {
  if (cell === null) return '';
  return cell instanceof Date ? cell.toISOString() : String(cell).trim();
}

export function detectColumns(headerCells: Cell[], map: Map<string, ImportField | null> = new Map()): DetectedColumns {
  const headers = headerCells.map(cellText);
  const used = new Set<ImportField>();
  const unknown: string[] = [];
  const fields = headers.map((h) => {
    const key = headerKey(h);
    const field = map.has(key) ? map.get(key)! : (BY_KEY.get(key) ?? null);
    // A field fed by two columns: the first wins (the second may be e.g. a guardian's phone).
    if (field && !used.has(field)) {
      used.add(field);
      return field;
    }
    if (h && !field && !map.has(key)) unknown.push(h);
    return null;
  });
  const missing: ImportField[] = (['fullName', 'birthDate'] as const).filter((f) => !used.has(f));
  if (!['hospitalCode', 'personalId', 'cmnd', 'bhytCard', 'bhxhNumber'].some((f) => used.has(f as ImportField)))
    missing.push('hospitalCode');
  return { fields, headers, unknown, missing };
}

/**
 * The header row: the first of the first rows that names a full name and a birth date (exports often start with a
 * title or the hospital's name above the table). Returns its index in `rows`, or -1.
 */
export function findHeaderRow(rows: Cell[][], map?: Map<string, ImportField | null>): number {
  for (let i = 0; i < Math.min(rows.length, 20); i++) {
    const detected = detectColumns(rows[i]!, map);
    if (!detected.missing.includes('fullName') && !detected.missing.includes('birthDate')) return i;
  }
  return -1;
}
