import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { randomInt } from 'node:crypto';
import type { Db } from '../db/client';
import { createDb } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import { inject } from 'vitest';
import type { Principal } from '../auth/roles';
import { bhytOldPayload, cccdPayload } from '../identity/test-fixtures';
import { installJobQueue } from '../handoff/worker';
import { checkIn, checkinSchema } from './check-in';
import { cardAlreadyStored } from '../insurance/coverage';

let db: Db;
let desk: Principal;
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
/** A synthetic man born 1958 in Ninh Thuận (058), with a fresh random tail so runs never collide. */
const newPersonalId = (century = '0', yy = '58') => `058${century}${yy}${digits(6)}`;

function canCuoc(id: string, name = 'Chế Văn Thử', dob = '12031958') {
  return cccdPayload({
    id,
    name,
    dob,
    sex: 'Nam',
    address: 'Thôn Hiếu Thiện, Xã Ninh Phước, Tỉnh Khánh Hòa',
    issued: '05082024',
    layout: '2024',
  });
}

beforeAll(async () => {
  db = testDb();
  const facility = await testFacility(db);
  await db.room.createMany({
    data: ['P01', 'P02', 'P03'].map((code) => ({
      facilityId: facility.id,
      code,
      name: `Phòng ${code}`,
      department: 'Khoa Khám bệnh',
    })),
  });
  desk = {
    kind: 'API_KEY',
    id: '00000000-0000-4000-8000-000000000001',
    name: 'desk-test',
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
});
afterAll(async () => db.$disconnect());

describe('check-in', () => {
  it('a new patient from a Căn cước QR: not found with the identity to pre-fill, then created with one encounter', async () => {
    const id = newPersonalId();
    const raw = canCuoc(id);
    const first = await checkIn(db, desk, { raw, roomCode: 'P01' });
    expect(first).toMatchObject({
      status: 'not-found',
      identity: { personalId: id, fullName: 'Chế Văn Thử', dateOfBirth: '1958-03-12', sex: 'M' },
    });
    expect(await db.patientIdentifier.count({ where: { value: id } })).toBe(0); // nothing saved

    const second = await checkIn(db, desk, {
      raw,
      roomCode: 'P01',
      newPatient: { fullName: 'Chế Văn Thử', dateOfBirth: '1958-03-12', sex: 'M' },
    });
    if (second.status !== 'created') throw new Error(JSON.stringify(second));
    expect(second.encounter).toMatchObject({
      queueNumber: expect.any(Number),
      identificationMethod: 'CCCD_QR',
      trustLevel: 'CARD_VERIFIED',
      payer: 'SELF_PAY',
      status: 'CHECKED_IN',
      priority: 'NORMAL',
    });
    expect(second.encounter.number).toMatch(new RegExp(`^${desk.facilityCode}-\\d{6}-P01-\\d{3}$`));
    expect(second.patient.identifiers.map((i) => i.system)).toEqual(['PERSONAL_ID']);
    const handoffs = await db.handoffMessage.findMany({ where: { encounterId: second.encounter.id } });
    expect(handoffs.map((h) => h.event)).toEqual(['A04']); // queued in the same transaction

    const again = await checkIn(db, desk, { raw, roomCode: 'P01' });
    expect(again).toMatchObject({
      status: 'existing',
      encounter: { id: second.encounter.id },
      message: expect.stringMatching(/^Đã tiếp đón lúc \d\d:\d\d — số \d+$/),
    });
  });

  it('a new patient is two round trips: the match, then one statement creating them (identifiers, card coverage, audit) with their encounter and hand-off', async () => {
    await installJobQueue(inject('databaseUrl')); // as in production: the hand-off worker has installed its queue
    await checkIn(db, desk, {
      raw: canCuoc(newPersonalId()),
      roomCode: 'P02',
      newPatient: { fullName: 'Chế Văn Thử', dateOfBirth: '1958-03-12', sex: 'M' },
    }); // room cached
    const bhxh = `58${digits(8)}`;
    const raw = bhytOldPayload({
      code: `HT358${bhxh}`,
      name: 'Đàng Thị Mới',
      dob: '05/06/1971',
      sex: '2',
      facility: '58 - 003',
      from: '01/01/2026',
      to: '31/12/2026',
      issued: '20/12/2025',
      mgmt: `5801${bhxh}`,
      five: '01/01/2015',
    });
    const queries = vi.spyOn(pg.Client.prototype, 'query');
    const r = await checkIn(db, desk, {
      raw,
      roomCode: 'P02',
      newPatient: { fullName: 'Đàng Thị Mới', dateOfBirth: '1971-06-05', sex: 'F' },
    });
    const roundTrips = queries.mock.calls.length;
    queries.mockRestore();
    if (r.status !== 'created') throw new Error(JSON.stringify(r));
    expect(roundTrips).toBe(2);
    const coverage = await db.coverage.findFirstOrThrow({ where: { patientId: r.patient.id } });
    expect(coverage).toMatchObject({
      cardCode: `HT358${bhxh}`,
      bhxhNumber: bhxh,
      benefitLevel: 3,
      registeredFacility: '58003',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      verification: 'UNVERIFIED',
    });
    expect(r.encounter).toMatchObject({
      payer: 'BHYT',
      coverageId: coverage.id,
      bhytVerification: 'UNVERIFIED',
      identificationMethod: 'BHYT_QR',
    });
    expect(r.patient).toMatchObject({
      id: coverage.patientId,
      fullName: 'Đàng Thị Mới',
      birthDate: '1971-06-05',
      sex: 'F',
      address: null,
    });
    expect(r.patient.identifiers.map((i) => i.system).sort()).toEqual(['BHXH_NUMBER', 'BHYT_CARD']);
    expect(JSON.stringify(r.patient)).not.toContain(bhxh); // masked, as every check-in answer
    expect(await db.patientIdentifier.count({ where: { patientId: r.patient.id } })).toBe(2);
    // The hand-off snapshot sees the rows the same statement wrote: the patient, both identifiers, the card.
    const [message] = await db.handoffMessage.findMany({ where: { encounterId: r.encounter.id } });
    expect(message!.snapshot).toMatchObject({
      fullName: 'Đàng Thị Mới',
      birthDate: '1971-06-05',
      coverage: { cardCode: `HT358${bhxh}`, validTo: '2026-12-31' },
    });
    expect((message!.snapshot as { identifiers: unknown[] }).identifiers).toHaveLength(2);
    const audits = await db.auditEvent.findMany({ where: { patientId: r.patient.id }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.action, a.entityType, a.entityId])).toEqual([
      ['PATIENT_CREATED', 'Patient', r.patient.id],
      ['ENCOUNTER_OPENED', 'Encounter', r.encounter.id],
    ]);
    expect(await db.patientNameWord.count({ where: { word: { in: ['dang', 'thi', 'moi'] } } })).toBe(3); // the name search's vocabulary
  });

  it('queue numbers count per room per local day, gap-free', async () => {
    const ids = [newPersonalId(), newPersonalId(), newPersonalId()];
    const numbers: number[] = [];
    for (const id of ids) {
      const r = await checkIn(db, desk, {
        raw: canCuoc(id, 'Đàng Thị Số', '01011960'),
        roomCode: 'P02',
        newPatient: { fullName: 'Đàng Thị Số', dateOfBirth: '1960-01-01', sex: 'F' },
      });
      if (r.status !== 'created') throw new Error(r.status);
      numbers.push(r.encounter.queueNumber);
    }
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2]);
  });

  it('the local day decides: 06:30 in Vietnam is that day even though UTC is the day before', async () => {
    const id = newPersonalId();
    const at = new Date('2026-11-24T23:30:00Z'); // 06:30 on 25/11 in Asia/Ho_Chi_Minh
    const r = await checkIn(
      db,
      desk,
      {
        raw: canCuoc(id),
        roomCode: 'P03',
        newPatient: { fullName: 'Chế Văn Thử', dateOfBirth: '1958-03-12', sex: 'M' },
      },
      at,
    );
    if (r.status !== 'created') throw new Error(r.status);
    expect(r.encounter.localDate).toBe('2026-11-25');
    expect(r.encounter.number).toContain('-261125-');
  });

  it('two desks scanning one new person at the same moment make one patient and one encounter', async () => {
    const id = newPersonalId();
    const raw = canCuoc(id, 'Thông Văn Đồng', '20021950');
    const body = {
      raw,
      roomCode: 'P01',
      newPatient: { fullName: 'Thông Văn Đồng', dateOfBirth: '1950-02-20', sex: 'M' as const },
    };
    const second = createDb(inject('databaseUrl'), 4); // a second app instance
    const results = await Promise.all([
      checkIn(db, desk, body),
      checkIn(second, desk, body),
      checkIn(db, desk, body),
      checkIn(second, desk, body),
    ]);
    await second.$disconnect();
    expect(results.map((r) => r.status).sort()).toEqual(['created', 'existing', 'existing', 'existing']);
    const encounterIds = new Set(results.map((r) => ('encounter' in r ? r.encounter.id : null)));
    expect(encounterIds.size).toBe(1);
    expect(await db.patientIdentifier.count({ where: { system: 'PERSONAL_ID', value: id } })).toBe(1);
    const patient = await db.patientIdentifier.findFirstOrThrow({ where: { value: id } });
    expect(await db.encounter.count({ where: { patientId: patient.patientId } })).toBe(1);
    expect(await db.handoffMessage.count({ where: { patientId: patient.patientId } })).toBe(1);
  });

  it('a returning patient from a BHYT QR: found by the BHXH number, coverage stored, payer BHYT, unverified until the gateway says so', async () => {
    const bhxh = `58${digits(8)}`;
    const personal = newPersonalId('0', '45');
    await checkIn(db, desk, {
      raw: canCuoc(personal, 'Trượng Thị Hòa', '03031945'),
      roomCode: 'P02',
      newPatient: { fullName: 'Trượng Thị Hòa', dateOfBirth: '1945-03-03', sex: 'F' },
    });
    await db.patientIdentifier.create({
      data: {
        patientId: (await db.patientIdentifier.findFirstOrThrow({ where: { value: personal } })).patientId,
        system: 'BHXH_NUMBER',
        value: bhxh,
      },
    });
    const raw = bhytOldPayload({
      code: `HT358${bhxh}`,
      name: 'Trượng Thị Hòa',
      dob: '03/03/1945',
      sex: '2',
      facility: '58 - 003',
      from: '01/01/2026',
      to: '31/12/2026',
      issued: '20/12/2025',
      mgmt: `5801${bhxh}`,
      five: '01/01/2015',
    });
    const r = await checkIn(db, desk, { raw, roomCode: 'P03' });
    if (r.status !== 'created') throw new Error(JSON.stringify(r));
    expect(r.encounter).toMatchObject({
      identificationMethod: 'BHYT_QR',
      payer: 'BHYT',
      bhytVerification: 'UNVERIFIED',
      trustLevel: 'TYPED',
      priority: 'ELDERLY',
    });
    expect(r.patient.identifiers.map((i) => i.system).sort()).toEqual(['BHXH_NUMBER', 'BHYT_CARD', 'PERSONAL_ID']);
    const coverage = await db.coverage.findFirstOrThrow({ where: { patientId: r.patient.id } });
    expect(coverage).toMatchObject({
      cardCode: `HT358${bhxh}`,
      bhxhNumber: bhxh,
      benefitLevel: 3,
      registeredFacility: '58003',
      validTo: '2026-12-31',
    });

    // The same card again, another room: nothing new to store (one statement); the visit is on that coverage.
    const again = await checkIn(db, desk, { raw, roomCode: 'P01' });
    expect(again).toMatchObject({ status: 'created', encounter: { payer: 'BHYT', coverageId: coverage.id } });
    expect((await db.coverage.findUniqueOrThrow({ where: { id: coverage.id } })).updatedAt).toEqual(coverage.updatedAt);

    // A renewed card (new validity) is stored before the visit opens on it.
    const renewed = bhytOldPayload({
      code: `HT358${bhxh}`,
      name: 'Trượng Thị Hòa',
      dob: '03/03/1945',
      sex: '2',
      facility: '58 - 003',
      from: '01/01/2027',
      to: '31/12/2027',
      issued: '20/12/2026',
      mgmt: `5801${bhxh}`,
      five: '01/01/2015',
    });
    const later = await checkIn(db, desk, { raw: renewed, roomCode: 'P02' }, new Date(Date.now() + 86_400_000));
    expect(later).toMatchObject({ status: 'created', encounter: { payer: 'BHYT', coverageId: coverage.id } });
    expect(await db.coverage.findMany({ where: { patientId: r.patient.id } })).toMatchObject([
      { id: coverage.id, validFrom: '2027-01-01', validTo: '2027-12-31' },
    ]);
  });

  it('a card is "already stored" only when it says nothing the stored coverage does not', () => {
    const stored = {
      id: 'c',
      cardCode: 'HT3580000000001',
      bhxhNumber: '5800000001',
      benefitLevel: 3,
      registeredFacility: '58003',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      fiveYearsFrom: '2015-01-01',
    };
    expect(cardAlreadyStored(stored, undefined)).toBe(true); // no BHYT card scanned
    expect(
      cardAlreadyStored(stored, { cardCode: stored.cardCode, validFrom: '2026-01-01', validTo: '2026-12-31' }),
    ).toBe(true);
    expect(cardAlreadyStored(stored, { bhxhNumber: stored.bhxhNumber })).toBe(true); // a typed BHXH number carries no dates
    expect(cardAlreadyStored(stored, { cardCode: stored.cardCode, validTo: null })).toBe(true); // '-' keeps the stored end date
    expect(cardAlreadyStored(stored, { cardCode: stored.cardCode, validTo: '2027-12-31' })).toBe(false);
    expect(cardAlreadyStored(stored, { cardCode: 'HT3580000000002' })).toBe(false);
    expect(cardAlreadyStored(stored, { cardCode: stored.cardCode, benefitLevel: 4 })).toBe(false);
    expect(cardAlreadyStored(null, { cardCode: stored.cardCode })).toBe(false);
  });

  it('a typed personal ID, and a typed identifier of the wrong kind', async () => {
    const id = newPersonalId('2', '21'); // a child born 2021
    await checkIn(db, desk, {
      identifier: { system: 'PERSONAL_ID', value: id },
      roomCode: 'P01',
      newPatient: { fullName: 'Bé Chế Thị An', dateOfBirth: '2021-06-01', sex: 'F' },
    });
    const r = await checkIn(db, desk, {
      identifier: { system: 'PERSONAL_ID', value: `${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}` },
      roomCode: 'P02',
    });
    expect(r).toMatchObject({
      status: 'created',
      encounter: { identificationMethod: 'TYPED_ID', trustLevel: 'TYPED', priority: 'CHILD' },
    });
    expect(await checkIn(db, desk, { identifier: { system: 'CMND', value: id } })).toMatchObject({
      status: 'invalid',
      code: 'IDENTIFIER_MISMATCH',
    });
  });

  it('a typed hospital code is validated by its schema (issue 10): found in any case, refused when it could inject', async () => {
    const code = `bn-${digits(6)}.1`;
    await db.patient.create({
      data: {
        fullName: 'Chế Thị Mã',
        normalizedName: 'che thi ma',
        birthDate: '1970-01-01',
        birthYear: 1970,
        sex: 'F',
        updatedAt: new Date(),
        identifiers: {
          create: { system: 'HOSPITAL_CODE', value: code.toUpperCase(), assigningFacilityId: desk.facilityId },
        },
      },
    });
    expect(
      await checkIn(db, desk, { identifier: { system: 'HOSPITAL_CODE', value: ` ${code} ` }, roomCode: 'P01' }),
    ).toMatchObject({ status: 'created' });
    for (const value of ['x,012345678901', 'BN|1', 'BN\\1', 'BN$1', 'BN^1', 'A'.repeat(21)]) {
      expect(
        await checkIn(db, desk, { identifier: { system: 'HOSPITAL_CODE', value }, roomCode: 'P01' }),
      ).toMatchObject({
        status: 'invalid',
        code: 'IDENTIFIER_MISMATCH',
        message: expect.stringContaining('Mã người bệnh'),
      });
      expect(checkinSchema.safeParse({ identifier: { system: 'HOSPITAL_CODE', value } }).success).toBe(false); // refused at the API's door too
    }
    // The desk's "BHYT" choice keeps taking the 10-digit mã số BHXH.
    expect(checkinSchema.parse({ identifier: { system: 'BHYT_CARD', value: '58 0100 0123' } }).identifier).toEqual({
      system: 'BHXH_NUMBER',
      value: '5801000123',
    });
  });

  it('an unreadable scan: a clear Vietnamese message and nothing saved', async () => {
    const before = await db.patient.count();
    const r = await checkIn(db, desk, {
      raw: 'https://example.invalid/qr?token=abc',
      roomCode: 'P01',
      newPatient: { fullName: 'Không Lưu', dateOfBirth: '1990-01-01', sex: 'M' },
    });
    expect(r).toMatchObject({ status: 'invalid', message: expect.stringMatching(/[À-ỹ]/) });
    expect(await db.patient.count()).toBe(before);
    expect(await checkIn(db, desk, { raw: canCuoc(newPersonalId()), roomCode: 'NOPE' })).toMatchObject({
      status: 'invalid',
      code: 'UNKNOWN_ROOM',
    });
  });

  it('offers a likely duplicate (same name without tone marks, same birth date, no conflicting ID) and links to it', async () => {
    const legacy = await db.patient.create({
      data: {
        fullName: 'Phạm Thị Đào',
        normalizedName: 'pham thi dao',
        birthDate: '1972-07-09',
        birthYear: 1972,
        sex: 'F',
        updatedAt: new Date(),
        identifiers: {
          create: { system: 'HOSPITAL_CODE', value: `BN${digits(8)}`, assigningFacilityId: desk.facilityId },
        },
      },
    });
    const id = newPersonalId('1', '72');
    const raw = canCuoc(id, 'PHẠM THỊ ĐÀO', '09071972');
    const r = await checkIn(db, desk, { raw, roomCode: 'P01' });
    if (r.status !== 'not-found') throw new Error(r.status);
    expect(r.candidates).toHaveLength(1);
    expect(r.candidates[0]).toMatchObject({
      fullName: 'Phạm Thị Đào',
      birthYear: 1972,
      sex: 'F',
      identifiers: [{ system: 'HOSPITAL_CODE', masked: expect.stringMatching(/^\*+\d{4}$/) }],
    });
    const linked = await checkIn(db, desk, { raw, roomCode: 'P01', samePatientToken: r.candidates[0]!.token });
    expect(linked).toMatchObject({ status: 'created', patient: { id: legacy.id } });
    expect(await db.patientIdentifier.count({ where: { patientId: legacy.id } })).toBe(2);
  });

  it('a returning patient whose card adds nothing (one statement): encounter, its hand-off snapshot and its audit row together; a repeat adds only an audit row', async () => {
    const id = newPersonalId();
    await checkIn(db, desk, {
      raw: canCuoc(id),
      roomCode: 'P01',
      newPatient: { fullName: 'Chế Văn Thử', dateOfBirth: '1958-03-12', sex: 'M' },
    });
    const first = await checkIn(db, desk, { identifier: { system: 'PERSONAL_ID', value: id }, roomCode: 'P02' });
    if (first.status !== 'created') throw new Error(JSON.stringify(first));
    const [message, ...others] = await db.handoffMessage.findMany({ where: { encounterId: first.encounter.id } });
    expect(others).toHaveLength(0);
    expect(message).toMatchObject({ event: 'A04', target: 'HL7V2', status: 'PENDING', payload: null });
    // The snapshot is the encounter as registered: the worker renders the HL7 from it.
    expect(message!.snapshot).toMatchObject({
      id: first.encounter.id,
      number: first.encounter.number,
      roomCode: 'P02',
      fullName: 'Chế Văn Thử',
      identifiers: [{ system: 'PERSONAL_ID', value: id }],
    });
    const repeat = await checkIn(db, desk, { identifier: { system: 'PERSONAL_ID', value: id }, roomCode: 'P02' });
    expect(repeat).toMatchObject({
      status: 'existing',
      encounter: { id: first.encounter.id, queueNumber: first.encounter.queueNumber },
    });
    expect(await db.handoffMessage.count({ where: { encounterId: first.encounter.id } })).toBe(1);
    const audits = await db.auditEvent.findMany({ where: { entityId: first.encounter.id }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.action, a.actorType, a.actorId, a.facilityId, a.patientId])).toEqual([
      ['ENCOUNTER_OPENED', 'API_KEY', desk.id, desk.facilityId, first.patient.id],
      ['ENCOUNTER_RETURNED', 'API_KEY', desk.id, desk.facilityId, first.patient.id],
    ]);
    expect(audits[0]!.details).toEqual({
      method: 'TYPED_ID',
      channel: 'API',
      patient: 'matched:PERSONAL_ID',
      room: 'P02',
      queueNumber: first.encounter.queueNumber,
    });
  });

  it('four desks checking one returning patient into one room at once get one encounter and one hand-off', async () => {
    const id = newPersonalId();
    await checkIn(db, desk, {
      raw: canCuoc(id),
      roomCode: 'P01',
      newPatient: { fullName: 'Chế Văn Thử', dateOfBirth: '1958-03-12', sex: 'M' },
    });
    const second = createDb(inject('databaseUrl'), 4);
    const body = { identifier: { system: 'PERSONAL_ID' as const, value: id }, roomCode: 'P03' };
    const results = await Promise.all([
      checkIn(db, desk, body),
      checkIn(second, desk, body),
      checkIn(db, desk, body),
      checkIn(second, desk, body),
    ]);
    await second.$disconnect();
    expect(results.map((r) => r.status).sort()).toEqual(['created', 'existing', 'existing', 'existing']);
    const encounterIds = new Set(results.map((r) => ('encounter' in r ? r.encounter.id : null)));
    expect(encounterIds.size).toBe(1);
    expect(await db.handoffMessage.count({ where: { encounterId: [...encounterIds][0]! } })).toBe(1);
    expect(await db.auditEvent.count({ where: { entityId: [...encounterIds][0]!, action: 'ENCOUNTER_OPENED' } })).toBe(
      1,
    );
  });

  it("a receptionist's check-in remembers the room as their default, in the same statement", async () => {
    const username = `letan${digits(6)}`;
    const user = await db.user.create({
      data: {
        username,
        fullName: 'Lễ Tân Thử',
        passwordHash: 'x',
        role: 'RECEPTIONIST',
        facilityId: desk.facilityId,
        updatedAt: new Date(),
      },
    });
    const receptionist: Principal = { ...desk, kind: 'USER', id: user.id, name: username };
    const id = newPersonalId();
    await checkIn(db, receptionist, {
      raw: canCuoc(id),
      roomCode: 'P01',
      newPatient: { fullName: 'Chế Văn Thử', dateOfBirth: '1958-03-12', sex: 'M' },
    });
    const r = await checkIn(db, receptionist, {
      identifier: { system: 'PERSONAL_ID', value: id },
      roomCode: 'P03',
      confirmSecondRoom: true,
    });
    if (r.status !== 'created') throw new Error(r.status);
    const room = await db.room.findFirstOrThrow({ where: { facilityId: desk.facilityId, code: 'P03' } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastRoomId).toBe(room.id);
    expect((await db.encounter.findUniqueOrThrow({ where: { id: r.encounter.id } })).createdById).toBe(user.id);
  });

  it('audits every look-up and change without personal data', async () => {
    const id = newPersonalId();
    await checkIn(db, desk, {
      raw: canCuoc(id),
      roomCode: 'P01',
      newPatient: { fullName: 'Chế Văn Thử', dateOfBirth: '1958-03-12', sex: 'M' },
    });
    const patientId = (await db.patientIdentifier.findFirstOrThrow({ where: { value: id } })).patientId;
    const events = await db.auditEvent.findMany({ where: { patientId }, orderBy: { id: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['PATIENT_CREATED', 'ENCOUNTER_OPENED']);
    const text = JSON.stringify(events.map(({ id: _id, ...e }) => e));
    expect(text).not.toContain(id);
    expect(text).not.toContain('Chế Văn Thử');
  });
});
