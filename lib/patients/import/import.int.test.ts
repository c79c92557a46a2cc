import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomInt } from 'node:crypto';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import ExcelJS from 'exceljs';
import { testDb, testFacility } from '../../db/test-helpers';
import type { Principal } from '../../auth/roles';
import { normalizeVietnameseName } from '../../identity';
import { Interrupted, runImport, type ImportOptions } from './run';
import { importCounts } from './counts';
import { writeConflicts, writeReport } from './report';
import {
  csvText,
  encodeCp1258,
  personRow,
  syntheticPerson,
  VN_HEADERS,
  writeXlsxFile,
  type SyntheticPerson,
} from './test-files';

/**
 * Imports of synthetic HIS exports into a real PostgreSQL: every count of the report, the report's rows, re-runs,
 * dry runs, interruptions. Each test uses people of its own (a salt), so tests do not see each other's rows.
 */
const db = testDb();
const pool = new pg.Pool({ connectionString: inject('databaseUrl'), max: 4 });
let dir: string;
let facility: { id: string; code: string };
let admin: Principal;
const salt = () => randomInt(1, 2000);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'import-test-'));
  facility = await testFacility(db);
  admin = {
    kind: 'USER',
    id: '00000000-0000-4000-8000-0000000000a1',
    name: 'quantri',
    role: 'ADMIN',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await pool.end();
  await db.$disconnect();
});

const options = (file: string, extra: Partial<ImportOptions> = {}): ImportOptions => ({
  facilityId: facility.id,
  path: file,
  fileName: path.basename(file),
  actor: admin,
  ...extra,
});

const counts = importCounts;

/** Patients, identifiers and BHYT coverages in the whole database: what an import may change. */
async function snapshot() {
  const [p, i, c, a] = await Promise.all([
    db.patient.count(),
    db.patientIdentifier.count(),
    db.coverage.count(),
    db.auditEvent.count({ where: { action: { in: ['PATIENT_IMPORTED', 'PATIENT_IMPORT_ENRICHED'] } } }),
  ]);
  return { patients: p, identifiers: i, coverages: c, audits: a };
}

async function existing(
  p: SyntheticPerson,
  ids: { system: 'PERSONAL_ID' | 'HOSPITAL_CODE' | 'BHYT_CARD' | 'BHXH_NUMBER' | 'CMND'; value: string }[],
  extra: { fullName?: string; phone?: string; address?: string; sex?: 'M' | 'F' | null } = {},
) {
  const fullName = extra.fullName ?? p.fullName;
  return db.patient.create({
    data: {
      fullName,
      normalizedName: normalizeVietnameseName(fullName),
      birthDate: p.birthDate,
      birthYear: Number(p.birthDate.slice(0, 4)),
      sex: extra.sex === undefined ? p.sex : extra.sex,
      phone: extra.phone,
      address: extra.address,
      identifiers: {
        create: ids.map((i) => ({ ...i, assigningFacilityId: i.system === 'HOSPITAL_CODE' ? facility.id : null })),
      },
    },
  });
}

async function workbook(write: (out: PassThrough) => Promise<void>) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  const ended = new Promise((r) => out.once('end', r));
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  await ended;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.concat(chunks) as never);
  return wb;
}

const rowsOf = (ws: ExcelJS.Worksheet | undefined) => {
  const out: unknown[][] = [];
  ws?.eachRow((r, n) => {
    if (n > 1) out.push((r.values as unknown[]).slice(1));
  });
  return out;
};

/**
 * The dirty export of the issue: bad dates, a personal ID whose digits contradict the birth year, a malformed one,
 * a BHYT code with an impossible benefit level, a CCCD under two names, blank lines, a duplicated row, the same
 * person twice, an unreadable sex, a missing name, a row without any number, an Excel-stripped leading zero, and
 * rows that meet records already in the database (to enrich, in conflict, identical, pointing at two records, and
 * two rows pointing at one record).
 */
async function dirtyExport(s: number) {
  const P = Array.from({ length: 22 }, (_, i) => syntheticPerson(i, s));
  const row = (p: SyntheticPerson, change: Partial<Record<(typeof VN_HEADERS)[number], string>> = {}) =>
    personRow(p).map((v, i) => change[VN_HEADERS[i]!] ?? v);
  const blank = VN_HEADERS.map(() => '');
  const wrongYear =
    P[4]!.personalId.slice(0, 4) +
    String((Number(P[4]!.personalId.slice(4, 6)) + 1) % 100).padStart(2, '0') +
    P[4]!.personalId.slice(6);
  // In the database already:
  await existing(P[17]!, [{ system: 'PERSONAL_ID', value: P[17]!.personalId }], { sex: null }); // lacks code, phone, address, sex, card
  await existing(P[18]!, [{ system: 'PERSONAL_ID', value: P[18]!.personalId }], { fullName: 'Tên Khác Hẳn' });
  const full = await existing(
    P[19]!,
    [
      { system: 'PERSONAL_ID', value: P[19]!.personalId },
      { system: 'HOSPITAL_CODE', value: P[19]!.hospitalCode },
      ...(P[19]!.bhytCard
        ? [
            { system: 'BHYT_CARD' as const, value: P[19]!.bhytCard },
            { system: 'BHXH_NUMBER' as const, value: P[19]!.bhytCard.slice(5) },
          ]
        : []),
    ],
    { phone: P[19]!.phone, address: P[19]!.address },
  );
  if (P[19]!.bhytCard)
    await db.coverage.create({
      data: {
        patientId: full.id,
        cardCode: P[19]!.bhytCard,
        bhxhNumber: P[19]!.bhytCard.slice(5),
        validFrom: P[19]!.bhytFrom,
        validTo: P[19]!.bhytTo,
      },
    });
  await existing(P[20]!, [{ system: 'PERSONAL_ID', value: P[20]!.personalId }]);
  const card20 = `HT3${P[20]!.personalId.slice(1, 3)}${String(randomInt(1e9, 9e9))}`;
  await existing({ ...P[20]!, fullName: 'Người Khác' }, [{ system: 'BHYT_CARD', value: card20 }]);
  const card21 = `DN4${P[21]!.personalId.slice(1, 3)}${String(randomInt(1e9, 9e9))}`;
  const q = await existing(P[21]!, [
    { system: 'PERSONAL_ID', value: P[21]!.personalId },
    { system: 'BHYT_CARD', value: card21 },
  ]);
  const lines = [
    VN_HEADERS,
    row(P[0]!),
    row(P[1]!),
    row(P[2]!), // 2–4 created
    row(P[3]!, { 'Ngày sinh': '31/02/1980' }), // 5 rejected: no such date
    row(P[4]!, { 'Số CCCD': wrongYear }), // 6 rejected: the ID's year digits contradict the birth date
    row(P[5]!, { 'Số CCCD': '05808000123X' }), // 7 rejected: not 12 digits
    row(P[6]!, { 'Mã thẻ BHYT': 'GD958' + '0'.repeat(10) }), // 8 rejected: benefit level 9
    blank, // 9
    row(P[7]!),
    row({ ...P[8]!, personalId: P[7]!.personalId, birthDate: P[7]!.birthDate, sex: P[7]!.sex }), // 10, 11: one CCCD, two names → both conflicts
    row(P[0]!), // 12 duplicate of row 2
    blank, // 13
    row(P[9]!, { 'Mã thẻ BHYT': '', 'GT thẻ từ': '', 'GT thẻ đến': '' }),
    row({
      ...P[9]!,
      bhytCard: P[9]!.bhytCard ?? `GD4${P[9]!.personalId.slice(1, 3)}${String(randomInt(1e9, 9e9))}`,
      bhytFrom: '2026-01-01',
      bhytTo: '2026-12-31',
    }), // 14 + 15 folded
    row(P[10]!, { 'Giới tính': 'X' }), // 16 rejected
    row(P[11]!, { 'Điện thoại': 'không có' }), // 17 created, with a note
    row(P[12]!, { 'Họ và tên': '' }), // 18 rejected
    row(P[13]!, { 'Mã BN': '', 'Số CCCD': '', 'Mã thẻ BHYT': '' }), // 19 rejected: no number at all
    row(P[14]!, { 'Số CCCD': P[14]!.personalId.replace(/^0/, '') }), // 20 created: the zero Excel dropped is restored
    row(P[15]!, { 'Ngày sinh': P[15]!.birthDate, 'Giới tính': P[15]!.sex === 'M' ? '1' : '2' }), // 21 created
    row(P[16]!, { 'Ngày sinh': P[16]!.birthDate.slice(0, 4) }), // 22 created, birth year only
    row(P[17]!), // 23 enriched
    row(P[18]!), // 24 conflict: the CCCD is someone else's name
    row(P[19]!), // 25 identical
    row(P[20]!, { 'Mã thẻ BHYT': card20 }), // 26 conflict: CCCD and card belong to two records
    row(P[21]!, { 'Số CCCD': '', 'Mã thẻ BHYT': card21 }), // 27 enriched (its code added to q)
    row(P[21]!, { 'Mã BN': `${P[21]!.hospitalCode}B`, 'Mã thẻ BHYT': '', 'GT thẻ từ': '', 'GT thẻ đến': '' }), // 28 conflict: also q
  ];
  return { P, lines, q, full };
}

const FIRST_RUN = counts({
  read: 25,
  blank: 2,
  created: 8,
  enriched: 2,
  identical: 1,
  duplicates: 1,
  folded: 1,
  conflicts: 5,
  rejected: 7,
  notes: 1,
});
const SECOND_RUN = counts({
  read: 25,
  blank: 2,
  created: 0,
  enriched: 0,
  identical: 11,
  duplicates: 1,
  folded: 1,
  conflicts: 5,
  rejected: 7,
  notes: 1,
});

describe('patient import', () => {
  it('a UTF-8 (BOM) CSV with dirty rows: every count, the report and the conflicts file; a re-run changes nothing', async () => {
    const s = salt();
    const { P, lines, q } = await dirtyExport(s);
    const file = path.join(dir, `dirty-${s}.csv`);
    await writeFile(file, '\ufeff' + csvText(lines));
    const before = await snapshot();
    const job = await runImport(pool, options(file, { batchSize: 4 }));
    expect(job).toMatchObject({ status: 'DONE', format: 'CSV', encoding: 'UTF-8', resumed: false, counts: FIRST_RUN });
    const after = await snapshot();
    expect(after.patients - before.patients).toBe(8);
    expect(after.audits - before.audits).toBe(10);

    // What was stored, e.g. row 14 folded with row 15 (its card), row 20's restored zero, row 22's year.
    const byId = async (id: string) =>
      db.patient.findFirstOrThrow({
        where: { identifiers: { some: { system: 'PERSONAL_ID', value: id } } },
        include: { identifiers: true, coverages: true },
      });
    const p9 = await byId(P[9]!.personalId);
    expect(p9.coverages).toHaveLength(1);
    expect(p9.identifiers.find((i) => i.system === 'HOSPITAL_CODE')).toMatchObject({
      value: P[9]!.hospitalCode,
      assigningFacilityId: facility.id,
    });
    expect((await byId(P[14]!.personalId)).fullName).toBe(P[14]!.fullName);
    expect((await byId(P[16]!.personalId)).birthDate).toBe(P[16]!.birthDate.slice(0, 4));
    const p11 = await byId(P[11]!.personalId);
    expect(p11.phone).toBeNull();
    const p17 = await byId(P[17]!.personalId);
    expect(p17).toMatchObject({ sex: P[17]!.sex, phone: P[17]!.phone, address: P[17]!.address });
    expect(p17.identifiers.map((i) => i.system).sort()).toEqual(
      P[17]!.bhytCard ? ['BHXH_NUMBER', 'BHYT_CARD', 'HOSPITAL_CODE', 'PERSONAL_ID'] : ['HOSPITAL_CODE', 'PERSONAL_ID'],
    );
    expect(
      await db.patientIdentifier.findMany({
        where: { patientId: q.id, system: 'HOSPITAL_CODE' },
        select: { value: true },
      }),
    ).toEqual([{ value: P[21]!.hospitalCode }]);
    for (const i of [7, 8, 3, 4, 5, 6, 10, 12, 13])
      expect(await db.patientIdentifier.count({ where: { value: P[i]!.hospitalCode } })).toBe(0);

    const report = await workbook((out) => writeReport(pool, job, out));
    expect(rowsOf(report.getWorksheet('Bị từ chối')).map((r) => [r[0], r[1] ?? ''])).toEqual([
      [5, 'Ngày sinh'],
      [6, 'Số CCCD'],
      [7, 'Số CCCD'],
      [8, 'Mã thẻ BHYT'],
      [16, 'Giới tính'],
      [18, 'Họ và tên'],
      [19, ''],
    ]);
    const rejected = rowsOf(report.getWorksheet('Bị từ chối'));
    expect(rejected[1]![2]).toMatch(/không khớp năm sinh/);
    expect(rejected[6]![2]).toMatch(/không có mã BN hay số giấy tờ/);
    expect(rowsOf(report.getWorksheet('Ghi chú'))).toEqual([
      [17, 'Điện thoại', 'Bỏ qua số điện thoại không đọc được.'],
    ]);
    const conflicts = await workbook((out) => writeConflicts(pool, job, out));
    const c = rowsOf(conflicts.getWorksheet('Xung đột'));
    expect(c.map((r) => r[0])).toEqual([10, 11, 24, 26, 28]);
    expect(c[0]![8]).toMatch(/Trùng Số CCCD\/định danh với dòng 11/);
    expect(c[0]![5]).toMatch(/^\*{8}\d{4}$/); // numbers masked
    expect(c[4]![8]).toMatch(/dòng 27/);
    expect(c[4]![10]).toBe(q.id);

    // Again: nothing changes, and the report says so.
    const again = await runImport(pool, options(file, { batchSize: 4 }));
    expect(again.id).not.toBe(job.id);
    expect(again.counts).toEqual(SECOND_RUN);
    expect(await snapshot()).toEqual(after);
  });

  it('a dry run writes no patient data and gives the same report as the real run', async () => {
    const s = salt();
    const { lines } = await dirtyExport(s);
    const file = path.join(dir, `dry-${s}.csv`);
    await writeFile(file, '\ufeff' + csvText(lines));
    const before = await snapshot();
    const dry = await runImport(pool, options(file, { dryRun: true, batchSize: 3 }));
    expect(dry.counts).toEqual(FIRST_RUN);
    expect(await snapshot()).toEqual(before);
    const real = await runImport(pool, options(file, { batchSize: 7 }));
    expect(real.counts).toEqual(FIRST_RUN);
  });

  it('a Windows-1258 CSV (semicolons, no BOM) is read right: names stored in NFC', async () => {
    const s = salt();
    const names = ['Nguyễn Thị Ậu', 'Trượng Đức Hỷ', 'Đàng Thị Ỷ Lan', 'Huỳnh Ngọc Quỳnh Hương', 'Ông Văn Ửng'];
    const people = names.map((fullName, i) => ({ ...syntheticPerson(i, s), fullName }));
    const lines = [VN_HEADERS, ...people.map(personRow), VN_HEADERS.map(() => ''), personRow(people[0]!)];
    const file = path.join(dir, `legacy-${s}.csv`);
    const bytes = encodeCp1258(csvText(lines, ';'));
    expect(bytes.includes(0xd2) || bytes.includes(0xf2)).toBe(true); // separate tone marks, as Windows writes them
    await writeFile(file, bytes);
    const job = await runImport(pool, options(file));
    expect(job).toMatchObject({ encoding: 'CP1258', counts: counts({ read: 6, blank: 1, created: 5, duplicates: 1 }) });
    for (const p of people) {
      const stored = await db.patient.findFirstOrThrow({
        where: { identifiers: { some: { system: 'PERSONAL_ID', value: p.personalId } } },
      });
      expect(stored.fullName).toBe(p.fullName.normalize('NFC'));
      expect(stored.address).toBe(p.address.normalize('NFC'));
    }
  });

  it('an XLSX export: a title above the header, unaccented underscore headers, date cells, serials, numbers that lost their zero', async () => {
    const s = salt();
    const P = Array.from({ length: 6 }, (_, i) => syntheticPerson(i, s));
    const date = (iso: string) => new Date(`${iso}T00:00:00Z`);
    const serial = (iso: string) => Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000);
    const rows: (string | number | Date | null)[][] = [
      ['DANH SÁCH BỆNH NHÂN — TRUNG TÂM Y TẾ THỬ'],
      ['MA_BN', 'HO_TEN', 'NGAY_SINH', 'GIOI_TINH', 'SO_CCCD', 'MA_THE_BHYT', 'DIEN_THOAI', 'GHI_CHU'],
      [
        P[0]!.hospitalCode,
        P[0]!.fullName,
        date(P[0]!.birthDate),
        1,
        Number(P[0]!.personalId),
        P[0]!.bhytCard,
        P[0]!.phone,
        'khám định kỳ',
      ],
      [
        P[1]!.hospitalCode,
        P[1]!.fullName,
        serial(P[1]!.birthDate),
        2,
        P[1]!.personalId,
        P[1]!.bhytCard,
        Number(P[1]!.phone),
        null,
      ],
      [],
      [P[2]!.hospitalCode, P[2]!.fullName, '30/02/1990', 'Nam', P[2]!.personalId, null, null, null],
      [P[3]!.hospitalCode, P[3]!.fullName, date(P[3]!.birthDate), 'Nữ', P[4]!.personalId, null, null, null], // someone else's CCCD: wrong year/sex digits
      [
        P[0]!.hospitalCode,
        P[0]!.fullName,
        date(P[0]!.birthDate),
        1,
        Number(P[0]!.personalId),
        P[0]!.bhytCard,
        P[0]!.phone,
        'khám định kỳ',
      ],
      [
        P[5]!.hospitalCode,
        {
          richText: [
            { text: P[5]!.fullName.split(' ')[0]! + ' ' },
            { text: P[5]!.fullName.split(' ').slice(1).join(' ') },
          ],
        } as never,
        P[5]!.birthDate.slice(0, 4),
        P[5]!.sex === 'M' ? 'nam' : 'NỮ',
        P[5]!.personalId,
        null,
        null,
        null,
      ],
    ];
    const file = path.join(dir, `his-${s}.xlsx`);
    await writeXlsxFile(file, rows, [2]);
    const job = await runImport(pool, options(file));
    expect(job).toMatchObject({ format: 'XLSX', encoding: null });
    expect(job.counts).toEqual(counts({ read: 6, created: 3, duplicates: 1, rejected: 2, blank: job.counts!.blank }));
    expect(job.columns.fields).toEqual([
      'hospitalCode',
      'fullName',
      'birthDate',
      'sex',
      'personalId',
      'bhytCard',
      'phone',
      null,
    ]);
    const stored = await db.patient.findFirstOrThrow({
      where: { identifiers: { some: { system: 'PERSONAL_ID', value: P[0]!.personalId } } },
    });
    expect(stored).toMatchObject({ fullName: P[0]!.fullName, birthDate: P[0]!.birthDate, sex: 'M' });
    const p1 = await db.patient.findFirstOrThrow({
      where: { identifiers: { some: { system: 'PERSONAL_ID', value: P[1]!.personalId } } },
    });
    expect(p1).toMatchObject({ birthDate: P[1]!.birthDate, sex: 'F', phone: P[1]!.phone });
    const report = await workbook((out) => writeReport(pool, job, out));
    expect(rowsOf(report.getWorksheet('Bị từ chối')).map((r) => [r[0], r[1]])).toEqual([
      [6, 'NGAY_SINH'],
      [7, 'SO_CCCD'],
    ]);
  });

  it('interrupted in every pass, it resumes where it stopped and ends as an uninterrupted run would', async () => {
    const s = salt();
    const { lines } = await dirtyExport(s);
    const file = path.join(dir, `resume-${s}.csv`);
    await writeFile(file, '\ufeff' + csvText(lines));
    const before = await snapshot();
    const stops = [
      { status: 'STAGING', after: 2 },
      { status: 'APPLYING', after: 1 },
      { status: 'APPLYING', after: 2 },
    ];
    let jobId: string | null = null;
    for (const stop of stops) {
      let seen = 0;
      const run = runImport(
        pool,
        options(file, {
          batchSize: 3,
          checkpoint: (j) => {
            jobId = j.id;
            if (j.status === stop.status && ++seen === stop.after) throw new Interrupted('stop');
          },
        }),
      );
      await expect(run).rejects.toBeInstanceOf(Interrupted);
    }
    const done = await runImport(pool, options(file, { batchSize: 3 }));
    expect(done).toMatchObject({ id: jobId, resumed: true, counts: FIRST_RUN });
    expect((await snapshot()).patients - before.patients).toBe(8);
  });
});
