import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { inject } from 'vitest';
import type { Db } from '../db/client';
import { createDb } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import type { KioskPrincipal, Principal } from '../auth/roles';
import { bhytOldPayload, cccdPayload } from '../identity/test-fixtures';
import { openCandidateToken } from './candidates';
import { checkIn } from './check-in';

/** The check-in options the self check-in kiosk uses (issue 16): create from the card only, a verified card, the channel. */
let db: Db;
let kiosk: KioskPrincipal;
let desk: Principal;
let api: Principal;
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const newPersonalId = () => `0581${digits(2)}${digits(6)}`;
const canCuoc = (id: string, name = 'Pi Năng Thị Kiốt', dob = '03071975', sex = 'Nữ') =>
  cccdPayload({
    id,
    name,
    dob,
    sex,
    address: 'Thôn Suối Đá, Xã Lâm Sơn, Tỉnh Khánh Hòa',
    issued: '01082024',
    layout: '2024',
  });

beforeAll(async () => {
  db = testDb();
  const facility = await testFacility(db);
  await db.room.createMany({
    data: ['K01', 'K02'].map((code) => ({
      facilityId: facility.id,
      code,
      name: `Phòng ${code}`,
      department: 'Khoa Khám bệnh',
    })),
  });
  const k = await db.kiosk.create({ data: { facilityId: facility.id, name: 'Kiosk thử' } });
  kiosk = { kind: 'KIOSK', id: k.id, name: k.name, facilityId: facility.id, facilityCode: facility.code };
  const user = await db.user.create({
    data: {
      facilityId: facility.id,
      username: `kiosk-test-${facility.code}`,
      fullName: 'Lễ Tân Thử',
      role: 'RECEPTIONIST',
      passwordHash: 'x',
    },
  });
  desk = {
    kind: 'USER',
    id: user.id,
    name: user.username,
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
  api = {
    kind: 'API_KEY',
    id: '00000000-0000-4000-8000-0000000000a1',
    name: 'his-bridge',
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
});
afterAll(async () => db.$disconnect());

describe('check-in from a kiosk', () => {
  it('creates a new patient from the chip card QR alone; the encounter and its audit row say KIOSK, with the kiosk as actor', async () => {
    const id = newPersonalId();
    const r = await checkIn(db, kiosk, { raw: canCuoc(id), roomCode: 'K01', payer: 'SELF_PAY' }, new Date(), {
      createFromCard: true,
    });
    if (r.status !== 'created') throw new Error(JSON.stringify(r));
    expect(r.patient).toMatchObject({
      fullName: 'Pi Năng Thị Kiốt',
      birthDate: '1975-07-03',
      sex: 'F',
      address: 'Thôn Suối Đá, Xã Lâm Sơn, Tỉnh Khánh Hòa',
    });
    expect(r.encounter).toMatchObject({
      identificationMethod: 'CCCD_QR',
      trustLevel: 'CARD_VERIFIED',
      payer: 'SELF_PAY',
    });
    const row = await db.encounter.findUniqueOrThrow({ where: { id: r.encounter.id } });
    expect(row).toMatchObject({ channel: 'KIOSK', createdById: null });
    const audits = await db.auditEvent.findMany({
      where: { OR: [{ entityId: r.encounter.id }, { entityId: r.patient.id }] },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => [a.action, a.actorType, a.actorId, a.actorName])).toEqual([
      ['PATIENT_CREATED', 'KIOSK', kiosk.id, 'Kiosk thử'],
      ['ENCOUNTER_OPENED', 'KIOSK', kiosk.id, 'Kiosk thử'],
    ]);
    expect(audits[1]!.details).toMatchObject({ method: 'CCCD_QR', channel: 'KIOSK' });
    expect(audits[0]!.details).toMatchObject({ method: 'CCCD_QR', channel: 'KIOSK' });
  });

  it('VNeID: the same payload shown in the app is recorded as VNEID', async () => {
    const r = await checkIn(
      db,
      kiosk,
      { raw: canCuoc(newPersonalId()), source: 'VNEID', roomCode: 'K01' },
      new Date(),
      { createFromCard: true },
    );
    if (r.status !== 'created') throw new Error(JSON.stringify(r));
    expect(r.encounter.identificationMethod).toBe('VNEID');
  });

  it('never creates from a typed number or a BHYT card alone', async () => {
    const id = newPersonalId();
    const typed = await checkIn(db, kiosk, { raw: id, roomCode: 'K01' }, new Date(), { createFromCard: true });
    expect(typed.status).toBe('not-found');
    const card = bhytOldPayload({
      code: `GD4585${digits(9)}`,
      name: 'Mấu Thị Thẻ',
      dob: '01/01/1980',
      sex: '2',
      facility: '58 - 999',
      from: '01/01/2026',
      to: '31/12/2026',
      issued: '01/01/2026',
      mgmt: '58999000000001',
      five: '-',
    });
    const bhyt = await checkIn(db, kiosk, { raw: card, roomCode: 'K01' }, new Date(), { createFromCard: true });
    expect(bhyt.status).toBe('not-found');
    expect(await db.patient.count({ where: { normalizedName: 'mau thi the' } })).toBe(0);
    expect(await db.patientIdentifier.count({ where: { value: id } })).toBe(0);
  });

  it('a likely duplicate (same name and birth date, no conflicting ID) is not-found with the candidate, and nothing is created', async () => {
    const twin = await checkIn(db, desk, {
      newPatient: { fullName: 'Katơr Văn Trùng', dateOfBirth: '1966-06-06', sex: 'M' },
      roomCode: 'K02',
    });
    if (twin.status !== 'created') throw new Error(twin.status);
    const id = newPersonalId();
    const r = await checkIn(
      db,
      kiosk,
      { raw: canCuoc(id, 'KATƠR VĂN TRÙNG', '06061966', 'Nam'), roomCode: 'K01' },
      new Date(),
      { createFromCard: true },
    );
    expect(r).toMatchObject({ status: 'not-found', candidates: [{ fullName: 'Katơr Văn Trùng', birthYear: 1966 }] });
    if (r.status !== 'not-found') throw new Error(r.status);
    expect(openCandidateToken(kiosk, r.candidates[0]!.token)).toBe(twin.patient.id); // candidates are masked: their token names them
    expect(await db.patientIdentifier.count({ where: { value: id } })).toBe(0);
  });

  it('a card without what a record needs (no sex) is not created', async () => {
    const id = newPersonalId();
    const r = await checkIn(
      db,
      kiosk,
      { raw: canCuoc(id, 'Ma Thị Thiếu', '01011990', '?'), roomCode: 'K01' },
      new Date(),
      { createFromCard: true },
    );
    expect(r.status).not.toBe('created');
    expect(await db.patientIdentifier.count({ where: { value: id } })).toBe(0);
  });

  it('two kiosks scanning one new person at once: one patient, one encounter', async () => {
    const id = newPersonalId();
    const raw = canCuoc(id, 'Bố Thị Song', '09091999');
    const second = createDb(inject('databaseUrl'), 4);
    const results = await Promise.all(
      [db, second, db, second].map((d) =>
        checkIn(d, kiosk, { raw, roomCode: 'K02' }, new Date(), { createFromCard: true }),
      ),
    );
    await second.$disconnect();
    expect(results.map((r) => r.status).sort()).toEqual(['created', 'existing', 'existing', 'existing']);
    expect(new Set(results.map((r) => ('encounter' in r ? r.encounter.id : null))).size).toBe(1);
    expect(await db.patientIdentifier.count({ where: { system: 'PERSONAL_ID', value: id } })).toBe(1);
  });

  it('a card the gateway confirmed is stored as coverage and the encounter opens verified', async () => {
    const id = newPersonalId();
    const cardCode = `HT3585${digits(9)}`;
    const r = await checkIn(
      db,
      kiosk,
      { raw: canCuoc(id, 'Từ Thị Bảo', '02021950'), roomCode: 'K01', payer: 'BHYT' },
      new Date(),
      {
        createFromCard: true,
        verifiedCard: {
          cardCode,
          bhxhNumber: cardCode.slice(5),
          benefitLevel: 3,
          registeredFacility: '58999',
          validFrom: '2026-01-01',
          validTo: '2026-12-31',
        },
      },
    );
    if (r.status !== 'created') throw new Error(JSON.stringify(r));
    expect(r.encounter).toMatchObject({ payer: 'BHYT', bhytVerification: 'VERIFIED', coverageId: expect.any(String) });
    const coverage = await db.coverage.findUniqueOrThrow({ where: { id: r.encounter.coverageId! } });
    expect(coverage).toMatchObject({ patientId: r.patient.id, cardCode, validTo: '2026-12-31' });
    expect(r.patient.identifiers.map((i) => i.system).sort()).toEqual(['BHXH_NUMBER', 'BHYT_CARD', 'PERSONAL_ID']);
  });

  it('the channel follows who checks in: a signed-in receptionist is DESK, an API key is API', async () => {
    const a = await checkIn(db, desk, {
      newPatient: { fullName: 'Lò Văn Quầy', dateOfBirth: '1970', sex: 'M' },
      roomCode: 'K01',
    });
    const b = await checkIn(db, api, {
      newPatient: { fullName: 'Lò Văn Máy', dateOfBirth: '1971', sex: 'M' },
      roomCode: 'K01',
    });
    if (a.status !== 'created' || b.status !== 'created') throw new Error('not created');
    const rows = await db.encounter.findMany({
      where: { id: { in: [a.encounter.id, b.encounter.id] } },
      select: { id: true, channel: true },
    });
    expect(Object.fromEntries(rows.map((e) => [e.id, e.channel]))).toEqual({
      [a.encounter.id]: 'DESK',
      [b.encounter.id]: 'API',
    });
  });
});
