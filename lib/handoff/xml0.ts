import type { Env } from './config';
import { identifier, vnTimestamp, type HandoffSnapshot } from './snapshot';
import { CONTROL_CHARS } from '../identity/normalize';

/**
 * BHXH check-in record (XML0, "Bảng check-in", QĐ 130 as amended by QĐ 4750/3176; spec his-handoff.md §2):
 * 26 fields in this order inside CHI_TIEU_TRANG_THAI_KCB / DSACH_TRANG_THAI_KCB / TRANG_THAI_KCB, with an
 * empty CHUKYDONVI that the signer fills (xml0-sign.ts).
 *
 * Uncertain points, as in the spec: sizes after QĐ 3176 were not verified (§9.3); MA_LK must be agreed with
 * the HIS (we send our encounter number); MA_DOITUONG_KCB at check-in is provisional (we send 1.1 unless
 * configured); MA_DICH_VU/TEN_DICH_VU/NGAY_YL come from configuration because reception does not yet store
 * the exam service ordered.
 */
type FieldRule = { name: string; max: number; required: boolean; pattern?: RegExp };

export const XML0_FIELDS: FieldRule[] = [
  { name: 'MA_LK', max: 100, required: true },
  { name: 'STT', max: 10, required: true, pattern: /^\d+$/ },
  { name: 'MA_BN', max: 100, required: true },
  { name: 'HO_TEN', max: 255, required: true },
  { name: 'SO_CCCD', max: 15, required: false },
  { name: 'NGAY_SINH', max: 12, required: true, pattern: /^\d{12}$/ },
  { name: 'GIOI_TINH', max: 1, required: true, pattern: /^[123]$/ },
  { name: 'MA_THE_BHYT', max: 15, required: false },
  { name: 'MA_DKBD', max: 5, required: false },
  { name: 'GT_THE_TU', max: 8, required: false, pattern: /^\d{8}$/ },
  { name: 'GT_THE_DEN', max: 8, required: false, pattern: /^\d{8}$/ },
  { name: 'MA_DOITUONG_KCB', max: 4, required: true },
  { name: 'NGAY_VAO', max: 12, required: true, pattern: /^\d{12}$/ },
  { name: 'NGAY_VAO_NOI_TRU', max: 12, required: false, pattern: /^\d{12}$/ },
  { name: 'LY_DO_VNT', max: Infinity, required: false },
  { name: 'MA_LY_DO_VNT', max: 5, required: false },
  { name: 'MA_LOAI_KCB', max: 2, required: true, pattern: /^\d{2}$/ },
  { name: 'MA_CSKCB', max: 5, required: true },
  { name: 'MA_DICH_VU', max: 50, required: false },
  { name: 'TEN_DICH_VU', max: 1024, required: false },
  { name: 'MA_THUOC', max: 255, required: false },
  { name: 'TEN_THUOC', max: 1024, required: false },
  { name: 'MA_VAT_TU', max: 255, required: false },
  { name: 'TEN_VAT_TU', max: 1024, required: false },
  { name: 'NGAY_YL', max: 12, required: true, pattern: /^\d{12}$/ },
  { name: 'DU_PHONG', max: Infinity, required: false },
];

/**
 * XML0 is due for a BHYT outpatient visit with a card code; never for an emergency (MA_DOITUONG_KCB 2, spec
 * §2.2 c). As SQL over a snapshot row (lib/handoff/snapshot.ts), since the outbox decides it in its statement.
 */
export function xml0AppliesSql(snapshotRow: string): string {
  return `(${snapshotRow}."payer" = 'BHYT' AND ${snapshotRow}."visitType" = 'OUTPATIENT' AND ${snapshotRow}."coverage"->>'cardCode' IS NOT NULL)`;
}

export type Xml0Record = Record<string, string>;

function birth(date: string): string {
  // 'YYYY-MM-DD' → yyyyMMdd0000 (time unknown); year only → yyyy00000000 (spec §2.3 #6).
  return date.length === 4 ? `${date}00000000` : `${date.replace(/-/g, '')}0000`;
}

export function xml0Record(s: HandoffSnapshot, env: Env = process.env): Xml0Record {
  const minute = vnTimestamp(s.encounter.checkedInAt).slice(0, 12);
  return {
    MA_LK: s.encounter.number,
    STT: '1',
    MA_BN: identifier(s, 'HOSPITAL_CODE') ?? s.patient.id,
    HO_TEN: s.patient.fullName,
    SO_CCCD: identifier(s, 'PERSONAL_ID') ?? identifier(s, 'CMND') ?? '',
    NGAY_SINH: birth(s.patient.birthDate),
    GIOI_TINH: s.patient.sex === 'M' ? '1' : s.patient.sex === 'F' ? '2' : '3',
    MA_THE_BHYT: s.coverage?.cardCode ?? '',
    MA_DKBD: s.coverage?.registeredFacility ?? '',
    GT_THE_TU: s.coverage?.validFrom?.replace(/-/g, '') ?? '',
    GT_THE_DEN: s.coverage?.validTo?.replace(/-/g, '') ?? '',
    MA_DOITUONG_KCB: env.BHXH_MA_DOITUONG_KCB || '1.1', // provisional at check-in (spec §2.4.3)
    NGAY_VAO: minute,
    NGAY_VAO_NOI_TRU: '',
    LY_DO_VNT: '',
    MA_LY_DO_VNT: '',
    MA_LOAI_KCB: '01', // outpatient exam
    MA_CSKCB: s.facility.code,
    MA_DICH_VU: env.BHXH_EXAM_SERVICE_CODE || 'KB.0001', // placeholder (spec §2.7): configure the real exam code
    TEN_DICH_VU: env.BHXH_EXAM_SERVICE_NAME || `Khám ${s.encounter.room.name}`,
    MA_THUOC: '',
    TEN_THUOC: '',
    MA_VAT_TU: '',
    TEN_VAT_TU: '',
    NGAY_YL: minute, // the exam is ordered at check-in
    DU_PHONG: '',
  };
}

/** Problems with the record against the field table (empty when valid). */
export function validateXml0(record: Xml0Record): string[] {
  const problems: string[] = [];
  for (const f of XML0_FIELDS) {
    const v = record[f.name];
    if (v === undefined) problems.push(`${f.name}: thiếu trường`);
    else if (f.required && v === '') problems.push(`${f.name}: bắt buộc`);
    else if (v.length > f.max) problems.push(`${f.name}: dài quá ${f.max} ký tự`);
    else if (v !== '' && f.pattern && !f.pattern.test(v)) problems.push(`${f.name}: sai định dạng`);
  }
  const extra = Object.keys(record).filter((k) => !XML0_FIELDS.some((f) => f.name === k));
  for (const k of extra) problems.push(`${k}: không có trong bảng check-in`);
  // A BHYT check-in needs the card data (conditional fields #8–#11).
  if (record.MA_THE_BHYT && (!record.MA_DKBD || !record.GT_THE_TU))
    problems.push('MA_DKBD/GT_THE_TU: cần khi có MA_THE_BHYT');
  return problems;
}

/** Escaped text content; control characters (XML 1.0 forbids them) and lone surrogates dropped, line breaks → spaces. */
function xmlText(v: string): string {
  return v
    .replace(CONTROL_CHARS, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function xml0Document(record: Xml0Record): string {
  const fields = XML0_FIELDS.map((f) => `<${f.name}>${xmlText(record[f.name] ?? '')}</${f.name}>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><CHI_TIEU_TRANG_THAI_KCB><DSACH_TRANG_THAI_KCB><TRANG_THAI_KCB>${fields}</TRANG_THAI_KCB></DSACH_TRANG_THAI_KCB><CHUKYDONVI></CHUKYDONVI></CHI_TIEU_TRANG_THAI_KCB>`;
}

export function buildXml0(s: HandoffSnapshot): string {
  return xml0Document(xml0Record(s));
}
