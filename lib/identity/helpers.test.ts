import { describe, expect, it } from 'vitest';
import {
  BHYT_GROUPS,
  IDENTIFIER_SYSTEMS,
  PROVINCES,
  decodeBhytCardCode,
  decodeHexUtf8,
  decodePersonalId,
  encodeHexUtf8,
  identifierSystems,
  isForeignRegistrationCode,
  isIdentifierSystem,
  isKnownBhytProvinceCode,
  isValidBhxhNumber,
  isValidBhytCardCode,
  isValidCalendarDate,
  isValidCmnd,
  isValidPersonalId,
  lookupBhytGroup,
  lookupProvince,
  maskBhytCardCode,
  maskIdentifier,
  normalizeBhytCode,
  normalizePayload,
  normalizeVietnameseName,
  parseIdentity,
  parseVnDate,
  stripDiacritics,
  toVietnameseDate,
  type Identity,
} from './index';
import { utf8ByteLength } from './normalize';

describe('normalizeVietnameseName', () => {
  it.each<[string, string]>([
    ['Nguyễn Văn Đạt', 'nguyen van dat'],
    ['  ĐẶNG   THỊ\tLAN ', 'dang thi lan'],
    ['Lương Thị Ngọc Ánh'.normalize('NFD'), 'luong thi ngoc anh'],
    ['Hồ Thị Hương Giang', 'ho thi huong giang'],
    ['Ưng Hoàng Phúc', 'ung hoang phuc'],
    ['Quách Đức Thịnh', 'quach duc thinh'],
    ['Nông Văn Páo', 'nong van pao'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeVietnameseName(input)).toBe(expected);
  });

  it('NFC and NFD spellings of the same name give the same key', () => {
    const nfc = 'Trịnh Gia Khánh';
    expect(normalizeVietnameseName(nfc.normalize('NFD'))).toBe(normalizeVietnameseName(nfc.toUpperCase()));
  });

  it('stripDiacritics keeps case', () => {
    expect(stripDiacritics('Đỗ Minh Ánh')).toBe('Do Minh Anh');
  });
});

describe('normalizePayload', () => {
  it.each<[string, string]>([
    ['  075219008812\r\n', '075219008812'],
    ['\u0000\t075219008812\u0000', '075219008812'],
    ['０７５２１９００８８１２', '075219008812'],
    ['a｜b', 'a|b'],
    ['Nữ'.normalize('NFD'), 'Nữ'],
    ['\ufeffabc\u3000', 'abc'],
    ['a | b', 'a | b'], // inner spaces are the fields' business
  ])('%j → %j', (input, expected) => {
    expect(normalizePayload(input)).toBe(expected);
  });

  it('utf8ByteLength counts like TextEncoder (and lone surrogates as 3 bytes)', () => {
    for (const s of ['abc', 'Nguyễn', '😀x', 'Ữ'.repeat(10), '']) {
      expect(utf8ByteLength(s)).toBe(new TextEncoder().encode(s).length);
    }
    expect(utf8ByteLength('\ud800')).toBe(3);
  });
});

describe('dates', () => {
  it.each<[string, boolean, string | undefined]>([
    ['14031995', false, '1995-03-14'],
    ['14/03/1995', false, '1995-03-14'],
    ['4/3/1995', false, '1995-03-04'],
    [' 01/07/2028', false, '2028-07-01'],
    ['1949', true, '1949'],
    ['1949', false, undefined],
    ['29022024', false, '2024-02-29'],
    ['29022023', false, undefined],
    ['29021900', false, undefined], // 1900 is not a leap year
    ['29022000', false, '2000-02-29'],
    ['31042020', false, undefined],
    ['00012020', false, undefined],
    ['14/3/95', false, undefined],
    ['14-03-1995', false, undefined],
    ['1995-03-14', false, undefined],
    ['14/03/1995/', false, undefined],
    ['1/1//1995', false, undefined],
    ['01011799', false, undefined],
    ['0999', true, undefined],
    ['', true, undefined],
  ])('parseVnDate(%j, yearOnly=%s) → %j', (input, yearOnly, expected) => {
    const r = parseVnDate(input, yearOnly);
    expect(r.ok ? r.value : undefined).toBe(expected);
  });

  it('isValidCalendarDate', () => {
    expect(isValidCalendarDate(2024, 2, 29)).toBe(true);
    expect(isValidCalendarDate(2100, 2, 29)).toBe(false);
    expect(isValidCalendarDate(2024, 12, 31)).toBe(true);
    expect(isValidCalendarDate(2024, 12, 32)).toBe(false);
  });

  it('toVietnameseDate formats for the gateway', () => {
    expect(toVietnameseDate('1995-03-14')).toBe('14/03/1995');
    expect(toVietnameseDate('1949')).toBe('1949');
    expect(toVietnameseDate('14/03/1995')).toBeUndefined();
  });
});

describe('personal ID and CMND', () => {
  it.each<[string, boolean]>([
    ['001095012345', true],
    ['00109501234', false],
    ['0010950123456', false],
    ['00109501234a', false],
    ['001 095 012345', false],
    ['０01095012345', false],
    ['٠٠١٠٩٥٠١٢٣٤٥', false],
  ])('isValidPersonalId(%j) = %s', (v, expected) => {
    expect(isValidPersonalId(v)).toBe(expected);
  });

  it.each<
    [
      string,
      {
        prefix: string;
        sex: 'M' | 'F';
        birthYear: number;
        registeredAbroad: boolean;
        knownPrefix: boolean;
        province?: string;
      },
    ]
  >([
    [
      '001095012345',
      { prefix: '001', sex: 'M', birthYear: 1995, registeredAbroad: false, knownPrefix: true, province: 'Hà Nội' },
    ],
    [
      '079188004321',
      {
        prefix: '079',
        sex: 'F',
        birthYear: 1988,
        registeredAbroad: false,
        knownPrefix: true,
        province: 'TP. Hồ Chí Minh',
      },
    ],
    [
      '038204001122',
      { prefix: '038', sex: 'M', birthYear: 2004, registeredAbroad: false, knownPrefix: true, province: 'Thanh Hóa' },
    ],
    ['175301009900', { prefix: '175', sex: 'F', birthYear: 2001, registeredAbroad: true, knownPrefix: true }],
    [
      '031223004567',
      { prefix: '031', sex: 'M', birthYear: 2023, registeredAbroad: false, knownPrefix: true, province: 'Hải Phòng' },
    ],
    [
      '096512000001',
      { prefix: '096', sex: 'F', birthYear: 2112, registeredAbroad: false, knownPrefix: true, province: 'Cà Mau' },
    ],
    ['003999000001', { prefix: '003', sex: 'F', birthYear: 2399, registeredAbroad: false, knownPrefix: false }],
  ])('decodePersonalId(%s)', (id, e) => {
    const d = decodePersonalId(id);
    expect(d?.prefix).toBe(e.prefix);
    expect(d?.sex).toBe(e.sex);
    expect(d?.birthYear).toBe(e.birthYear);
    expect(d?.registeredAbroad).toBe(e.registeredAbroad);
    expect(d?.knownPrefix).toBe(e.knownPrefix);
    expect(d?.province?.name).toBe(e.province);
  });

  it('decodePersonalId rejects non-12-digit values', () => {
    expect(decodePersonalId('12345678')).toBeUndefined();
  });

  it('isValidCmnd', () => {
    expect(isValidCmnd('012345678')).toBe(true);
    expect(isValidCmnd('12345678')).toBe(false);
    expect(isValidCmnd('0123456789')).toBe(false);
  });
});

describe('provinces', () => {
  it('has the 63 pre-2025 provinces with unique codes', () => {
    expect(PROVINCES).toHaveLength(63);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(63);
  });
  it.each<[string, string | undefined, string | undefined]>([
    ['79', 'TP. Hồ Chí Minh', 'TP. Hồ Chí Minh'],
    ['079', 'TP. Hồ Chí Minh', 'TP. Hồ Chí Minh'],
    ['01', 'Hà Nội', 'Hà Nội'],
    ['24', 'Bắc Giang', 'Bắc Ninh'],
    ['046', 'Thừa Thiên Huế', 'Huế'],
    ['95', 'Bạc Liêu', 'Cà Mau'],
    ['03', undefined, undefined],
    ['179', undefined, undefined],
    ['7', undefined, undefined],
  ])('lookupProvince(%j)', (code, name, merged) => {
    expect(lookupProvince(code)?.name).toBe(name);
    expect(lookupProvince(code)?.mergedInto).toBe(merged);
  });
  it('foreign registration codes are 101–295', () => {
    expect(isForeignRegistrationCode('101')).toBe(true);
    expect(isForeignRegistrationCode('295')).toBe(true);
    expect(isForeignRegistrationCode('100')).toBe(false);
    expect(isForeignRegistrationCode('296')).toBe(false);
  });
  it('BHYT province codes include 97/98 (UNCERTAIN) but not gaps', () => {
    expect(isKnownBhytProvinceCode('97')).toBe(true);
    expect(isKnownBhytProvinceCode('98')).toBe(true);
    expect(isKnownBhytProvinceCode('03')).toBe(false);
    expect(isKnownBhytProvinceCode('99')).toBe(false);
  });
});

describe('BHYT numbers', () => {
  it('normalizeBhytCode strips separators and upper-cases', () => {
    expect(normalizeBhytCode('hs4 33.0611-122233')).toBe('HS4330611122233');
  });
  it.each<[string, boolean]>([
    ['HS4330611122233', true],
    ['HS6330611122233', false],
    ['hs4330611122233', false],
    ['HS433061112223', false],
    ['H54330611122233', false],
  ])('isValidBhytCardCode(%j) = %s', (v, e) => {
    expect(isValidBhytCardCode(v)).toBe(e);
  });
  it('isValidBhxhNumber', () => {
    expect(isValidBhxhNumber('7912345678')).toBe(true);
    expect(isValidBhxhNumber('791234567')).toBe(false);
  });
  it('decodeBhytCardCode', () => {
    expect(decodeBhytCardCode('CK2380387654321')).toStrictEqual({
      cardCode: 'CK2380387654321',
      groupCode: 'CK',
      benefitLevel: 2,
      provinceCode: '38',
      bhxhNumber: '0387654321',
    });
    expect(decodeBhytCardCode('CK7380387654321')).toBeUndefined();
  });
  it('group table', () => {
    expect(lookupBhytGroup('te')).toMatchObject({ code: 'TE', defaultLevel: 1 });
    expect(lookupBhytGroup('HT')?.defaultLevel).toBe(3);
    expect(lookupBhytGroup('QN')?.defaultLevel).toBe(5);
    expect(lookupBhytGroup('TV')).toBeUndefined();
    expect(new Set(BHYT_GROUPS.map((g) => g.code)).size).toBe(BHYT_GROUPS.length);
    expect(BHYT_GROUPS).toHaveLength(43);
  });
});

describe('hex', () => {
  it('decodes spec example and round-trips', () => {
    expect(decodeHexUtf8('4e677579e1bb856e')).toBe('Nguyễn');
    expect(decodeHexUtf8('4E677579E1BB856E')).toBe('Nguyễn');
    expect(decodeHexUtf8(encodeHexUtf8('Đặng Thị Lan'))).toBe('Đặng Thị Lan');
  });
  it.each<[string]>([['4e6'], ['zz'], ['c328'], ['e1bb'], ['0a41'], ['c280'], ['']])('rejects %j', (hex) => {
    expect(decodeHexUtf8(hex)).toBeUndefined();
  });
});

describe('identifiers', () => {
  it('maskIdentifier shows only the last 4 characters', () => {
    expect(maskIdentifier('001095012345')).toBe('********2345');
    expect(maskIdentifier('HS4330611122233')).toBe('***********2233');
    expect(maskIdentifier('012345678')).toBe('*****5678');
    expect(maskIdentifier('1234')).toBe('****');
    expect(maskIdentifier('12')).toBe('**');
    expect(maskIdentifier('')).toBe('');
    expect(maskIdentifier('001095012345', 2)).toBe('**********45');
  });
  it('maskBhytCardCode keeps the group, benefit level and province of a card code readable', () => {
    expect(maskBhytCardCode('GD4585812345601')).toBe('GD458******5601');
    expect(maskBhytCardCode('HS4330611122233')).toBe('HS433******2233');
    expect(maskBhytCardCode('5812345601')).toBe('******5601'); // a bare mã số BHXH: nothing to keep
    expect(maskBhytCardCode('GD9585812345601')).toBe('***********5601'); // not a card code (level 9)
  });

  it('system names', () => {
    expect(IDENTIFIER_SYSTEMS).toEqual(['PERSONAL_ID', 'CMND', 'BHYT_CARD', 'BHXH_NUMBER', 'HOSPITAL_CODE']);
    expect(isIdentifierSystem('HOSPITAL_CODE')).toBe(true);
    expect(isIdentifierSystem('PASSPORT')).toBe(false);
  });

  it.each<[string, Identity, { system: string; value: string }[]]>([
    [
      'CCCD with CMND',
      { kind: 'CCCD_QR', personalId: '040193057821', oldIdNumber: '186543210' },
      [
        { system: 'PERSONAL_ID', value: '040193057821' },
        { system: 'CMND', value: '186543210' },
      ],
    ],
    [
      'old BHYT card',
      { kind: 'BHYT_QR', bhyt: { cardCode: 'GD4310312457801', bhxhNumber: '0312457801' } },
      [
        { system: 'BHYT_CARD', value: 'GD4310312457801' },
        { system: 'BHXH_NUMBER', value: '0312457801' },
      ],
    ],
    [
      'new BHYT number',
      { kind: 'BHXH_NUMBER', bhyt: { bhxhNumber: '7508812345' } },
      [{ system: 'BHXH_NUMBER', value: '7508812345' }],
    ],
    ['typed CMND', { kind: 'CMND', oldIdNumber: '186543210' }, [{ system: 'CMND', value: '186543210' }]],
    ['nothing', { kind: 'BHYT_QR', bhyt: {} }, []],
  ])('identifierSystems: %s', (_label, identity, expected) => {
    expect(identifierSystems(identity)).toEqual(expected);
  });

  it('identifierSystems on a parsed typed BHYT code', () => {
    const r = parseIdentity('TE1 79 0212345678');
    expect(r.ok && identifierSystems(r.identity)).toEqual([
      { system: 'BHYT_CARD', value: 'TE1790212345678' },
      { system: 'BHXH_NUMBER', value: '0212345678' },
    ]);
  });
});
