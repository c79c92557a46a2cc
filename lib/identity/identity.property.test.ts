import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, parseIdentity, WARNING_MESSAGES, type Identity, type IdentityResult } from './index';
import { PROVINCES } from './provinces';
import { BHYT_GROUPS } from './bhyt-groups';
import { bhytNewPayload, bhytOldPayload, cccdPayload } from './test-fixtures';

const now = new Date('2026-03-01T03:00:00Z');
const parse = (raw: string) => parseIdentity(raw, { now });

// ---------- invariants every result must satisfy ----------

const KINDS = ['CCCD_QR', 'BHYT_QR', 'PERSONAL_ID', 'CMND', 'BHYT_CODE', 'BHXH_NUMBER'];
const VARIANTS = ['CCCD_2021', 'CAN_CUOC_2024', 'BHYT_OLD', 'BHYT_NEW', 'UNKNOWN'];
const ISO = /^\d{4}(-\d{2}-\d{2})?$/;

function noUndefinedValues(o: object): void {
  for (const [k, v] of Object.entries(o)) expect(v, `key ${k}`).not.toBeUndefined();
}

function assertWellFormed(r: IdentityResult): void {
  expect(r !== null && typeof r === 'object').toBe(true);
  if (r.ok === false) {
    expect(Object.keys(ERROR_MESSAGES)).toContain(r.error.code);
    expect(r.error.code).not.toBe('INTERNAL');
    expect(r.error.message.length).toBeGreaterThan(10);
    return;
  }
  expect(r.ok).toBe(true);
  const id = r.identity;
  expect(KINDS).toContain(id.kind);
  noUndefinedValues(id);
  if (id.variant !== undefined) expect(VARIANTS).toContain(id.variant);
  if (id.personalId !== undefined) expect(id.personalId).toMatch(/^\d{12}$/);
  if (id.oldIdNumber !== undefined) expect(id.oldIdNumber).toMatch(/^\d{9}$/);
  if (id.dateOfBirth !== undefined) expect(id.dateOfBirth).toMatch(ISO);
  if (id.issuedOn !== undefined) expect(id.issuedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  if (id.sex !== undefined) expect(['M', 'F']).toContain(id.sex);
  if (id.fullName !== undefined) expect(id.fullName).toBe(id.fullName.normalize('NFC'));
  if (id.address !== undefined) expect(id.address).toBe(id.address.normalize('NFC'));
  if (id.bhyt) {
    const b = id.bhyt;
    noUndefinedValues(b);
    if (b.cardCode !== undefined) expect(b.cardCode).toMatch(/^[A-Z]{2}[1-5]\d{12}$/);
    if (b.bhxhNumber !== undefined) expect(b.bhxhNumber).toMatch(/^\d{10}$/);
    if (b.benefitLevel !== undefined) expect([1, 2, 3, 4, 5]).toContain(b.benefitLevel);
    if (b.registeredFacility !== undefined) expect(b.registeredFacility).toMatch(/^\d{2}[0-9A-Z]{3}$/);
    for (const d of [b.validFrom, b.issuedOn]) if (d !== undefined) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const d of [b.validTo, b.fiveYearsFrom])
      if (d !== undefined && d !== null) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }
  for (const w of r.warnings) {
    expect(Object.keys(WARNING_MESSAGES)).toContain(w.code);
    expect(w.message.length).toBeGreaterThan(10);
  }
}

// ---------- generators of synthetic people and payloads ----------

const FAMILY = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Lương',
  'Quách',
  'Mạc',
  'Thạch',
  'Kiều',
  'Ưng',
  'Chu',
  'La',
];
const MIDDLE = ['Văn', 'Thị', 'Đức', 'Ngọc', 'Minh', 'Thu', 'Hữu', 'Gia', 'Bảo', 'Thanh', 'Quốc', 'Mỹ', 'Khánh'];
const GIVEN = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Đạt',
  'Giang',
  'Hà',
  'Khoa',
  'Lan',
  'Mai',
  'Nhung',
  'Oanh',
  'Phúc',
  'Quyên',
  'Sơn',
  'Tâm',
  'Uyên',
  'Việt',
  'Xuân',
  'Yến',
  'Ánh',
  'Hưng',
  'Ly',
];
const PLACES = [
  'Số 5 Ngõ 12',
  'Thôn Đông',
  'Ấp 3',
  'Xóm Bãi',
  'Tổ 9, Khu phố 2',
  'Phường Bến Thành',
  'Xã Tân Hưng',
  'Quận 7',
  'Huyện Củ Chi',
  'Tỉnh Lâm Đồng',
  'Thành phố Hà Nội',
  'Phường 4',
];

const nameArb = fc
  .tuple(
    fc.constantFrom(...FAMILY),
    fc.array(fc.constantFrom(...MIDDLE), { minLength: 0, maxLength: 2 }),
    fc.constantFrom(...GIVEN),
    fc.boolean(),
  )
  .map(([f, m, g, upper]) => {
    const n = [f, ...m, g].join(' ');
    return upper ? n.toUpperCase() : n;
  });
const addressArb = fc.array(fc.constantFrom(...PLACES), { minLength: 1, maxLength: 4 }).map((p) => p.join(', '));

type Ymd = { y: number; m: number; d: number };
const dateArb = (minY: number, maxIso: string) =>
  fc
    .date({ min: new Date(Date.UTC(minY, 0, 1)), max: new Date(maxIso + 'T00:00:00Z'), noInvalidDate: true })
    .map((t): Ymd => ({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() }));
const p2 = (n: number) => String(n).padStart(2, '0');
const iso = (x: Ymd) => `${x.y}-${p2(x.m)}-${p2(x.d)}`;
const compact = (x: Ymd) => `${p2(x.d)}${p2(x.m)}${x.y}`;
const slashed = (x: Ymd) => `${p2(x.d)}/${p2(x.m)}/${x.y}`;
const later = (a: Ymd, b: Ymd) => (iso(a) <= iso(b) ? [a, b] : [b, a]) as [Ymd, Ymd];
const digitsArb = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));

/** Personal ID consistent with birth year and sex (spec §2.1). */
function personalIdFor(prefix: string, y: number, sex: 'M' | 'F', tail: string): string {
  const g = Math.floor((y - 1900) / 100) * 2 + (sex === 'F' ? 1 : 0);
  return `${prefix}${g}${p2(y % 100)}${tail}`;
}

const prefixArb = fc.oneof(
  fc.constantFrom(...PROVINCES.map((p) => p.idCode)),
  fc.integer({ min: 101, max: 295 }).map(String),
);

const sexTextArb = (sex: 'M' | 'F') =>
  sex === 'M'
    ? fc.constantFrom('Nam', 'NAM', 'nam')
    : fc.constantFrom('Nữ', 'NỮ', 'nữ', 'Nu', 'NU', 'Nữ'.normalize('NFD'));

const cccdArb = fc
  .record({
    prefix: prefixArb,
    sex: fc.constantFrom<'M' | 'F'>('M', 'F'),
    tail: digitsArb(6),
    cmnd: fc.option(digitsArb(9), { nil: undefined }),
    name: nameArb,
    address: addressArb,
    dob: dateArb(1902, '2026-02-27'),
    issued: dateArb(1902, '2026-03-01'),
    slashes: fc.boolean(),
    layout: fc.constantFrom<'2021' | '2024'>('2021', '2024'),
    trailer: fc.constantFrom('', '\r\n', '\n', '\r', '\u0000', '  '),
  })
  .chain((r) => sexTextArb(r.sex).map((sexText) => ({ ...r, sexText })));

const provinceArb = fc.constantFrom(...PROVINCES.map((p) => p.code), '97', '98');
const dashArb = fc.constantFrom(' - ', ' – ', '-', '–');
const hex3Arb = fc.stringMatching(/^[0-9A-Z]{3}$/);

const bhytCommonArb = fc.record({
  name: nameArb,
  sex: fc.constantFrom<'M' | 'F'>('M', 'F'),
  dob: dateArb(1902, '2026-02-27'),
  yearOnly: fc.boolean(),
  address: fc.option(addressArb, { nil: undefined }),
  facProvince: provinceArb,
  facNo: hex3Arb,
  dash: dashArb,
  d1: dateArb(2015, '2026-12-31'),
  d2: dateArb(2015, '2026-12-31'),
  noEnd: fc.boolean(),
  issued: dateArb(2015, '2026-03-01'),
  office: digitsArb(4),
  guardian: fc.option(nameArb, { nil: undefined }),
  five: fc.option(dateArb(2010, '2035-12-31'), { nil: undefined }),
  fiveLead: fc.constantFrom('', ' ', '  '),
  terminator: fc.boolean(),
  trailer: fc.constantFrom('', '\r\n', '\n'),
  lowerCode: fc.boolean(),
});

type BhytCommon = typeof bhytCommonArb extends fc.Arbitrary<infer T> ? T : never;

function expectedCommon(
  c: BhytCommon,
  bhxh: string,
): { identity: Identity; fixture: Omit<Parameters<typeof bhytOldPayload>[0], 'code'> } {
  const [from, to] = later(c.d1, c.d2);
  // Keep the issue date after the birth date so no ISSUE_BEFORE_BIRTH warning is expected.
  const issued = iso(c.issued) < iso(c.dob) ? c.dob : c.issued;
  const identity: Identity = {
    kind: 'BHYT_QR',
    fullName: c.name,
    dateOfBirth: c.yearOnly ? String(c.dob.y) : iso(c.dob),
    sex: c.sex,
    bhyt: {
      bhxhNumber: bhxh,
      registeredFacility: c.facProvince + c.facNo,
      validFrom: iso(from),
      validTo: c.noEnd ? null : iso(to),
      issuedOn: iso(issued),
      fiveYearsFrom: c.five ? iso(c.five) : null,
    },
  };
  if (c.address !== undefined) identity.address = c.address;
  if (c.guardian !== undefined) identity.bhyt!.guardianName = c.guardian;
  return {
    identity,
    fixture: {
      name: c.name,
      dob: c.yearOnly ? String(c.dob.y) : slashed(c.dob),
      sex: c.sex === 'M' ? '1' : '2',
      address: c.address,
      facility: c.facProvince + c.dash + c.facNo,
      from: slashed(from),
      to: c.noEnd ? '-' : slashed(to),
      issued: slashed(issued),
      mgmt: c.office + bhxh,
      guardian: c.guardian,
      five: c.five ? c.fiveLead + slashed(c.five) : '-',
      terminator: c.terminator,
    },
  };
}

const nameWarning = (name: string) =>
  [...name].some((ch) => ch.charCodeAt(0) > 0x7f) ? [] : ['NAME_WITHOUT_DIACRITICS'];

// ---------- round-trip properties ----------

describe('round-trip: generated valid payloads parse back to their fields', () => {
  it('CCCD 2021 / Căn cước 2024', () => {
    fc.assert(
      fc.property(cccdArb, (r) => {
        const [dob, issued] = later(r.dob, r.issued);
        const personalId = personalIdFor(r.prefix, dob.y, r.sex, r.tail);
        const raw =
          cccdPayload({
            id: personalId,
            cmnd: r.cmnd,
            name: r.name,
            dob: r.slashes ? slashed(dob) : compact(dob),
            sex: r.sexText,
            address: r.address,
            issued: r.slashes ? slashed(issued) : compact(issued),
            layout: r.layout,
          }) + r.trailer;
        const expected: Identity = {
          kind: 'CCCD_QR',
          variant: r.layout === '2021' ? 'CCCD_2021' : 'CAN_CUOC_2024',
          personalId,
          fullName: r.name,
          dateOfBirth: iso(dob),
          sex: r.sex,
          address: r.address,
          issuedOn: iso(issued),
        };
        if (r.cmnd !== undefined) expected.oldIdNumber = r.cmnd;
        const res = parse(raw);
        assertWellFormed(res);
        expect(res.ok).toBe(true);
        if (!res.ok) return;
        expect(res.identity).toStrictEqual(expected);
        expect(res.warnings.map((w) => w.code)).toEqual(nameWarning(r.name));
      }),
      { numRuns: 300 },
    );
  });

  it('BHYT QR, old layout (15-character code)', () => {
    fc.assert(
      fc.property(
        bhytCommonArb,
        fc.constantFrom(...BHYT_GROUPS.map((g) => g.code)),
        fc.integer({ min: 1, max: 5 }),
        provinceArb,
        digitsArb(10),
        (c, group, level, province, bhxh) => {
          const code = `${group}${level}${province}${bhxh}`;
          const { identity, fixture } = expectedCommon(c, bhxh);
          const raw = bhytOldPayload({ ...fixture, code: c.lowerCode ? code.toLowerCase() : code }) + c.trailer;
          identity.variant = 'BHYT_OLD';
          identity.bhyt = {
            cardCode: code,
            groupCode: group,
            benefitLevel: level as 1,
            provinceCode: province,
            ...identity.bhyt,
          };
          const res = parse(raw);
          assertWellFormed(res);
          expect(res.ok).toBe(true);
          if (!res.ok) return;
          expect(res.identity).toStrictEqual(identity);
          expect(res.warnings.map((w) => w.code)).toEqual(nameWarning(c.name));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('BHYT QR, new layout (10-digit number, level field, issue place)', () => {
    fc.assert(
      fc.property(
        bhytCommonArb,
        digitsArb(10),
        fc.integer({ min: 1, max: 5 }),
        fc.option(addressArb, { nil: undefined }),
        (c, bhxh, level, issuePlace) => {
          const { identity, fixture } = expectedCommon(c, bhxh);
          const raw = bhytNewPayload({ ...fixture, code: bhxh, level: String(level), issuePlace }) + c.trailer;
          identity.variant = 'BHYT_NEW';
          identity.bhyt!.benefitLevel = level as 1;
          if (issuePlace !== undefined) identity.bhyt!.issuePlace = issuePlace;
          const res = parse(raw);
          assertWellFormed(res);
          expect(res.ok).toBe(true);
          if (!res.ok) return;
          expect(res.identity).toStrictEqual(identity);
          expect(res.warnings.map((w) => w.code)).toEqual(nameWarning(c.name));
        },
      ),
      { numRuns: 300 },
    );
  });

  const sepArb = fc.constantFrom('', ' ', '  ', '.', '-');
  const withSeparators = (s: string, cuts: number[], sep: string) => {
    let out = '';
    for (let i = 0; i < s.length; i++) out += (cuts.includes(i) && i > 0 ? sep : '') + s[i];
    return out;
  };
  const cutsArb = fc.array(fc.integer({ min: 1, max: 14 }), { maxLength: 4 });

  it('typed numbers: personal ID, CMND, BHXH number, 15-character code', () => {
    fc.assert(
      fc.property(
        prefixArb,
        fc.constantFrom<'M' | 'F'>('M', 'F'),
        dateArb(1902, '2026-02-27'),
        digitsArb(6),
        digitsArb(9),
        digitsArb(10),
        fc.constantFrom(...BHYT_GROUPS.map((g) => g.code)),
        fc.integer({ min: 1, max: 5 }),
        provinceArb,
        cutsArb,
        sepArb,
        fc.boolean(),
        (prefix, sex, dob, tail, cmnd, bhxh, group, level, province, cuts, sep, lower) => {
          const pid = personalIdFor(prefix, dob.y, sex, tail);
          const code = `${group}${level}${province}${bhxh}`;
          const cases: [string, Identity][] = [
            [withSeparators(pid, cuts, sep === '' ? ' ' : sep), { kind: 'PERSONAL_ID', personalId: pid }],
            [withSeparators(cmnd, cuts, sep), { kind: 'CMND', oldIdNumber: cmnd }],
            [withSeparators(bhxh, cuts, sep), { kind: 'BHXH_NUMBER', bhyt: { bhxhNumber: bhxh } }],
            [
              withSeparators(lower ? code.toLowerCase() : code, cuts, sep),
              {
                kind: 'BHYT_CODE',
                bhyt: {
                  cardCode: code,
                  bhxhNumber: bhxh,
                  groupCode: group,
                  benefitLevel: level as 1,
                  provinceCode: province,
                },
              },
            ],
          ];
          for (const [raw, expected] of cases) {
            const res = parse(raw);
            assertWellFormed(res);
            expect(res.ok, raw).toBe(true);
            if (!res.ok) return;
            expect(res.identity).toStrictEqual(expected);
            expect(res.warnings).toEqual([]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('personal ID cross-check: a flipped sex digit is always reported, never rejected', () => {
    fc.assert(
      fc.property(cccdArb, (r) => {
        const [dob, issued] = later(r.dob, r.issued);
        const pid = personalIdFor(r.prefix, dob.y, r.sex === 'M' ? 'F' : 'M', r.tail);
        const raw = cccdPayload({
          id: pid,
          name: r.name,
          dob: compact(dob),
          sex: r.sexText,
          address: r.address,
          issued: compact(issued),
        });
        const res = parse(raw);
        expect(res.ok).toBe(true);
        if (res.ok) expect(res.warnings.map((w) => w.code)).toContain('ID_SEX_MISMATCH');
      }),
      { numRuns: 100 },
    );
  });
});

// ---------- never-throw properties ----------

const alphabet = fc.constantFrom(
  '0',
  '1',
  '2',
  '7',
  '9',
  '|',
  '|',
  '$',
  '/',
  '-',
  '–',
  ' ',
  'a',
  'e',
  'f',
  'E',
  'D',
  'N',
  'Nữ',
  'Nam',
  '?',
  '*',
  '\r',
  '\n',
  '\u0000',
  '\t',
  '｜',
  '０',
  '٣',
  'ữ',
  'Đ',
  '\ud800',
  '😀',
  '4e',
  'c3',
  'a0',
);
const relevantStringArb = fc.array(alphabet, { maxLength: 400 }).map((a) => a.join(''));

const validPayloadArb = fc.oneof(
  cccdArb.map((r) =>
    cccdPayload({
      id: personalIdFor(r.prefix, r.dob.y, r.sex, r.tail),
      cmnd: r.cmnd,
      name: r.name,
      dob: compact(r.dob),
      sex: r.sexText,
      address: r.address,
      issued: compact(r.issued),
      layout: r.layout,
    }),
  ),
  bhytCommonArb.chain((c) =>
    digitsArb(10).map((bhxh) => bhytNewPayload({ ...expectedCommon(c, bhxh).fixture, code: bhxh, level: '3' })),
  ),
  bhytCommonArb.chain((c) =>
    digitsArb(10).map((bhxh) => bhytOldPayload({ ...expectedCommon(c, bhxh).fixture, code: 'DN4' + '79' + bhxh })),
  ),
);

type Mutation = (s: string) => string;
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 30 })).map(
    ([at, len]): Mutation =>
      (s) =>
        s.slice(0, at % (s.length + 1)) + s.slice((at % (s.length + 1)) + len),
  ),
  fc.tuple(fc.nat(), relevantStringArb).map(([at, ins]): Mutation => (s) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + ins + s.slice(i);
  }),
  fc.nat().map(
    (at): Mutation =>
      (s) =>
        s.slice(0, at % (s.length + 1)),
  ),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (s) => {
    const p = s.split('|');
    const i = a % p.length;
    const j = b % p.length;
    [p[i], p[j]] = [p[j] ?? '', p[i] ?? ''];
    return p.join('|');
  }),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 60 })).map(([a, n]): Mutation => (s) => {
    const p = s.split('|');
    const i = a % p.length;
    p.splice(i, 0, ...Array<string>(n).fill(p[i] ?? ''));
    return p.join('|');
  }),
  fc
    .tuple(fc.nat(), fc.constantFrom('', '-', '$', ' ', '00/00/0000', '31/02/2020', 'zz', '6', 'Nữ'))
    .map(([a, v]): Mutation => (s) => {
      const p = s.split('|');
      p[a % p.length] = v;
      return p.join('|');
    }),
  fc.constant<Mutation>((s) => s.toUpperCase()),
  fc.constant<Mutation>((s) => s.normalize('NFD')),
  fc.constant<Mutation>((s) => s.repeat(3)),
);

describe('never throws: random and mutated payloads always give one of the two shapes', () => {
  it('arbitrary Unicode strings (incl. lone surrogates)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 600 }), (s) => assertWellFormed(parse(s))),
      { numRuns: 300 },
    );
  });

  it('strings over the relevant alphabet (pipes, digits, dates, hex, dashes)', () => {
    fc.assert(
      fc.property(relevantStringArb, (s) => assertWellFormed(parse(s))),
      { numRuns: 1000 },
    );
  });

  it('long strings near and over the 4 KB limit', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { minLength: 1000, maxLength: 4200 }).map((a) => a.join('')),
        (s) => {
          const r = parse(s);
          assertWellFormed(r);
          if (new TextEncoder().encode(s).length > 4096) expect(r.ok === false && r.error.code).toBe('TOO_LONG');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('valid payloads with 1–4 random mutations', () => {
    fc.assert(
      fc.property(validPayloadArb, fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (payload, muts) => {
        let s = payload;
        for (const m of muts) s = m(s);
        assertWellFormed(parse(s));
      }),
      { numRuns: 1000 },
    );
  });

  it('is deterministic for a fixed "now"', () => {
    fc.assert(
      fc.property(validPayloadArb, (s) => {
        expect(parse(s)).toStrictEqual(parse(s));
      }),
      { numRuns: 100 },
    );
  });
});
