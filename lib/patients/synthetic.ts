import type pg from 'pg';
import { normalizeVietnameseName } from '../identity/normalize';
import { cccdPayload } from '../identity/test-fixtures';

/**
 * Bulk synthetic patients for benchmarks and demos: made-up Vietnamese names, birth dates, a 12-digit personal
 * ID consistent with sex and birth year (province + century/sex digit + year + 6 random digits), and for most
 * a BHYT card code with its 10-digit BHXH number. Rows are generated inside PostgreSQL (INSERT … SELECT over
 * generate_series), so a million takes a minute or two rather than hours of round trips.
 */
/** Synthetic surnames (also the import's test files, lib/patients/import/test-files.ts). */
export const SURNAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
  'Chế',
  'Đàng',
  'Thông',
  'Trượng',
];
const MIDDLE_M = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thanh', 'Công', 'Xuân', 'Ngọc', 'Trọng'];
const MIDDLE_F = ['Thị', 'Ngọc', 'Thu', 'Kim', 'Thanh', 'Minh', 'Phương', 'Mỹ', 'Hồng', 'Bích'];
const GIVEN_M = [
  'An',
  'Bình',
  'Dũng',
  'Hải',
  'Hùng',
  'Khánh',
  'Long',
  'Nam',
  'Phúc',
  'Quân',
  'Sơn',
  'Thắng',
  'Trung',
  'Tuấn',
  'Việt',
  'Đạt',
  'Hiếu',
  'Lộc',
  'Tài',
  'Vinh',
];
const GIVEN_F = [
  'Anh',
  'Châu',
  'Giang',
  'Hà',
  'Hạnh',
  'Hương',
  'Lan',
  'Linh',
  'Mai',
  'Nga',
  'Ngân',
  'Phương',
  'Tâm',
  'Thảo',
  'Trang',
  'Vy',
  'Yến',
  'Hoa',
  'Nhung',
  'Oanh',
];
/** Province codes of synthetic personal IDs (also the import's test files). */
export const PROVINCES = [
  '001',
  '031',
  '048',
  '056',
  '058',
  '060',
  '064',
  '068',
  '075',
  '079',
  '082',
  '092',
  '095',
  '036',
  '038',
];
const STREETS = [
  'Thống Nhất',
  'Lê Duẩn',
  '16 Tháng 4',
  'Ngô Gia Tự',
  'Trần Phú',
  'Nguyễn Văn Cừ',
  'Yên Ninh',
  'Hải Thượng Lãn Ông',
];
const WARDS = [
  'Phường Phủ Hà, Tỉnh Khánh Hòa',
  'Phường Đô Vinh, Tỉnh Khánh Hòa',
  'Xã Ninh Phước, Tỉnh Khánh Hòa',
  'Phường Bảo An, Tỉnh Khánh Hòa',
];
const GROUPS = ['GD', 'HT', 'TE', 'HN', 'DN', 'HS', 'CN', 'BT'];

export type SeedProgress = (done: number, total: number) => void;

/**
 * Adds `total` patients, then ANALYZEs what it filled: without fresh statistics (autovacuum may be off, or not
 * yet round) the planner would still see the tables as they were before the load and pick bad plans.
 */
export async function seedSyntheticPatients(
  pool: pg.Pool,
  total: number,
  onProgress?: SeedProgress,
  batchSize = 50_000,
): Promise<number> {
  let created = 0;
  while (created < total) {
    const n = Math.min(batchSize, total - created);
    created += await insertBatch(pool, n);
    onProgress?.(created, total);
  }
  if (total > 0) await pool.query('ANALYZE "Patient", "PatientIdentifier", "PatientNameWord"');
  return created;
}

async function insertBatch(pool: pg.Pool, n: number): Promise<number> {
  const names = (list: string[]) => [list, list.map(normalizeVietnameseName)];
  const [sur, surN] = names(SURNAMES);
  const [midM, midMN] = names(MIDDLE_M);
  const [midF, midFN] = names(MIDDLE_F);
  const [givM, givMN] = names(GIVEN_M);
  const [givF, givFN] = names(GIVEN_F);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      'CREATE TEMP TABLE seed_batch ON COMMIT DROP AS ' +
        `
      SELECT gen_random_uuid() AS id, f, si, mi, gi, yr, mo, dy,
             (ARRAY[${PROVINCES.map((p) => `'${p}'`).join(',')}])[1 + floor(random() * ${PROVINCES.length})::int] AS prov,
             lpad(floor(random() * 1000000)::int::text, 6, '0') AS tail,
             lpad(floor(random() * 10000000000)::bigint::text, 10, '0') AS bhxh,
             random() < 0.65 AS insured
      FROM (SELECT g, random() < 0.5 AS f,
                   1 + floor(random() * ${SURNAMES.length})::int AS si,
                   1 + floor(random() * 10)::int AS mi,
                   1 + floor(random() * 20)::int AS gi,
                   1935 + floor(random() * 90)::int AS yr,
                   1 + floor(random() * 12)::int AS mo,
                   1 + floor(random() * 28)::int AS dy
            FROM generate_series(1, $1::int) g) x`,
      [n],
    );
    await client.query(
      `
      INSERT INTO "Patient" (id, "fullName", "normalizedName", "birthDate", "birthYear", sex, address, "updatedAt")
      SELECT id,
        ($1::text[])[si] || ' ' || (CASE WHEN f THEN ($4::text[])[mi] ELSE ($2::text[])[mi] END) || ' ' || (CASE WHEN f THEN ($8::text[])[gi] ELSE ($6::text[])[gi] END),
        ($9::text[])[si] || ' ' || (CASE WHEN f THEN ($5::text[])[mi] ELSE ($3::text[])[mi] END) || ' ' || (CASE WHEN f THEN ($10::text[])[gi] ELSE ($7::text[])[gi] END),
        yr::text || '-' || lpad(mo::text, 2, '0') || '-' || lpad(dy::text, 2, '0'), yr,
        (CASE WHEN f THEN 'F' ELSE 'M' END)::"Sex",
        (1 + (random() * 200)::int)::text || ' ' || ($11::text[])[1 + floor(random() * ${STREETS.length})::int] || ', ' || ($12::text[])[1 + floor(random() * ${WARDS.length})::int],
        now()
      FROM seed_batch`,
      [sur, midM, midMN, midF, midFN, givM, givMN, givF, surN, givFN, STREETS, WARDS],
    );
    // Century/sex digit per the personal ID rules: 0/1 for 1900s male/female, 2/3 for 2000s.
    const personal = await client.query(`
      INSERT INTO "PatientIdentifier" ("patientId", system, value)
      SELECT id, 'PERSONAL_ID', prov || ((CASE WHEN yr >= 2000 THEN 2 ELSE 0 END) + (CASE WHEN f THEN 1 ELSE 0 END))::text
             || lpad((yr % 100)::text, 2, '0') || tail
      FROM seed_batch ON CONFLICT DO NOTHING RETURNING "patientId"`);
    await client.query(
      `
      INSERT INTO "PatientIdentifier" ("patientId", system, value)
      SELECT id, v.system::"IdentifierSystem", v.value FROM seed_batch
      CROSS JOIN LATERAL (VALUES ('BHXH_NUMBER', bhxh),
        ('BHYT_CARD', ($1::text[])[1 + floor(random() * ${GROUPS.length})::int] || (1 + floor(random() * 4))::int::text || substr(prov, 2, 2) || bhxh)) v(system, value)
      WHERE insured ON CONFLICT DO NOTHING`,
      [GROUPS],
    );
    // The rare random personal-ID collision: drop that patient rather than keep one without an ID.
    await client.query(`
      DELETE FROM "PatientIdentifier" WHERE "patientId" IN (SELECT id FROM seed_batch b WHERE NOT EXISTS
        (SELECT 1 FROM "PatientIdentifier" i WHERE i."patientId" = b.id AND i.system = 'PERSONAL_ID'))`);
    await client.query(`
      DELETE FROM "Patient" WHERE id IN (SELECT id FROM seed_batch b WHERE NOT EXISTS
        (SELECT 1 FROM "PatientIdentifier" i WHERE i."patientId" = b.id AND i.system = 'PERSONAL_ID'))`);
    await client.query('COMMIT');
    return personal.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * The n-th new patient of a benchmark or load test, as the desk sends it: a CCCD QR never seen before with the
 * new-patient form (as after "not found"). Personal IDs are `prefix` (a 3-digit province the seed does not use) +
 * century/sex + year + 6 digits: distinct for n below 70,000,000.
 */
export function syntheticNewPatientCheckin(
  n: number,
  prefix: string,
): {
  personalId: string;
  raw: string;
  newPatient: { fullName: string; dateOfBirth: string; sex: 'F' | 'M'; address: string };
} {
  const female = n % 2 === 1;
  const year = 1930 + (n % 70);
  const personalId = `${prefix}${female ? 1 : 0}${String(year % 100).padStart(2, '0')}${String(Math.floor(n / 70) % 1_000_000).padStart(6, '0')}`;
  const month = String(1 + (n % 12)).padStart(2, '0');
  const day = String(1 + (n % 28)).padStart(2, '0');
  const fullName = `${SURNAMES[n % SURNAMES.length]} ${(female ? MIDDLE_F : MIDDLE_M)[(n >> 3) % 10]} ${(female ? GIVEN_F : GIVEN_M)[(n >> 5) % 20]}`;
  const address = `${1 + (n % 200)} ${STREETS[n % STREETS.length]}, ${WARDS[(n >> 2) % WARDS.length]}`;
  const raw = cccdPayload({
    id: personalId,
    name: fullName,
    dob: `${day}${month}${year}`,
    sex: female ? 'Nữ' : 'Nam',
    address,
    issued: '01012024',
  });
  return {
    personalId,
    raw,
    newPatient: { fullName, dateOfBirth: `${year}-${month}-${day}`, sex: female ? 'F' : 'M', address },
  };
}
