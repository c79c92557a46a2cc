import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import type { Principal } from '../auth/roles';
import { normalizeVietnameseName } from '../identity';
import { oneEditAway, searchPatients } from './search';
import { auditedRecord, auditedSearch } from './lookup';
import { mergePatients, unmergePatients } from './merge';
import { addIdentifier, correctDemographics } from './corrections';

const db = testDb();
let actor: Principal;
let roomId: string;
const num = String(Date.now()).slice(-6); // keeps names and numbers unique across reruns on one database
const tag = [...num].map((d) => 'qwrtyplkhg'[Number(d)]).join(''); // letters, for names

async function patient(
  fullName: string,
  birthDate: string,
  ids: { system: 'PERSONAL_ID' | 'CMND' | 'HOSPITAL_CODE'; value: string }[],
  phone?: string,
) {
  return db.patient.create({
    data: {
      fullName,
      normalizedName: normalizeVietnameseName(fullName),
      birthDate,
      birthYear: Number(birthDate.slice(0, 4)),
      phone,
      identifiers: {
        create: ids.map((i) => ({ ...i, assigningFacilityId: i.system === 'HOSPITAL_CODE' ? actor.facilityId : null })),
      },
    },
  });
}

/** A past visit at the actor's facility: the record is then this facility's to read and change (access.ts). */
let visits = 0;
async function visitHere<P extends { id: string }>(p: P): Promise<P> {
  visits++;
  await db.encounter.create({
    data: {
      number: `V${num}-${visits}`,
      facilityId: actor.facilityId,
      patientId: p.id,
      roomId,
      localDate: new Date(Date.UTC(2025, 0, visits)),
      queueNumber: visits,
      identificationMethod: 'MANUAL',
      trustLevel: 'TYPED',
    },
  });
  return p;
}

beforeAll(async () => {
  const f = await testFacility(db);
  const room = await db.room.create({
    data: { facilityId: f.id, code: 'P01', name: 'Phòng khám Nội 1', department: 'Khám bệnh' },
  });
  roomId = room.id;
  actor = {
    kind: 'USER',
    id: '00000000-0000-4000-8000-000000000001',
    name: 'hotro',
    role: 'SUPPORT',
    facilityId: f.id,
    facilityCode: f.code,
  };
});
afterAll(() => db.$disconnect());

describe('search', () => {
  it('finds by any identifier exactly, and by name ignoring accents, word order and a typo', async () => {
    const pid = `0790950${num.slice(0, 5)}`;
    const p = await patient(
      `Đặng Thị Xuyến ${tag}`,
      '1995-04-02',
      [
        { system: 'PERSONAL_ID', value: pid },
        { system: 'HOSPITAL_CODE', value: `BN${num}` },
      ],
      '0912345678',
    );
    await patient(`Đặng Thị Xuân ${tag}`, '1990-01-01', []);

    const byId = await searchPatients(db, { facilityId: actor.facilityId, q: pid });
    expect(byId.kind).toBe('identifier');
    expect(byId.rows.map((r) => r.id)).toEqual([p.id]);
    expect(byId.rows[0]!.identifiers[0]!.value).toBe(`********${pid.slice(-4)}`);
    expect(byId.rows[0]!.phone).toBe('*******678');
    expect((await searchPatients(db, { facilityId: actor.facilityId, q: `bn${num}` })).rows.map((r) => r.id)).toEqual([
      p.id,
    ]);

    for (const q of [`Đặng Thị Xuyến ${tag}`, `dang thi xuyen ${tag}`, `xuyen dang ${tag}`, `dang thi xuyem ${tag}`]) {
      const r = await searchPatients(db, { facilityId: actor.facilityId, q });
      expect(r.kind).toBe('name');
      expect(r.rows[0]?.id, q).toBe(p.id);
    }
    expect(
      (await searchPatients(db, { facilityId: actor.facilityId, q: `xuyen ${tag}`, birth: '02/04/1995' })).rows.map(
        (r) => r.id,
      ),
    ).toEqual([p.id]);
    expect((await searchPatients(db, { facilityId: actor.facilityId, q: `xuyen ${tag}`, birth: '1996' })).rows).toEqual(
      [],
    );
    expect(
      (
        await searchPatients(db, { facilityId: actor.facilityId, q: `dang thi ${tag}`, phone: '+84 912 345 678' })
      ).rows.map((r) => r.id),
    ).toEqual([p.id]);
  });

  it('tolerates a slip in several words, and a slip that spells another real word', async () => {
    const p = await patient(`Lê Thị Tuyết ${tag}`, '1988-08-08', []);
    await patient(`Lê Tài Bảo ${tag}`, '1980-01-01', []); // makes 'tai' a real word of the vocabulary
    for (const q of [`le tai tuyet ${tag}`, `lee thi tuyat ${tag}`, `tuyet le ${tag}`]) {
      const r = await searchPatients(db, { facilityId: actor.facilityId, q });
      expect(r.rows[0]?.id, q).toBe(p.id);
    }
    expect((await searchPatients(db, { facilityId: actor.facilityId, q: `le thi tuyet ${tag}` })).fuzzy).toBe(false);
    expect((await searchPatients(db, { facilityId: actor.facilityId, q: `le tai tuyet ${tag}` })).fuzzy).toBe(true);
    expect(
      (
        await searchPatients(db, { facilityId: actor.facilityId, q: `le thi tuyet ${tag}`, birth: '08/08/1988' })
      ).rows.map((r) => r.id),
    ).toEqual([p.id]);
    expect(
      (await searchPatients(db, { facilityId: actor.facilityId, q: `le thi tuyet ${tag}`, birth: '09/08/1988' })).rows,
    ).toEqual([]);
    expect((await searchPatients(db, { facilityId: actor.facilityId, q: `qqqq zzzz ${tag}` })).rows).toEqual([]);
  });

  it('keeps the vocabulary of name words complete through renames (trigger)', async () => {
    const p = await visitHere(await patient(`Ngô Văn Cũ ${tag}`, '1970', []));
    await correctDemographics(db, actor, p.id, { fullName: `Ngô Văn Mớiz ${tag}`, reason: 'Đổi tên' });
    expect(await db.patientNameWord.findUnique({ where: { word: 'moiz' } })).not.toBeNull();
    expect(
      (await searchPatients(db, { facilityId: actor.facilityId, q: `ngo moiz ${tag}` })).rows.map((r) => r.id),
    ).toEqual([p.id]);
  });

  it('lists the spellings one edit away from a word', () => {
    const near = oneEditAway('thi');
    for (const w of ['thi', 'tai', 'th', 'ti', 'hti', 'thia', 'athi']) expect(near).toContain(w);
    expect(near).not.toContain('tha i');
    expect(new Set(near).size).toBe(near.length);
  });

  it('pages results and says when there are more', async () => {
    for (let i = 0; i < 5; i++) await patient(`Phan Văn Trang ${tag}`, `198${i}-01-01`, []);
    const first = await searchPatients(db, { facilityId: actor.facilityId, q: `phan van trang ${tag}`, pageSize: 3 });
    const second = await searchPatients(db, {
      facilityId: actor.facilityId,
      q: `phan van trang ${tag}`,
      pageSize: 3,
      page: 2,
    });
    expect(first.rows).toHaveLength(3);
    expect(first.hasMore).toBe(true);
    expect(second.rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set([...first.rows, ...second.rows].map((r) => r.id)).size).toBe(first.rows.length + second.rows.length);
  });

  it('audits every search and every record opened, with the purpose', async () => {
    const p = await visitHere(await patient(`Hồ Văn Kiểm ${tag}`, '1970', []));
    await auditedSearch(db, actor, 'BHYT_RECONCILIATION', { q: `ho van kiem ${tag}` });
    const record = await auditedRecord(db, actor, 'SUPPORT_PATIENT', p.id);
    expect(record?.patient.id).toBe(p.id);
    const events = await db.auditEvent.findMany({ where: { actorId: actor.id }, orderBy: { id: 'desc' }, take: 2 });
    expect(events.map((e) => [e.action, e.purpose])).toEqual([
      ['PATIENT_VIEWED', 'SUPPORT_PATIENT'],
      ['PATIENT_SEARCH', 'BHYT_RECONCILIATION'],
    ]);
    expect(JSON.stringify(events.map((e) => e.details))).not.toContain('Kiểm');
  });
});

describe('corrections', () => {
  it('replaces a CMND by a CCCD: the old number still finds the patient, shown as retired', async () => {
    const cmnd = `2${num}01`;
    const p = await visitHere(await patient(`Lê Văn Cũ ${tag}`, '1960-03-03', [{ system: 'CMND', value: cmnd }]));
    const old = await db.patientIdentifier.findFirstOrThrow({ where: { patientId: p.id } });
    const pid = `0580600${num.slice(0, 5)}`;
    await addIdentifier(db, actor, p.id, {
      system: 'PERSONAL_ID',
      value: pid,
      replacesId: old.id,
      reason: 'Đổi sang CCCD',
    });
    await addIdentifier(db, actor, p.id, {
      system: 'PERSONAL_ID',
      value: pid,
      replacesId: old.id,
      reason: 'Đổi sang CCCD',
    }); // repeat: no-op
    const r = await searchPatients(db, { facilityId: actor.facilityId, q: cmnd });
    expect(r.rows[0]!.id).toBe(p.id);
    expect(r.rows[0]!.identifiers.map((i) => [i.system, i.retired])).toEqual([
      ['PERSONAL_ID', false],
      ['CMND', true],
    ]);
    expect(await db.auditEvent.count({ where: { patientId: p.id, action: 'IDENTIFIER_ADDED' } })).toBe(1);
  });

  it('corrects demographics and refuses an identifier that belongs to someone else', async () => {
    const a = await patient(`Vũ Thị Sửa ${tag}`, '1980-01-01', [{ system: 'HOSPITAL_CODE', value: `SA${num}` }]);
    const b = await visitHere(await patient(`Vũ Thị Khác ${tag}`, '1981-01-01', []));
    const updated = await correctDemographics(db, actor, a.id, {
      fullName: `Vũ Thị Sữa ${tag}`,
      birthDate: '1982-05-05',
      reason: 'Sai chính tả',
    });
    expect(updated.normalizedName).toBe(`vu thi sua ${tag}`);
    expect(updated.birthYear).toBe(1982);
    await expect(
      addIdentifier(db, actor, b.id, { system: 'HOSPITAL_CODE', value: `SA${num}`, reason: 'x' }),
    ).rejects.toMatchObject({ code: 'IDENTIFIER_TAKEN' });
  });
});

describe('merge and unmerge', () => {
  it('moves identifiers and encounters to the survivor and puts exactly those back', async () => {
    const survivor = await patient(`Trần Gộp ${tag}`, '1975-07-07', [{ system: 'HOSPITAL_CODE', value: `GA${num}` }]);
    const dup = await patient(`Tran Gop ${tag}`, '1975-07-07', [{ system: 'HOSPITAL_CODE', value: `GB${num}` }]);
    const enc = await db.encounter.create({
      data: {
        number: `M${num}`,
        facilityId: actor.facilityId,
        patientId: dup.id,
        roomId,
        localDate: new Date('2026-01-05'),
        queueNumber: Number(num),
        identificationMethod: 'MANUAL',
        trustLevel: 'TYPED',
      },
    });
    const { merge } = await mergePatients(db, actor, {
      survivorId: survivor.id,
      mergedId: dup.id,
      reason: 'Trùng hồ sơ',
    });
    const again = await mergePatients(db, actor, { survivorId: survivor.id, mergedId: dup.id, reason: 'Trùng hồ sơ' });
    expect(again).toMatchObject({ repeated: true, merge: { id: merge.id } });
    const found = await searchPatients(db, { facilityId: actor.facilityId, q: `GB${num}` });
    expect(found.rows.map((r) => r.id)).toEqual([survivor.id]);
    expect((await db.encounter.findUniqueOrThrow({ where: { id: enc.id } })).patientId).toBe(survivor.id);
    expect((await db.patient.findUniqueOrThrow({ where: { id: dup.id } })).mergedIntoId).toBe(survivor.id);
    await expect(correctDemographics(db, actor, dup.id, { phone: '0900000000', reason: 'x' })).rejects.toMatchObject({
      code: 'MERGED',
    });

    await unmergePatients(db, actor, { mergeId: merge.id, reason: 'Gộp nhầm' });
    expect((await unmergePatients(db, actor, { mergeId: merge.id, reason: 'Gộp nhầm' })).repeated).toBe(true);
    expect((await searchPatients(db, { facilityId: actor.facilityId, q: `GB${num}` })).rows.map((r) => r.id)).toEqual([
      dup.id,
    ]);
    expect((await searchPatients(db, { facilityId: actor.facilityId, q: `GA${num}` })).rows.map((r) => r.id)).toEqual([
      survivor.id,
    ]);
    expect((await db.encounter.findUniqueOrThrow({ where: { id: enc.id } })).patientId).toBe(dup.id);
    expect((await db.patient.findUniqueOrThrow({ where: { id: dup.id } })).mergedIntoId).toBeNull();
    expect(
      await db.auditEvent.count({
        where: { patientId: dup.id, action: { in: ['PATIENT_MERGED', 'PATIENT_UNMERGED'] } },
      }),
    ).toBe(2);
  });

  it('a survivor that would have two visits on one day (other rooms) is merged only once staff confirm', async () => {
    const room2 = await db.room.create({
      data: { facilityId: actor.facilityId, code: `Q${num}`, name: 'Phòng khám Ngoại', department: 'Khám bệnh' },
    });
    const s = await patient(`Hai Lượt ${tag}`, '1966-06-06', []);
    const d = await patient(`Hai Luot ${tag}`, '1966-06-06', []);
    const visit = (patientId: string, room: string, n: string) =>
      db.encounter.create({
        data: {
          number: `SD${n}${num}`,
          facilityId: actor.facilityId,
          patientId,
          roomId: room,
          localDate: new Date('2026-03-04'),
          queueNumber: Number(n),
          identificationMethod: 'MANUAL',
          trustLevel: 'TYPED',
        },
      });
    await visit(s.id, roomId, '1');
    await visit(d.id, room2.id, '2');
    const refused = mergePatients(db, actor, { survivorId: s.id, mergedId: d.id, reason: 'Trùng hồ sơ' });
    await expect(refused).rejects.toMatchObject({
      kind: 'conflict',
      code: 'SAME_DAY_VISITS',
      details: { visits: [{ date: '2026-03-04', rooms: ['Phòng khám Ngoại', 'Phòng khám Nội 1'] }] },
    });
    expect((await db.patient.findUniqueOrThrow({ where: { id: d.id } })).mergedIntoId).toBeNull(); // nothing moved
    await mergePatients(db, actor, { survivorId: s.id, mergedId: d.id, reason: 'Trùng hồ sơ', confirmSameDay: true });
    expect(await db.encounter.count({ where: { patientId: s.id } })).toBe(2);
  });

  it('two concurrent merges of the same pair record one merge', async () => {
    const s = await visitHere(await patient(`Cùng Lúc ${tag}`, '1990', []));
    const d = await visitHere(await patient(`Cung Luc ${tag}`, '1990', []));
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => mergePatients(db, actor, { survivorId: s.id, mergedId: d.id, reason: 'Trùng' })),
    );
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await db.patientMerge.count({ where: { mergedId: d.id } })).toBe(1);
  });
});
