import { describe, expect, it } from 'vitest';
import { parseIdentity, type Identity, type IdentityResult } from './index';
import { cccdPayload, CCCD_2021_SAMPLE, CAN_CUOC_2024_SAMPLE } from './test-fixtures';

const now = new Date('2026-03-01T03:00:00Z');
const parse = (raw: string) => parseIdentity(raw, { now });

function ok(r: IdentityResult): { identity: Identity; codes: string[] } {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}`);
  return { identity: r.identity, codes: r.warnings.map((w) => w.code) };
}
function errCode(r: IdentityResult): string {
  if (r.ok) throw new Error(`expected error, got ${r.identity.kind}`);
  return r.error.code;
}

describe('CCCD 2021 / Căn cước 2024 QR — full records', () => {
  it.each<[string, string, Identity]>([
    [
      '2021 with 9-digit CMND',
      CCCD_2021_SAMPLE,
      {
        kind: 'CCCD_QR',
        variant: 'CCCD_2021',
        personalId: '040193057821',
        oldIdNumber: '186543210',
        fullName: 'Lương Thị Ngọc Ánh',
        dateOfBirth: '1993-11-12',
        sex: 'F',
        address: 'Xóm 7, Xã Diễn Kỷ, Huyện Diễn Châu, Nghệ An',
        issuedOn: '2021-08-03',
      },
    ],
    [
      '2021 without CMND (young person)',
      '036207004455||Hà Minh Châu|19022007|Nam|Thôn Thượng, Xã Yên Thắng, Huyện Ý Yên, Nam Định|11062022',
      {
        kind: 'CCCD_QR',
        variant: 'CCCD_2021',
        personalId: '036207004455',
        fullName: 'Hà Minh Châu',
        dateOfBirth: '2007-02-19',
        sex: 'M',
        address: 'Thôn Thượng, Xã Yên Thắng, Huyện Ý Yên, Nam Định',
        issuedOn: '2022-06-11',
      },
    ],
    [
      'Căn cước 2024, 11 fields, 2-level address',
      CAN_CUOC_2024_SAMPLE,
      {
        kind: 'CCCD_QR',
        variant: 'CAN_CUOC_2024',
        personalId: '027202013579',
        fullName: 'Quách Đức Thịnh',
        dateOfBirth: '2002-07-30',
        sex: 'M',
        address: 'Số 14 Đường Lý Thái Tổ, Phường Kinh Bắc, Tỉnh Bắc Ninh',
        issuedOn: '2025-09-21',
      },
    ],
    [
      'Căn cước with CMND and old 4-level address',
      '022151004466|100234567|Mạc Thị Xuân|01011951|Nữ|Tổ 3, Khu 5, Phường Hà Khánh, Thành phố Hạ Long, Quảng Ninh|05112024||||',
      {
        kind: 'CCCD_QR',
        variant: 'CAN_CUOC_2024',
        personalId: '022151004466',
        oldIdNumber: '100234567',
        fullName: 'Mạc Thị Xuân',
        dateOfBirth: '1951-01-01',
        sex: 'F',
        address: 'Tổ 3, Khu 5, Phường Hà Khánh, Thành phố Hạ Long, Quảng Ninh',
        issuedOn: '2024-11-05',
      },
    ],
    [
      'born abroad (232 = Nhật Bản)',
      '232307000418||Kiều Sakura Vy|09092007|Nữ|Phường Nha Trang, Tỉnh Khánh Hòa|02022025||||',
      {
        kind: 'CCCD_QR',
        variant: 'CAN_CUOC_2024',
        personalId: '232307000418',
        fullName: 'Kiều Sakura Vy',
        dateOfBirth: '2007-09-09',
        sex: 'F',
        address: 'Phường Nha Trang, Tỉnh Khánh Hòa',
        issuedOn: '2025-02-02',
      },
    ],
  ])('%s', (_label, raw, expected) => {
    const { identity, codes } = ok(parse(raw));
    expect(identity).toStrictEqual(expected);
    expect(codes).toEqual([]);
  });
});

describe('CCCD QR — tolerated variations', () => {
  const base = {
    id: '040193057821',
    cmnd: '',
    name: 'Lương Thị Ngọc Ánh',
    dob: '12111993',
    sex: 'Nữ',
    address: 'Xóm 7, Xã Diễn Kỷ, Huyện Diễn Châu, Nghệ An',
    issued: '03082021',
  };
  it.each<[string, string, Partial<Identity>]>([
    [
      'dd/MM/yyyy dates',
      cccdPayload({ ...base, dob: '12/11/1993', issued: '03/08/2021' }),
      { dateOfBirth: '1993-11-12', issuedOn: '2021-08-03' },
    ],
    [
      'd/M/yyyy dates',
      cccdPayload({ ...base, dob: '2/1/1993', issued: '3/8/2021' }),
      { dateOfBirth: '1993-01-02', issuedOn: '2021-08-03' },
    ],
    ['sex NỮ upper case', cccdPayload({ ...base, sex: 'NỮ' }), { sex: 'F' }],
    ['sex "Nu" without diacritics', cccdPayload({ ...base, sex: 'Nu' }), { sex: 'F' }],
    ['sex "nu " lower case, spaces', cccdPayload({ ...base, sex: ' nu ' }), { sex: 'F' }],
    ['sex NFD-decomposed Nữ', cccdPayload({ ...base, sex: 'Nữ'.normalize('NFD') }), { sex: 'F' }],
    ['sex NAM', cccdPayload({ ...base, id: '040093057821', sex: 'NAM' }), { sex: 'M' }],
    ['sex nam', cccdPayload({ ...base, id: '040093057821', sex: 'nam' }), { sex: 'M' }],
    ['trailing CR/LF', cccdPayload(base) + '\r\n', { issuedOn: '2021-08-03' }],
    ['trailing NUL and TAB', cccdPayload(base) + '\t\u0000\u0000', { issuedOn: '2021-08-03' }],
    ['surrounding spaces', '   ' + cccdPayload(base) + '  ', { personalId: '040193057821' }],
    [
      'full-width digits and ｜',
      '０４０１９３０５７８２１｜｜Lương Thị Ngọc Ánh｜１２１１１９９３｜Nữ｜Xóm ７, Xã Diễn Kỷ｜０３０８２０２１',
      { personalId: '040193057821', dateOfBirth: '1993-11-12', address: 'Xóm 7, Xã Diễn Kỷ', issuedOn: '2021-08-03' },
    ],
    [
      'NFD name → NFC',
      cccdPayload({ ...base, name: 'Lương Thị Ngọc Ánh'.normalize('NFD') }),
      { fullName: 'Lương Thị Ngọc Ánh' },
    ],
    [
      'name case kept (upper)',
      cccdPayload({ ...base, name: 'LƯƠNG THỊ NGỌC ÁNH' }),
      { fullName: 'LƯƠNG THỊ NGỌC ÁNH' },
    ],
    [
      'name whitespace collapsed',
      cccdPayload({ ...base, name: '  Lương  Thị   Ngọc Ánh ' }),
      { fullName: 'Lương Thị Ngọc Ánh' },
    ],
    [
      'address with province repeated kept as is',
      cccdPayload({ ...base, address: 'Số 2 Phố Huế, Hà Nội, Hà Nội' }),
      { address: 'Số 2 Phố Huế, Hà Nội, Hà Nội' },
    ],
    ['empty address omitted', cccdPayload({ ...base, address: '' }), { address: undefined }],
    [
      '12-digit CMND equal to ID dropped silently',
      cccdPayload({ ...base, cmnd: '040193057821' }),
      { oldIdNumber: undefined },
    ],
    ['$ terminator tolerated', cccdPayload(base) + '|$', { variant: 'CCCD_2021', issuedOn: '2021-08-03' }],
  ])('%s', (_label, raw, expected) => {
    const { identity, codes } = ok(parse(raw));
    for (const [k, v] of Object.entries(expected)) {
      if (v === undefined) expect(k in identity).toBe(false);
      else expect(identity[k as keyof Identity]).toEqual(v);
    }
    expect(codes).toEqual([]);
  });

  it('upper-case name without diacritics (middleware) parses with a warning', () => {
    const { identity, codes } = ok(parse('040193057821|186543210|LUONG THI NGOC ANH|12/11/1993|Nu|Nghe An|03/08/2021'));
    expect(identity.fullName).toBe('LUONG THI NGOC ANH');
    expect(identity.sex).toBe('F');
    expect(codes).toEqual(['NAME_WITHOUT_DIACRITICS']);
  });

  it('keyboard-wedge scanner: "?" in place of letters → numbers/dates kept, warnings raised', () => {
    const raw = '040193057821||L??ng Th? Ng?c ?nh|12111993|N?|X?m 7, X? Di?n K?, Ngh? An|03082021\r\n';
    const { identity, codes } = ok(parse(raw));
    expect(identity.personalId).toBe('040193057821');
    expect(identity.dateOfBirth).toBe('1993-11-12');
    expect(identity.fullName).toBe('L??ng Th? Ng?c ?nh');
    expect(identity.sex).toBe('F'); // "Nam" is pure ASCII, so a mangled "N?" can only be "Nữ"
    expect(codes).toEqual(['NAME_DIACRITICS_LOST', 'ADDRESS_DIACRITICS_LOST']);
  });

  it('no key is present with an undefined value', () => {
    const { identity } = ok(parse(cccdPayload({ ...base, address: '' })));
    for (const v of Object.values(identity)) expect(v).not.toBeUndefined();
  });
});

describe('CCCD QR — field counts', () => {
  const seven = [
    '038096002244',
    '',
    'Đinh Công Tráng',
    '05051996',
    'Nam',
    'Xã Hoằng Hà, Hoằng Hóa, Thanh Hóa',
    '07072021',
  ];
  it.each<[number, string, string[]]>([
    [6, 'UNKNOWN', ['VARIANT_UNKNOWN']],
    [7, 'CCCD_2021', []],
    [8, 'UNKNOWN', ['VARIANT_UNKNOWN']],
    [11, 'CAN_CUOC_2024', []],
    [12, 'UNKNOWN', ['VARIANT_UNKNOWN']],
  ])('%i fields → %s', (count, variant, warnings) => {
    const f = [...seven];
    while (f.length < count) f.push('');
    const raw = f.slice(0, count).join('|');
    const { identity, codes } = ok(parse(raw));
    expect(identity.variant).toBe(variant);
    expect(identity.personalId).toBe('038096002244');
    expect(codes).toEqual(warnings);
    if (count === 6) expect('issuedOn' in identity).toBe(false);
  });

  it.each<[number, string]>([
    [2, 'TRUNCATED'],
    [5, 'TRUNCATED'],
    [13, 'UNRECOGNISED'],
  ])('%i fields → %s', (count, code) => {
    const f = [...seven, '', '', '', '', '', ''];
    expect(errCode(parse(f.slice(0, count).join('|')))).toBe(code);
  });

  it('Căn cước extra fields 7–10 with content are ignored (meaning UNCERTAIN)', () => {
    const raw = [...seven, 'Đinh Văn Cha', 'Lê Thị Mẹ', '', ''].join('|');
    const { identity, codes } = ok(parse(raw));
    expect(identity.variant).toBe('CAN_CUOC_2024');
    expect(Object.keys(identity).sort()).toEqual([
      'address',
      'dateOfBirth',
      'fullName',
      'issuedOn',
      'kind',
      'personalId',
      'sex',
      'variant',
    ]);
    expect(codes).toEqual([]);
  });
});

describe('CCCD QR — soft validation (warnings)', () => {
  const p = (
    id: string,
    dob: string,
    sex: string,
    extra: Partial<{ cmnd: string; issued: string; name: string }> = {},
  ) =>
    cccdPayload({
      id,
      cmnd: extra.cmnd ?? '',
      name: extra.name ?? 'Võ Thanh Hải',
      dob,
      sex,
      address: 'Ấp 3, Xã Tân Thạnh, Tỉnh Tây Ninh',
      issued: extra.issued ?? '10102022',
    });
  it.each<[string, string, string[]]>([
    ['consistent male 1990s', p('072090001122', '01011990', 'Nam'), []],
    ['sex digit says male, QR says Nữ (spec §2.6)', p('079098001234', '02051998', 'Nữ'), ['ID_SEX_MISMATCH']],
    ['YY digits differ from birth year', p('072091001122', '01011990', 'Nam'), ['ID_BIRTH_YEAR_MISMATCH']],
    ['century digit 2 (2000s) but born 1990', p('072290001122', '01011990', 'Nam'), ['ID_BIRTH_YEAR_MISMATCH']],
    ['century digit 3 (female 2000s) born 2005 male', p('072305001122', '01012005', 'Nam'), ['ID_SEX_MISMATCH']],
    ['unknown province prefix 003', p('003090001122', '01011990', 'Nam'), ['UNKNOWN_PROVINCE_CODE']],
    ['unknown prefix 300 (beyond country codes)', p('300090001122', '01011990', 'Nam'), ['UNKNOWN_PROVINCE_CODE']],
    ['sex unreadable', p('072090001122', '01011990', 'X'), ['UNKNOWN_SEX']],
    ['CMND of 11 digits', p('072090001122', '01011990', 'Nam', { cmnd: '12345678901' }), ['OLD_ID_UNUSUAL']],
    ['CMND with letters', p('072090001122', '01011990', 'Nam', { cmnd: 'A1234567' }), ['OLD_ID_UNUSUAL']],
    ['issue date before birth', p('072090001122', '01011990', 'Nam', { issued: '01011989' }), ['ISSUE_BEFORE_BIRTH']],
    [
      'issue date in the future',
      p('072090001122', '01011990', 'Nam', { issued: '05032026' }),
      ['ISSUE_DATE_IN_FUTURE'],
    ],
    ['issue date tomorrow tolerated (clock skew)', p('072090001122', '01011990', 'Nam', { issued: '02032026' }), []],
    [
      'birth date in the future',
      p('072226001122', '01062026', 'Nam', { issued: '01062026' }),
      ['BIRTH_DATE_IN_FUTURE', 'ISSUE_DATE_IN_FUTURE'],
    ],
    ['age over 125', p('072099001122', '01011899', 'Nam'), ['AGE_IMPLAUSIBLE', 'ID_BIRTH_YEAR_MISMATCH']],
    ['empty name', p('072090001122', '01011990', 'Nam', { name: '' }), ['MISSING_NAME']],
  ])('%s', (_label, raw, expected) => {
    expect(ok(parse(raw)).codes).toEqual(expected);
  });

  it('warnings carry a Vietnamese message', () => {
    const r = parse(p('079098001234', '02051998', 'Nữ'));
    expect(r.ok && r.warnings[0]?.message).toMatch(/Giới tính không khớp/);
  });

  it('9-digit CMND-only payload (rare, UNCERTAIN) → CMND kept, no personal ID, warning', () => {
    const { identity, codes } = ok(parse('186543210||Lương Thị Ngọc Ánh|12111993|Nữ|Nghệ An|03082021'));
    expect(identity.kind).toBe('CCCD_QR');
    expect(identity.oldIdNumber).toBe('186543210');
    expect('personalId' in identity).toBe(false);
    expect(codes).toEqual(['CMND_ONLY_QR']);
  });
});

describe('CCCD QR — rejection', () => {
  it.each<[string, string, string]>([
    ['31 February birth date', '072090001122||Võ Thanh Hải|31021990|Nam|Tây Ninh|10102022', 'INVALID_DATE'],
    ['month 13', '072090001122||Võ Thanh Hải|01131990|Nam|Tây Ninh|10102022', 'INVALID_DATE'],
    ['29 Feb on a non-leap year', '072090001122||Võ Thanh Hải|29021990|Nam|Tây Ninh|10102022', 'INVALID_DATE'],
    ['impossible issue date', '072090001122||Võ Thanh Hải|01011990|Nam|Tây Ninh|00102022', 'INVALID_DATE'],
    ['empty birth date', '072090001122||Võ Thanh Hải||Nam|Tây Ninh|10102022', 'INVALID_DATE'],
    ['birth date with letters', '072090001122||Võ Thanh Hải|01O11990|Nam|Tây Ninh|10102022', 'INVALID_DATE'],
    ['year 0000', '072090001122||Võ Thanh Hải|01010000|Nam|Tây Ninh|10102022', 'INVALID_DATE'],
    ['ISO date in a CCCD', '072090001122||Võ Thanh Hải|1990-01-01|Nam|Tây Ninh|10102022', 'INVALID_DATE'],
    ['11-digit first field', '07209000112||Võ Thanh Hải|01011990|Nam|Tây Ninh|10102022', 'UNRECOGNISED'],
  ])('%s → %s', (_label, raw, code) => {
    expect(errCode(parse(raw))).toBe(code);
  });

  it('accepts 29 Feb on a leap year', () => {
    expect(ok(parse('072000001122||Võ Thanh Hải|29022000|Nam|Tây Ninh|10102022')).identity.dateOfBirth).toBe(
      '2000-02-29',
    );
  });

  it('error message names the field, in Vietnamese', () => {
    const r = parse('072090001122||Võ Thanh Hải|31021990|Nam|Tây Ninh|10102022');
    expect(!r.ok && r.error.message).toMatch(/ngày sinh/);
  });
});
