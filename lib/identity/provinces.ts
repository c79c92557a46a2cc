/**
 * Province codes (spec §2.2): the 63 pre-July-2025 provinces. The 2-digit administrative code is used
 * in BHYT card codes (positions 4–5) and facility codes; the personal-ID prefix is '0' + that code.
 * The 2025 merger (63 → 34) does not change existing numbers.
 *
 * UNCERTAIN (spec §2.2): which code new IDs get for births registered after 1 Jul 2025 in merged
 * provinces — a third-party list says the name-giving province keeps its code. We therefore only ever
 * WARN on codes outside this table, never reject.
 */

export type Province = {
  /** 2-digit code used in BHYT codes and facility codes, e.g. '79'. */
  code: string;
  /** 3-digit code used as personal-ID prefix, e.g. '079'. */
  idCode: string;
  /** Name before the July-2025 merger. */
  name: string;
  /** Province it belongs to after the 2025 merger (press / third-party list, spec [S30][S32]). */
  mergedInto: string;
};

const TABLE: ReadonlyArray<readonly [string, string, string]> = [
  ['01', 'Hà Nội', 'Hà Nội'],
  ['02', 'Hà Giang', 'Tuyên Quang'],
  ['04', 'Cao Bằng', 'Cao Bằng'],
  ['06', 'Bắc Kạn', 'Thái Nguyên'],
  ['08', 'Tuyên Quang', 'Tuyên Quang'],
  ['10', 'Lào Cai', 'Lào Cai'],
  ['11', 'Điện Biên', 'Điện Biên'],
  ['12', 'Lai Châu', 'Lai Châu'],
  ['14', 'Sơn La', 'Sơn La'],
  ['15', 'Yên Bái', 'Lào Cai'],
  ['17', 'Hòa Bình', 'Phú Thọ'],
  ['19', 'Thái Nguyên', 'Thái Nguyên'],
  ['20', 'Lạng Sơn', 'Lạng Sơn'],
  ['22', 'Quảng Ninh', 'Quảng Ninh'],
  ['24', 'Bắc Giang', 'Bắc Ninh'],
  ['25', 'Phú Thọ', 'Phú Thọ'],
  ['26', 'Vĩnh Phúc', 'Phú Thọ'],
  ['27', 'Bắc Ninh', 'Bắc Ninh'],
  ['30', 'Hải Dương', 'Hải Phòng'],
  ['31', 'Hải Phòng', 'Hải Phòng'],
  ['33', 'Hưng Yên', 'Hưng Yên'],
  ['34', 'Thái Bình', 'Hưng Yên'],
  ['35', 'Hà Nam', 'Ninh Bình'],
  ['36', 'Nam Định', 'Ninh Bình'],
  ['37', 'Ninh Bình', 'Ninh Bình'],
  ['38', 'Thanh Hóa', 'Thanh Hóa'],
  ['40', 'Nghệ An', 'Nghệ An'],
  ['42', 'Hà Tĩnh', 'Hà Tĩnh'],
  ['44', 'Quảng Bình', 'Quảng Trị'],
  ['45', 'Quảng Trị', 'Quảng Trị'],
  ['46', 'Thừa Thiên Huế', 'Huế'],
  ['48', 'Đà Nẵng', 'Đà Nẵng'],
  ['49', 'Quảng Nam', 'Đà Nẵng'],
  ['51', 'Quảng Ngãi', 'Quảng Ngãi'],
  ['52', 'Bình Định', 'Gia Lai'],
  ['54', 'Phú Yên', 'Đắk Lắk'],
  ['56', 'Khánh Hòa', 'Khánh Hòa'],
  ['58', 'Ninh Thuận', 'Khánh Hòa'],
  ['60', 'Bình Thuận', 'Lâm Đồng'],
  ['62', 'Kon Tum', 'Quảng Ngãi'],
  ['64', 'Gia Lai', 'Gia Lai'],
  ['66', 'Đắk Lắk', 'Đắk Lắk'],
  ['67', 'Đắk Nông', 'Lâm Đồng'],
  ['68', 'Lâm Đồng', 'Lâm Đồng'],
  ['70', 'Bình Phước', 'Đồng Nai'],
  ['72', 'Tây Ninh', 'Tây Ninh'],
  ['74', 'Bình Dương', 'TP. Hồ Chí Minh'],
  ['75', 'Đồng Nai', 'Đồng Nai'],
  ['77', 'Bà Rịa – Vũng Tàu', 'TP. Hồ Chí Minh'],
  ['79', 'TP. Hồ Chí Minh', 'TP. Hồ Chí Minh'],
  ['80', 'Long An', 'Tây Ninh'],
  ['82', 'Tiền Giang', 'Đồng Tháp'],
  ['83', 'Bến Tre', 'Vĩnh Long'],
  ['84', 'Trà Vinh', 'Vĩnh Long'],
  ['86', 'Vĩnh Long', 'Vĩnh Long'],
  ['87', 'Đồng Tháp', 'Đồng Tháp'],
  ['89', 'An Giang', 'An Giang'],
  ['91', 'Kiên Giang', 'An Giang'],
  ['92', 'Cần Thơ', 'Cần Thơ'],
  ['93', 'Hậu Giang', 'Cần Thơ'],
  ['94', 'Sóc Trăng', 'Cần Thơ'],
  ['95', 'Bạc Liêu', 'Cà Mau'],
  ['96', 'Cà Mau', 'Cà Mau'],
];

export const PROVINCES: readonly Province[] = Object.freeze(
  TABLE.map(([code, name, mergedInto]) => Object.freeze({ code, idCode: '0' + code, name, mergedInto })),
);

const BY_CODE = new Map<string, Province>(PROVINCES.map((p) => [p.code, p]));

/**
 * BHYT province codes of BHXH Bộ Quốc phòng / Bộ Công an. UNCERTAIN (spec §3.2: recalled from practice,
 * no retrievable source) — accepted without warning in BHYT codes, never in personal IDs.
 */
export const BHYT_SPECIAL_PROVINCE_CODES: readonly string[] = ['97', '98'];

/** Look up a province by its 2-digit ('79') or 3-digit personal-ID ('079') code. */
export function lookupProvince(code: string): Province | undefined {
  const c = code.trim();
  if (c.length === 3 && c.charCodeAt(0) === 0x30) return BY_CODE.get(c.slice(1));
  if (c.length === 2) return BY_CODE.get(c);
  return undefined;
}

/**
 * Personal-ID prefixes 101–295 are country codes (TT 07/2016 Phụ lục 2) for citizens whose birth was
 * registered abroad (e.g. 175 = USA). Informational only.
 */
export function isForeignRegistrationCode(idPrefix: string): boolean {
  if (idPrefix.length !== 3) return false;
  const n = Number(idPrefix);
  return Number.isInteger(n) && n >= 101 && n <= 295;
}

/** True if a personal-ID prefix (3 digits) is a known province or a foreign-registration country code. */
export function isKnownIdPrefix(idPrefix: string): boolean {
  return lookupProvince(idPrefix) !== undefined || isForeignRegistrationCode(idPrefix);
}

/** True if a 2-digit BHYT province code is known (63 provinces, or 97/98). */
export function isKnownBhytProvinceCode(code: string): boolean {
  return BY_CODE.has(code) || BHYT_SPECIAL_PROVINCE_CODES.includes(code);
}
