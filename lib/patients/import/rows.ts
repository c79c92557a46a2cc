import { normalizeVietnameseName } from '../../identity';
import { isValidCalendarDate, toIso } from '../../identity/dates';
import { cleanText } from '../../identity/normalize';
import { decodePersonalId } from '../../identity/personal-id';
import { readSexText } from '../../identity/soft-checks';
import { checkIdentifier } from '../../identity/schemas';
import { parseTypedDate } from '../../time/typed-date';
import { normalizePhone } from '../search';
import type { ImportField } from './columns';
import type { Cell } from './read';
import type { IdentifierSystem, Sex } from '../../codes';
import { birthDateInRange } from '../schemas';

/**
 * One row of a HIS export → the patient it describes, or why it cannot be imported (column by column, in
 * Vietnamese). Identifiers go through the same schemas as the desk's (lib/identity/schemas.ts); names and dates
 * follow the desk's new-patient rules. Typed data gets one rule the desk does not need: a personal ID whose
 * century/sex digit or birth-year digits contradict the row is refused, because the number has no check digit
 * and these digits are the only way to catch a typing error — and a wrong number would make the desk find the
 * wrong person for whoever really owns it.
 */
export type ImportRecord = {
  hospitalCode: string | null;
  fullName: string;
  normalizedName: string;
  birthDate: string; // 'YYYY-MM-DD' or 'YYYY'
  sex: Sex | null;
  personalId: string | null;
  cmnd: string | null;
  bhytCard: string | null;
  bhxhNumber: string | null;
  bhytFrom: string | null;
  bhytTo: string | null;
  phone: string | null;
  address: string | null;
};

export type RowIssue = { field: ImportField | null; message: string };
export type RowResult =
  { ok: true; record: ImportRecord; notes: string[] } | { ok: false; issues: RowIssue[] } | { ok: 'blank' };

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30); // serial 1 = 1900-01-01 (after Excel's 1900 leap-year bug)

function text(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString();
  return String(cell).normalize('NFC').trim();
}

/** Digits that a spreadsheet stored as a number lose their leading zeros: put them back up to `length`. */
function restoreZeros(cell: Cell | undefined, raw: string, length: number): string {
  const numeric = typeof cell === 'number' || /^\d+$/.test(raw);
  return numeric && raw.length < length && raw.length >= length - 2 ? raw.padStart(length, '0') : raw;
}

export type DateReading = { ok: true; value: string } | { ok: false };

/** dd/MM/yyyy (also d/M/yyyy, '.', '-'), yyyy-MM-dd, yyyy, a trailing time, an Excel date cell or serial number. */
export function readDate(cell: Cell | undefined, allowYearOnly: boolean): DateReading {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return { ok: false };
    return dateOf(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
  }
  if (typeof cell === 'number') {
    if (allowYearOnly && Number.isInteger(cell) && cell >= 1800 && cell <= 2399)
      return { ok: true, value: String(cell) };
    if (cell < 1 || cell > 2958465) return { ok: false };
    const d = new Date(EXCEL_EPOCH_MS + Math.floor(cell) * 86_400_000);
    return dateOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  let s = text(cell);
  // An export of a datetime column: "1980-05-02 00:00:00", "02/05/1980 0:00", "1980-05-02T00:00:00.000Z".
  s = s.replace(/(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)$/, '');
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (iso) return dateOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const typed = parseTypedDate(s, { allowYearOnly });
  return typed.ok ? { ok: true, value: typed.iso } : { ok: false };
}

function dateOf(y: number, m: number, d: number): DateReading {
  return isValidCalendarDate(y, m, d) ? { ok: true, value: toIso(y, m, d) } : { ok: false };
}

/** Nam/Nữ (any case, with or without marks), 1/2 (QĐ 130 GIOI_TINH; 3 = not determined), M/F, male/female. */
export function readSex(cell: Cell | undefined): { ok: true; value: Sex | null } | { ok: false } {
  const raw = text(cell);
  if (!raw) return { ok: true, value: null };
  const t = raw.toLowerCase();
  if (t === '1' || t === 'm' || t === 'male') return { ok: true, value: 'M' };
  if (t === '2' || t === 'f' || t === 'female') return { ok: true, value: 'F' };
  if (t === '3' || t === 'chua xac dinh' || t === 'chưa xác định' || t === 'u' || t === 'unknown')
    return { ok: true, value: null };
  const read = readSexText(raw);
  return read.sex && !read.mangled ? { ok: true, value: read.sex } : { ok: false };
}

const MESSAGES = {
  name: 'Thiếu họ tên hoặc họ tên quá ngắn.',
  nameLong: 'Họ tên dài quá 100 ký tự.',
  nameBroken: 'Họ tên có ký tự lỗi (? hoặc �): tệp có thể sai bảng mã; lưu lại dạng CSV UTF-8 rồi nhập lại.',
  birth: 'Ngày sinh không hợp lệ: cần dd/MM/yyyy, yyyy-MM-dd hoặc năm yyyy.',
  birthRange: 'Ngày sinh nằm ngoài khoảng hợp lệ (từ năm 1890 đến hôm nay).',
  sex: 'Giới tính không rõ: cần Nam/Nữ, 1/2 hoặc M/F.',
  cardDate: 'Ngày trên thẻ BHYT không hợp lệ: cần dd/MM/yyyy hoặc yyyy-MM-dd.',
  cardDates: 'Thẻ BHYT có ngày hết hạn trước ngày bắt đầu.',
  bhyt12: 'Cột thẻ BHYT có 12 chữ số khác với số CCCD của dòng.',
  idYear: 'Số CCCD không khớp năm sinh (chữ số thế kỷ/năm sinh trong số): số có thể bị gõ sai.',
  idSex: 'Số CCCD không khớp giới tính (chữ số giới tính trong số): số có thể bị gõ sai.',
  idProvince: 'Số CCCD có mã tỉnh không tồn tại: số có thể bị gõ sai.',
  noIdentifier: 'Dòng không có mã BN hay số giấy tờ nào (CCCD, CMND, thẻ BHYT, BHXH) để nhận ra người bệnh.',
  address: 'Địa chỉ dài quá 300 ký tự.',
} as const;

/** `today` is 'YYYY-MM-DD' (local day): birth dates after it are refused. */
export function readRecord(cells: Cell[], fields: (ImportField | null)[], today: string): RowResult {
  const raw: Partial<Record<ImportField, Cell>> = {};
  let blank = true;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const cell = cells[i] ?? null;
    if (cell !== null && text(cell) !== '') blank = false;
    if (field) raw[field] = cell;
  }
  if (blank) return { ok: 'blank' };
  const issues: RowIssue[] = [];
  const notes: string[] = [];
  const fail = (field: ImportField | null, message: string) => issues.push({ field, message });

  const fullName = cleanText(text(raw.fullName));
  if (fullName.length < 2 || !/\p{L}/u.test(fullName)) fail('fullName', MESSAGES.name);
  else if (fullName.length > 100) fail('fullName', MESSAGES.nameLong);
  else if (/[?\ufffd]/.test(fullName)) fail('fullName', MESSAGES.nameBroken);

  let birthDate = '';
  const birth = readDate(raw.birthDate, true);
  if (!birth.ok) fail('birthDate', MESSAGES.birth);
  else if (!birthDateInRange(birth.value, today)) fail('birthDate', MESSAGES.birthRange);
  else birthDate = birth.value;

  const sexRead = readSex(raw.sex);
  if (!sexRead.ok) fail('sex', MESSAGES.sex);
  const sex = sexRead.ok ? sexRead.value : null;

  const identifier = (field: ImportField, system: IdentifierSystem, value: string): string | null => {
    if (!value) return null;
    const checked = checkIdentifier(system, value);
    if (!checked.ok) {
      fail(field, checked.message);
      return null;
    }
    return checked.value;
  };

  const hospitalCode = identifier('hospitalCode', 'HOSPITAL_CODE', text(raw.hospitalCode));
  // A combined "CCCD/CMND" column: nine digits are an old CMND.
  let idText = restoreZeros(raw.personalId, text(raw.personalId).replace(/\s/g, ''), 12);
  let cmndText = restoreZeros(raw.cmnd, text(raw.cmnd).replace(/\s/g, ''), 9);
  if (/^\d{9}$/.test(idText) && !cmndText) [idText, cmndText] = ['', idText];
  let personalId = identifier('personalId', 'PERSONAL_ID', idText);
  const cmnd = identifier('cmnd', 'CMND', cmndText);

  let bhytCard: string | null = null;
  let bhxhNumber = identifier(
    'bhxhNumber',
    'BHXH_NUMBER',
    restoreZeros(raw.bhxhNumber, text(raw.bhxhNumber).replace(/\s/g, ''), 10),
  );
  const cardText = text(raw.bhytCard).replace(/[\s.-]/g, '');
  if (/^\d{12}$/.test(cardText)) {
    // Cards since 2025 may carry the personal ID as their number.
    if (personalId === null && !issues.some((i) => i.field === 'personalId'))
      personalId = identifier('bhytCard', 'PERSONAL_ID', cardText);
    else if (personalId !== cardText) fail('bhytCard', MESSAGES.bhyt12);
  } else if (/^\d{9,10}$/.test(cardText)) {
    const number = identifier('bhytCard', 'BHXH_NUMBER', restoreZeros(raw.bhytCard, cardText, 10));
    if (number && bhxhNumber && number !== bhxhNumber)
      fail('bhytCard', 'Mã số BHXH ở cột thẻ BHYT khác cột mã số BHXH.');
    bhxhNumber ??= number;
  } else if (cardText) {
    bhytCard = identifier('bhytCard', 'BHYT_CARD', cardText);
    // The last 10 digits of a card code are the BHXH number (cards since 2017), as at the desk.
    if (bhytCard && !bhxhNumber) bhxhNumber = bhytCard.slice(5);
  }

  if (personalId && birthDate) {
    const decoded = decodePersonalId(personalId)!;
    if (!decoded.knownPrefix) fail('personalId', MESSAGES.idProvince);
    else if (decoded.birthYear !== Number(birthDate.slice(0, 4))) fail('personalId', MESSAGES.idYear);
    else if (sex && decoded.sex !== sex) fail('personalId', MESSAGES.idSex);
  }

  let bhytFrom: string | null = null;
  let bhytTo: string | null = null;
  for (const field of ['bhytFrom', 'bhytTo'] as const) {
    if (!text(raw[field])) continue;
    const d = readDate(raw[field], false);
    if (!d.ok) fail(field, MESSAGES.cardDate);
    else if (field === 'bhytFrom') bhytFrom = d.value;
    else bhytTo = d.value;
  }
  if (bhytFrom && bhytTo && bhytTo < bhytFrom) fail('bhytTo', MESSAGES.cardDates);

  // A phone number is not worth losing the patient over: an unreadable one is left out and noted.
  let phone: string | null = null;
  const phoneText = text(raw.phone);
  if (phoneText) {
    const digits = normalizePhone(phoneText.split(/[/;,]/)[0]);
    if (digits && /^0?\d{8,14}$/.test(digits))
      phone = digits.startsWith('0') || digits.length < 9 ? digits : `0${digits}`;
    else notes.push('Bỏ qua số điện thoại không đọc được.');
  }
  const address = cleanText(text(raw.address)) || null;
  if (address && address.length > 300) fail('address', MESSAGES.address);

  if (
    !hospitalCode &&
    !personalId &&
    !cmnd &&
    !bhytCard &&
    !bhxhNumber &&
    !issues.some((i) => i.field !== null && ID_FIELDS.has(i.field))
  ) {
    fail(null, MESSAGES.noIdentifier);
  }
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    notes,
    record: {
      hospitalCode,
      fullName,
      normalizedName: normalizeVietnameseName(fullName),
      birthDate,
      sex,
      personalId,
      cmnd,
      bhytCard,
      bhxhNumber,
      bhytFrom,
      bhytTo,
      phone,
      address,
    },
  };
}

const ID_FIELDS = new Set<ImportField>(['hospitalCode', 'personalId', 'cmnd', 'bhytCard', 'bhxhNumber']);
