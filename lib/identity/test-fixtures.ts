/**
 * Synthetic payload builders for tests and the benchmark. Every person here is invented; numbers may
 * coincide with real ones by chance and must never be treated as real people.
 */
import { encodeHexUtf8 } from './hex';

export type CccdFixture = {
  id: string;
  cmnd?: string; // '' / absent → empty field
  name: string;
  dob: string; // as printed in the QR: 'ddMMyyyy' or 'dd/MM/yyyy'
  sex: string; // 'Nam' / 'Nữ' (any spelling under test)
  address: string;
  issued: string;
  layout?: '2021' | '2024';
};

export function cccdPayload(f: CccdFixture): string {
  const fields = [f.id, f.cmnd ?? '', f.name, f.dob, f.sex, f.address, f.issued];
  if (f.layout === '2024') fields.push('', '', '', '');
  return fields.join('|');
}

export type BhytFixture = {
  code: string;
  name: string; // plain text; hex-encoded by the builder unless nameRaw is given
  nameRaw?: string;
  dob: string; // 'dd/MM/yyyy' or 'yyyy'
  sex: '1' | '2' | string;
  address?: string; // plain text → hex; absent → '-'
  facility: string; // 'PP - CCC'
  from: string;
  to: string; // date or '-'
  issued: string;
  mgmt: string; // 14 digits
  guardian?: string; // plain text; absent → '-'
  code11?: string;
  five: string; // date, ' date' or '-'
  checksum?: string;
  terminator?: boolean; // default true
};

export type BhytNewFixture = BhytFixture & { level: string; issuePlace?: string };

function oldFields(f: BhytFixture): string[] {
  return [
    f.code,
    f.nameRaw ?? encodeHexUtf8(f.name),
    f.dob,
    f.sex,
    f.address === undefined ? '-' : encodeHexUtf8(f.address),
    f.facility,
    f.from,
    f.to,
    f.issued,
    f.mgmt,
    f.guardian ?? '-',
    f.code11 ?? '4',
    f.five,
    f.checksum ?? '5a5b5c5d5e5f6061-7102',
  ];
}

function finish(fields: string[], terminator: boolean | undefined): string {
  if (terminator !== false) fields.push('$');
  return fields.join('|');
}

/** Old card layout: 15 parts including the final '$'. */
export function bhytOldPayload(f: BhytFixture): string {
  return finish(oldFields(f), f.terminator);
}

/** New card layout (QĐ 1666): 17 parts including the final '$'. */
export function bhytNewPayload(f: BhytNewFixture): string {
  const fields = oldFields(f);
  fields.push(f.level, f.issuePlace === undefined ? '-' : encodeHexUtf8(f.issuePlace));
  return finish(fields, f.terminator);
}

// ---- A small cast of invented people, used as representative payloads ----

export const CCCD_2021_SAMPLE = cccdPayload({
  id: '040193057821',
  cmnd: '186543210',
  name: 'Lương Thị Ngọc Ánh',
  dob: '12111993',
  sex: 'Nữ',
  address: 'Xóm 7, Xã Diễn Kỷ, Huyện Diễn Châu, Nghệ An',
  issued: '03082021',
});

export const CAN_CUOC_2024_SAMPLE = cccdPayload({
  id: '027202013579',
  name: 'Quách Đức Thịnh',
  dob: '30072002',
  sex: 'Nam',
  address: 'Số 14 Đường Lý Thái Tổ, Phường Kinh Bắc, Tỉnh Bắc Ninh',
  issued: '21092025',
  layout: '2024',
});

export const BHYT_OLD_SAMPLE = bhytOldPayload({
  code: 'GD4310312457801',
  name: 'Mạc Thị Xuân',
  dob: '01/01/1951',
  sex: '2',
  address: 'Thôn Đoài, Xã Tiên Minh, Huyện Tiên Lãng, Thành phố Hải Phòng',
  facility: '31 - 118',
  from: '01/01/2020',
  to: '31/12/2020',
  issued: '18/12/2019',
  mgmt: '31080312457801',
  five: '01/01/2021',
});

export const BHYT_NEW_SAMPLE = bhytNewPayload({
  code: '7508812345',
  name: 'Trịnh Gia Khánh',
  dob: '15/04/2019',
  sex: '1',
  facility: '75 – 012',
  from: '15/04/2024',
  to: '-',
  issued: '20/04/2024',
  mgmt: '75117508812345',
  guardian: 'Trịnh Văn Lực',
  five: ' 15/04/2029',
  checksum: 'f0e1d2c3b4a59687-1202',
  level: '1',
  issuePlace: 'Thành phố Biên Hòa, Tỉnh Đồng Nai',
});

export const TYPED_SAMPLES = {
  personalId: '075 219 008 812',
  cmnd: '186543210',
  bhxhNumber: '7508812345',
  bhytCode: 'gd4-31-0312457801',
} as const;
