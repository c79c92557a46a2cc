import { describe, expect, it } from 'vitest';
import { detectDelimiter, parseCsvRecords } from './read';
import { detectColumns, findHeaderRow, parseColumnMap } from './columns';
import { readDate, readSex } from './rows';

/** Pure parts of the import: CSV records across chunk boundaries, header recognition, dates and sexes as HIS export them. */
function parseInChunks(text: string, size: number): string[][] {
  const out: string[][] = [];
  let carry = '';
  for (let i = 0; i < text.length; i += size) {
    const buf = carry + text.slice(i, i + size);
    carry = buf.slice(parseCsvRecords(buf, 0x2c, false, (c) => out.push(c)));
  }
  parseCsvRecords(carry, 0x2c, true, (c) => out.push(c));
  return out;
}

describe('CSV records', () => {
  const text =
    'Mã BN,Họ tên,Địa chỉ\r\nBN1,"Lê Văn ""Tí""","12 Trần Phú,\r\nPhường 1"\r\n\r\nBN2,Đỗ Thị Mơ,\nBN3,x,"y"z\n';
  const expected = [
    ['Mã BN', 'Họ tên', 'Địa chỉ'],
    ['BN1', 'Lê Văn "Tí"', '12 Trần Phú,\r\nPhường 1'],
    [''],
    ['BN2', 'Đỗ Thị Mơ', ''],
    ['BN3', 'x', 'yz'],
  ];

  it('quotes, doubled quotes, line breaks inside quotes, CRLF and LF, blank lines: the same whatever the chunk size', () => {
    for (let size = 1; size <= text.length; size++) expect(parseInChunks(text, size)).toEqual(expected);
  });

  it('a last record without a line break, and an unterminated quote at the end of the file', () => {
    expect(parseInChunks('a,b\nc,d', 3)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseInChunks('a,"b\nc', 2)).toEqual([['a', 'b\nc']]);
  });

  it('the delimiter is the one the header line uses most, outside quotes', () => {
    expect(detectDelimiter('Mã BN;Họ tên;"Địa chỉ, xã"')).toBe(0x3b);
    expect(detectDelimiter('Mã BN\tHọ tên\tNgày sinh')).toBe(0x09);
    expect(detectDelimiter('Mã BN,Họ tên')).toBe(0x2c);
  });
});

describe('columns', () => {
  it('recognises Vietnamese and English headers with or without marks, spaces or underscores; --map overrides', () => {
    const headers = [
      'MÃ BN',
      'ho_va_ten',
      'Ngày Sinh',
      'Giới',
      'Số định danh',
      'Số thẻ BHYT',
      'Hạn thẻ từ',
      'Hạn thẻ đến',
      'SĐT',
      'Địa chỉ',
      'Ghi chú',
    ];
    expect(detectColumns(headers).fields).toEqual([
      'hospitalCode',
      'fullName',
      'birthDate',
      'sex',
      'personalId',
      'bhytCard',
      'bhytFrom',
      'bhytTo',
      'phone',
      'address',
      null,
    ]);
    expect(detectColumns(['Patient ID', 'Full name', 'Date of birth', 'Gender']).fields).toEqual([
      'hospitalCode',
      'fullName',
      'birthDate',
      'sex',
    ]);
    const map = parseColumnMap('Số lưu trữ=hospitalCode, SĐT=');
    expect(detectColumns(['Số lưu trữ', 'Họ tên', 'Năm sinh', 'SĐT'], map)).toMatchObject({
      fields: ['hospitalCode', 'fullName', 'birthDate', null],
      missing: [],
    });
    expect(detectColumns(['Họ tên', 'Ngày sinh']).missing).toEqual(['hospitalCode']);
    expect(() => parseColumnMap('Mã=khong_co')).toThrow(/không có trường "khong_co"/);
    expect(findHeaderRow([['BỆNH VIỆN THỬ'], ['Danh sách người bệnh'], ['STT', 'Mã BN', 'Họ tên', 'Ngày sinh']])).toBe(
      2,
    );
  });
});

describe('values as exports write them', () => {
  it('dates: dd/MM/yyyy, d/M/yyyy, yyyy-MM-dd with a time, a year, Excel dates and serials; impossible dates refused', () => {
    expect(readDate('05/11/1980', true)).toEqual({ ok: true, value: '1980-11-05' });
    expect(readDate('5/1/1980', true)).toEqual({ ok: true, value: '1980-01-05' });
    expect(readDate('1980-11-05 00:00:00', true)).toEqual({ ok: true, value: '1980-11-05' });
    expect(readDate('1980', true)).toEqual({ ok: true, value: '1980' });
    expect(readDate('1980', false)).toEqual({ ok: false });
    expect(readDate(new Date(Date.UTC(1980, 10, 5)), true)).toEqual({ ok: true, value: '1980-11-05' });
    expect(readDate(29530, true)).toEqual({ ok: true, value: '1980-11-05' });
    expect(readDate(1980, true)).toEqual({ ok: true, value: '1980' });
    for (const bad of ['31/02/1980', '1980-13-01', '05/11/80', 'không rõ', ''])
      expect(readDate(bad, true)).toEqual({ ok: false });
  });

  it('sex: Nam/Nữ in any case or without marks, 1/2/3, M/F; anything else refused', () => {
    expect(['Nam', 'NAM', 'nam', '1', 'M', 'male'].map((s) => readSex(s))).toEqual(
      Array(6).fill({ ok: true, value: 'M' }),
    );
    expect(['Nữ', 'NỮ', 'nu', '2', 'F', 'Female', 2].map((s) => readSex(s))).toEqual(
      Array(7).fill({ ok: true, value: 'F' }),
    );
    expect(readSex('3')).toEqual({ ok: true, value: null });
    expect(readSex('')).toEqual({ ok: true, value: null });
    expect(readSex('X')).toEqual({ ok: false });
    expect(readSex('N?')).toEqual({ ok: false }); // a mangled "Nữ" is not guessed in a file
  });
});
