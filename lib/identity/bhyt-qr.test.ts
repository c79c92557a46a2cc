import { describe, expect, it } from 'vitest';
import { parseIdentity, type Identity, type IdentityResult, type BhytInfo } from './index';
import { encodeHexUtf8 } from './hex';
import {
  bhytNewPayload,
  bhytOldPayload,
  BHYT_NEW_SAMPLE,
  BHYT_OLD_SAMPLE,
  type BhytFixture,
  type BhytNewFixture,
} from './test-fixtures';

const now = new Date('2026-03-01T03:00:00Z');
const parse = (raw: string) => parseIdentity(raw, { now });

function ok(r: IdentityResult): { identity: Identity; codes: string[] } {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return { identity: r.identity, codes: r.warnings.map((w) => w.code) };
}
function errCode(r: IdentityResult): string {
  if (r.ok) throw new Error(`expected error, got ${r.identity.kind}`);
  return r.error.code;
}

const oldCard: BhytFixture = {
  code: 'CN3920911223344',
  name: 'Thạch Thị Sa Rênh',
  dob: '17/08/1976',
  sex: '2',
  address: 'Ấp Trà Cú, Xã Tân Hiệp, Huyện Châu Thành, Tỉnh Hậu Giang',
  facility: '92 - 007',
  from: '01/01/2022',
  to: '31/12/2022',
  issued: '28/12/2021',
  mgmt: '92040911223344',
  five: '01/01/2024',
};

const newCard: BhytNewFixture = {
  code: '0412233445',
  name: 'Nông Văn Páo',
  dob: '1958',
  sex: '1',
  facility: '04 - 001',
  from: '01/07/2024',
  to: '-',
  issued: '10/07/2024',
  mgmt: '04010412233445',
  five: ' 01/07/2029',
  level: '2',
  issuePlace: 'Huyện Bảo Lạc, Tỉnh Cao Bằng',
};

describe('BHYT QR — full records', () => {
  it.each<[string, string, Identity]>([
    [
      'old layout (15 parts), address = employer-like text',
      bhytOldPayload(oldCard),
      {
        kind: 'BHYT_QR',
        variant: 'BHYT_OLD',
        fullName: 'Thạch Thị Sa Rênh',
        dateOfBirth: '1976-08-17',
        sex: 'F',
        address: 'Ấp Trà Cú, Xã Tân Hiệp, Huyện Châu Thành, Tỉnh Hậu Giang',
        bhyt: {
          cardCode: 'CN3920911223344',
          bhxhNumber: '0911223344',
          groupCode: 'CN',
          benefitLevel: 3,
          provinceCode: '92',
          registeredFacility: '92007',
          validFrom: '2022-01-01',
          validTo: '2022-12-31',
          issuedOn: '2021-12-28',
          fiveYearsFrom: '2024-01-01',
        },
      },
    ],
    [
      'new layout (17 parts), year-only birth, level field, issue place',
      bhytNewPayload(newCard),
      {
        kind: 'BHYT_QR',
        variant: 'BHYT_NEW',
        fullName: 'Nông Văn Páo',
        dateOfBirth: '1958',
        sex: 'M',
        bhyt: {
          bhxhNumber: '0412233445',
          benefitLevel: 2,
          registeredFacility: '04001',
          validFrom: '2024-07-01',
          validTo: null,
          issuedOn: '2024-07-10',
          fiveYearsFrom: '2029-07-01',
          issuePlace: 'Huyện Bảo Lạc, Tỉnh Cao Bằng',
        },
      },
    ],
    [
      'old TE card with guardian in plain text and 5-year "-"',
      bhytOldPayload({
        ...oldCard,
        code: 'TE1010123987654',
        name: 'Lò Thị Mai Anh',
        dob: '03/03/2023',
        sex: '2',
        address: 'Bản Nà Tấu, Xã Nà Tấu, Huyện Điện Biên, Tỉnh Điện Biên',
        facility: '01 - 913',
        from: '03/03/2023',
        to: '02/03/2029',
        issued: '10/03/2023',
        mgmt: '01130123987654',
        guardian: 'Lò Văn Thắng',
        five: '-',
      }),
      {
        kind: 'BHYT_QR',
        variant: 'BHYT_OLD',
        fullName: 'Lò Thị Mai Anh',
        dateOfBirth: '2023-03-03',
        sex: 'F',
        address: 'Bản Nà Tấu, Xã Nà Tấu, Huyện Điện Biên, Tỉnh Điện Biên',
        bhyt: {
          cardCode: 'TE1010123987654',
          bhxhNumber: '0123987654',
          groupCode: 'TE',
          benefitLevel: 1,
          provinceCode: '01',
          registeredFacility: '01913',
          validFrom: '2023-03-03',
          validTo: '2029-03-02',
          issuedOn: '2023-03-10',
          guardianName: 'Lò Văn Thắng',
          fiveYearsFrom: null,
        },
      },
    ],
  ])('%s', (_label, raw, expected) => {
    const { identity, codes } = ok(parse(raw));
    expect(identity).toStrictEqual(expected);
    expect(codes).toEqual([]);
  });

  it('representative samples parse without warnings', () => {
    expect(ok(parse(BHYT_OLD_SAMPLE)).codes).toEqual([]);
    const n = ok(parse(BHYT_NEW_SAMPLE));
    expect(n.codes).toEqual([]);
    expect(n.identity.bhyt?.registeredFacility).toBe('75012'); // en dash in '75 – 012'
    expect(n.identity.bhyt?.guardianName).toBe('Trịnh Văn Lực');
  });
});

describe('BHYT QR — tolerated variations', () => {
  it.each<[string, string, Partial<BhytInfo> & { top?: Partial<Identity> }]>([
    ['without final $ (old)', bhytOldPayload({ ...oldCard, terminator: false }), { validTo: '2022-12-31' }],
    [
      'without final $ (new)',
      bhytNewPayload({ ...newCard, terminator: false }),
      { benefitLevel: 2, issuePlace: 'Huyện Bảo Lạc, Tỉnh Cao Bằng' },
    ],
    ['$ followed by CR/LF', bhytOldPayload(oldCard) + '\r\n', { registeredFacility: '92007' }],
    [
      'lower-case card code',
      bhytOldPayload({ ...oldCard, code: 'cn3920911223344' }),
      { cardCode: 'CN3920911223344', groupCode: 'CN' },
    ],
    [
      'upper-case hex',
      bhytOldPayload({ ...oldCard, nameRaw: encodeHexUtf8('Thạch Thị Sa Rênh').toUpperCase() }),
      { top: { fullName: 'Thạch Thị Sa Rênh' } },
    ],
    ['facility with en dash', bhytOldPayload({ ...oldCard, facility: '92 – 007' }), { registeredFacility: '92007' }],
    ['facility without spaces', bhytOldPayload({ ...oldCard, facility: '92-007' }), { registeredFacility: '92007' }],
    ['facility with a letter', bhytOldPayload({ ...oldCard, facility: '01 - c12' }), { registeredFacility: '01C12' }],
    [
      '5-year date with leading spaces',
      bhytOldPayload({ ...oldCard, five: '   01/01/2024' }),
      { fiveYearsFrom: '2024-01-01' },
    ],
    ['valid-to "-" → null', bhytOldPayload({ ...oldCard, to: '-' }), { validTo: null }],
    ['address "-" → absent', bhytOldPayload({ ...oldCard, address: undefined }), { top: { address: undefined } }],
    ['year-only birth', bhytOldPayload({ ...oldCard, dob: '1976' }), { top: { dateOfBirth: '1976' } }],
    [
      'birth date with leading space',
      bhytOldPayload({ ...oldCard, dob: ' 17/08/1976' }),
      { top: { dateOfBirth: '1976-08-17' } },
    ],
    ['male', bhytOldPayload({ ...oldCard, sex: '1' }), { top: { sex: 'M' } }],
    ['level 5 in the new-layout field', bhytNewPayload({ ...newCard, level: '5' }), { benefitLevel: 5 }],
    ['new-layout level field blank → absent', bhytNewPayload({ ...newCard, level: '-' }), { benefitLevel: undefined }],
    [
      'full-width digits in dates',
      bhytOldPayload({ ...oldCard, from: '０１/０１/２０２２' }),
      { validFrom: '2022-01-01' },
    ],
    [
      'guardian in hex (UNCERTAIN form) decoded too',
      bhytNewPayload({ ...newCard, guardian: encodeHexUtf8('Nông Thị Dín') }),
      { guardianName: 'Nông Thị Dín' },
    ],
  ])('%s', (_label, raw, expected) => {
    const { identity, codes } = ok(parse(raw));
    const { top, ...bhyt } = expected;
    for (const [k, v] of Object.entries(bhyt)) {
      if (v === undefined) expect(k in (identity.bhyt ?? {})).toBe(false);
      else expect(identity.bhyt?.[k as keyof BhytInfo]).toEqual(v);
    }
    for (const [k, v] of Object.entries(top ?? {})) {
      if (v === undefined) expect(k in identity).toBe(false);
      else expect(identity[k as keyof Identity]).toEqual(v);
    }
    expect(codes).toEqual([]);
  });

  it('short 10-part variant ending after the issue date', () => {
    const raw = [
      'SV4790512340987',
      encodeHexUtf8('Tăng Mỹ Linh'),
      '22/10/2004',
      '2',
      encodeHexUtf8('Ký túc xá khu B, Thủ Đức'),
      '79 - 497',
      '01/01/2024',
      '-',
      '05/01/2024',
      '$',
    ].join('|');
    const { identity, codes } = ok(parse(raw));
    expect(identity).toStrictEqual({
      kind: 'BHYT_QR',
      variant: 'UNKNOWN',
      fullName: 'Tăng Mỹ Linh',
      dateOfBirth: '2004-10-22',
      sex: 'F',
      address: 'Ký túc xá khu B, Thủ Đức',
      bhyt: {
        cardCode: 'SV4790512340987',
        bhxhNumber: '0512340987',
        groupCode: 'SV',
        benefitLevel: 4,
        provinceCode: '79',
        registeredFacility: '79497',
        validFrom: '2024-01-01',
        validTo: null,
        issuedOn: '2024-01-05',
      },
    });
    expect(codes).toEqual(['VARIANT_UNKNOWN']);
  });

  it('short 9-field variant without address', () => {
    const raw = [
      'HS4330611122233',
      encodeHexUtf8('Ninh Quốc Bảo'),
      '08/08/2011',
      '1',
      '33 - 010',
      '01/01/2025',
      '31/12/2025',
      '20/12/2024',
      'x',
    ].join('|');
    const { identity, codes } = ok(parse(raw));
    expect('address' in identity).toBe(false);
    expect(identity.bhyt).toStrictEqual({
      cardCode: 'HS4330611122233',
      bhxhNumber: '0611122233',
      groupCode: 'HS',
      benefitLevel: 4,
      provinceCode: '33',
      registeredFacility: '33010',
      validFrom: '2025-01-01',
      validTo: '2025-12-31',
      issuedOn: '2024-12-20',
    });
    expect(codes).toEqual(['VARIANT_UNKNOWN']);
  });
});

describe('BHYT QR — soft validation (warnings)', () => {
  it.each<[string, string, string[]]>([
    [
      'management code does not end with BHXH number',
      bhytOldPayload({ ...oldCard, mgmt: '92049999999999' }),
      ['MANAGEMENT_CODE_MISMATCH'],
    ],
    [
      'management code mismatch on a new card',
      bhytNewPayload({ ...newCard, mgmt: '04010412233446' }),
      ['MANAGEMENT_CODE_MISMATCH'],
    ],
    ['unknown group code', bhytOldPayload({ ...oldCard, code: 'ZZ3920911223344' }), ['UNKNOWN_GROUP_CODE']],
    ['unknown province code 03', bhytOldPayload({ ...oldCard, code: 'CN3030911223344' }), ['UNKNOWN_PROVINCE_CODE']],
    ['province 97 (BQP, UNCERTAIN) accepted silently', bhytOldPayload({ ...oldCard, code: 'QN5970911223344' }), []],
    [
      'odd-length hex name kept raw',
      bhytOldPayload({ ...oldCard, nameRaw: '5468e1baa163' + '6' }),
      ['UNDECODABLE_HEX'],
    ],
    ['invalid UTF-8 hex kept raw', bhytOldPayload({ ...oldCard, nameRaw: 'c328a0a1' }), ['UNDECODABLE_HEX']],
    ['hex with control byte kept raw', bhytOldPayload({ ...oldCard, nameRaw: '41004142' }), ['UNDECODABLE_HEX']],
    [
      'decoded name lost diacritics',
      bhytOldPayload({ ...oldCard, name: 'Th?ch Th? Sa R?nh' }),
      ['NAME_DIACRITICS_LOST'],
    ],
    [
      'plain-text name without diacritics',
      bhytOldPayload({ ...oldCard, nameRaw: 'THACH THI SA RENH' }),
      ['NAME_WITHOUT_DIACRITICS'],
    ],
    [
      'guardian mangled by scanner',
      bhytOldPayload({ ...oldCard, guardian: 'Th?ch V?n T?' }),
      ['GUARDIAN_DIACRITICS_LOST'],
    ],
    [
      'valid-from after valid-to',
      bhytOldPayload({ ...oldCard, from: '01/01/2023', to: '31/12/2022' }),
      ['VALIDITY_RANGE_INVALID'],
    ],
    ['sex 3', bhytOldPayload({ ...oldCard, sex: '3' }), ['UNKNOWN_SEX']],
    ['facility unreadable', bhytOldPayload({ ...oldCard, facility: '9 - 2007X' }), ['BAD_FACILITY_CODE']],
    ['issue date in the future', bhytOldPayload({ ...oldCard, issued: '01/01/2027' }), ['ISSUE_DATE_IN_FUTURE']],
    [
      'level field differs from code level',
      bhytNewPayload({ ...newCard, code: 'CK2040412233445', level: '3' }),
      ['BENEFIT_LEVEL_MISMATCH'],
    ],
    ['name missing', bhytOldPayload({ ...oldCard, nameRaw: '-' }), ['MISSING_NAME']],
  ])('%s', (_label, raw, expected) => {
    expect(ok(parse(raw)).codes).toEqual(expected);
  });

  it('undecodable hex keeps the raw text as the name', () => {
    const { identity } = ok(parse(bhytOldPayload({ ...oldCard, nameRaw: 'c328a0a1' })));
    expect(identity.fullName).toBe('c328a0a1');
  });

  it('management code mismatch keeps the card data', () => {
    const { identity } = ok(parse(bhytOldPayload({ ...oldCard, mgmt: '92049999999999' })));
    expect(identity.bhyt?.bhxhNumber).toBe('0911223344');
  });
});

describe('BHYT QR — rejection', () => {
  it.each<[string, string, string]>([
    ['level digit 6 in the code', bhytOldPayload({ ...oldCard, code: 'CN6920911223344' }), 'BAD_BENEFIT_LEVEL'],
    ['level digit 0 in the code', bhytOldPayload({ ...oldCard, code: 'CN0920911223344' }), 'BAD_BENEFIT_LEVEL'],
    ['new-layout level 7', bhytNewPayload({ ...newCard, level: '7' }), 'BAD_BENEFIT_LEVEL'],
    ['new-layout level "K1"', bhytNewPayload({ ...newCard, level: 'K1' }), 'BAD_BENEFIT_LEVEL'],
    ['30/02 birth date', bhytOldPayload({ ...oldCard, dob: '30/02/1976' }), 'INVALID_DATE'],
    ['birth date "-"', bhytOldPayload({ ...oldCard, dob: '-' }), 'INVALID_DATE'],
    ['year-only with 3 digits', bhytOldPayload({ ...oldCard, dob: '976' }), 'INVALID_DATE'],
    ['valid-from 32/01', bhytOldPayload({ ...oldCard, from: '32/01/2022' }), 'INVALID_DATE'],
    ['valid-to month 00', bhytOldPayload({ ...oldCard, to: '31/00/2022' }), 'INVALID_DATE'],
    ['5-year date impossible', bhytNewPayload({ ...newCard, five: ' 29/02/2027' }), 'INVALID_DATE'],
    ['too few fields before $', 'CN3920911223344|5468|$', 'TRUNCATED'],
    ['no $ and only 5 fields', 'CN3920911223344|5468|17/08/1976|2|-', 'TRUNCATED'],
  ])('%s → %s', (_label, raw, code) => {
    expect(errCode(parse(raw))).toBe(code);
  });
});
