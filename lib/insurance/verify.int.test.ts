import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDb, testFacility } from '../db/test-helpers';
import { callRoute, testCaller, useTestDatabaseForRoutes } from '../db/test-api';
import type { Db } from '../db/client';
import { normalizeVietnameseName } from '../identity/normalize';
import { localDay, localDayAsDate } from '../time/local-day';
import { GatewayClient, type CardCheckInput } from './gateway-client';
import { startGatewaySimulator, type GatewaySimulator } from './simulator';
import { DEMO_CARDS, DEMO_PEOPLE, type DemoPerson } from './demo-cards';
import { verifyCoverage } from './verify';
import { listUnverified } from './worklist';

const ACCOUNT = { username: '58999_BV', password: 'Synthetic#Pass2' };
const STAFF = { fullName: 'Lê Thị Tân', staffIdNumber: '058190000001' };

let db: Db;
let sim: GatewaySimulator;
let client: GatewayClient;
let facility: { id: string; code: string };
let roomId: string;
let seq = 0;
const check = (input: CardCheckInput) => client.checkCard(input);
const yesterday = new Date(Date.now() - 86_400_000);

async function patientWithCoverage(
  person: DemoPerson,
  coverage: { cardCode?: string | null; bhxhNumber?: string | null } = { bhxhNumber: person.bhxhNumber },
) {
  const patient = await db.patient.create({
    data: {
      fullName: person.fullName,
      normalizedName: normalizeVietnameseName(person.fullName),
      birthDate: person.dateOfBirth,
      birthYear: Number(person.dateOfBirth.slice(0, 4)),
      sex: person.sex,
      identifiers: {
        create: [{ system: 'PERSONAL_ID', value: `${person.personalId.slice(0, 6)}${String(++seq).padStart(6, '0')}` }],
      },
    },
  });
  const cov = await db.coverage.create({
    data: { patientId: patient.id, cardCode: coverage.cardCode ?? null, bhxhNumber: coverage.bhxhNumber ?? null },
  });
  return { patientId: patient.id, coverageId: cov.id };
}

async function encounter(
  patientId: string,
  coverageId: string | null,
  at = new Date(),
  extra: { payer?: 'BHYT' | 'SELF_PAY'; bhytVerification?: 'UNVERIFIED' | 'VERIFIED' | null; roomId?: string } = {},
) {
  seq += 1;
  return db.encounter.create({
    data: {
      number: `T-${facility.code}-${seq}-${Date.now()}`,
      facilityId: facility.id,
      patientId,
      roomId: extra.roomId ?? roomId,
      coverageId,
      localDate: localDayAsDate(at),
      queueNumber: seq,
      checkedInAt: at,
      payer: extra.payer ?? 'BHYT',
      bhytVerification: extra.bhytVerification === undefined ? 'UNVERIFIED' : extra.bhytVerification,
      identificationMethod: 'TYPED_BHYT',
      trustLevel: 'TYPED',
    },
  });
}

beforeAll(async () => {
  db = testDb();
  facility = await testFacility(db);
  roomId = (
    await db.room.create({
      data: { facilityId: facility.id, code: 'P01', name: 'Phòng khám Nội 1', department: 'Khoa Khám bệnh' },
    })
  ).id;
  sim = await startGatewaySimulator({
    account: ACCOUNT,
    cards: DEMO_CARDS,
    staff: [{ fullName: STAFF.fullName, cccd: STAFF.staffIdNumber }],
  });
  client = new GatewayClient({
    baseUrl: sim.url,
    ...ACCOUNT,
    checkTimeoutMs: 2000,
    tokenTimeoutMs: 2000,
    bodyFormat: 'json',
  });
});
afterAll(async () => {
  await sim.close();
  await db.$disconnect();
});
beforeEach(() => {
  sim.setFaults({});
  sim.requests.length = 0;
});

describe('verifyCoverage', () => {
  it("VERIFIED: stores the card the gateway returns and marks today's encounters only", async () => {
    const person = DEMO_PEOPLE[0]!;
    const { patientId, coverageId } = await patientWithCoverage(person);
    const today = await encounter(patientId, coverageId);
    const before = await encounter(patientId, coverageId, yesterday);
    const outcome = await verifyCoverage(db, { coverageId }, STAFF, { check });
    expect(outcome).toMatchObject({
      status: 'VERIFIED',
      resultCode: '000',
      verification: 'VERIFIED',
      encountersUpdated: 1,
    });

    const cov = await db.coverage.findUniqueOrThrow({ where: { id: coverageId } });
    expect(cov).toMatchObject({
      verification: 'VERIFIED',
      gatewayResultCode: '000',
      gatewayMessage: 'Thẻ BHYT hợp lệ (thông tin thẻ chính xác).',
      cardCode: 'GD4585812345601',
      bhxhNumber: '5812345601',
      benefitLevel: 4,
      registeredFacility: '58999',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      fiveYearsFrom: '2024-01-01',
    });
    expect(cov.verifiedAt).toBeInstanceOf(Date);
    expect((await db.encounter.findUniqueOrThrow({ where: { id: today.id } })).bhytVerification).toBe('VERIFIED');
    expect((await db.encounter.findUniqueOrThrow({ where: { id: before.id } })).bhytVerification).toBe('UNVERIFIED');

    const sent = sim.requests.find((r) => r.endpoint === 'check')!;
    expect(sent.body).toMatchObject({
      maThe: person.bhxhNumber,
      hoTenCb: STAFF.fullName,
      cccdCb: STAFF.staffIdNumber,
      ngaySinh: '12/03/1986',
    });

    const events = await db.auditEvent.findMany({ where: { entityId: coverageId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'BHYT_VERIFIED', outcome: 'SUCCESS', patientId, entityType: 'Coverage' });
    const details = JSON.stringify(events[0]!.details);
    for (const secret of [person.bhxhNumber, person.cardCode, person.fullName, STAFF.staffIdNumber, STAFF.fullName])
      expect(details).not.toContain(secret);
  });

  it('REJECTED: expired card', async () => {
    const { patientId, coverageId } = await patientWithCoverage(DEMO_PEOPLE[3]!, {
      cardCode: DEMO_PEOPLE[3]!.cardCode,
    });
    const enc = await encounter(patientId, coverageId);
    const outcome = await verifyCoverage(db, { coverageId }, STAFF, { check });
    expect(outcome).toMatchObject({ status: 'REJECTED', resultCode: '010', verification: 'REJECTED' });
    expect((await db.encounter.findUniqueOrThrow({ where: { id: enc.id } })).bhytVerification).toBe('REJECTED');
    expect((await db.coverage.findUniqueOrThrow({ where: { id: coverageId } })).cardCode).toBe(
      DEMO_PEOPLE[3]!.cardCode,
    );
    expect(await db.auditEvent.count({ where: { entityId: coverageId, action: 'BHYT_REJECTED' } })).toBe(1);
  });

  it('003: keeps the newly issued card', async () => {
    const { coverageId } = await patientWithCoverage(DEMO_PEOPLE[2]!, { cardCode: DEMO_PEOPLE[2]!.cardCode });
    await verifyCoverage(db, { coverageId }, STAFF, { check });
    expect(await db.coverage.findUniqueOrThrow({ where: { id: coverageId } })).toMatchObject({
      verification: 'VERIFIED',
      cardCode: 'TE1585812345699',
      benefitLevel: 1,
      validFrom: '2026-02-14',
      validTo: '2027-09-30',
    });
  });

  it('UNAVAILABLE keeps the encounter UNVERIFIED and never downgrades a verdict', async () => {
    const { patientId, coverageId } = await patientWithCoverage(DEMO_PEOPLE[5]!);
    const enc = await encounter(patientId, coverageId);
    sim.setFaults({ http500: true });
    const first = await verifyCoverage(db, { coverageId }, STAFF, { check });
    expect(first).toMatchObject({ status: 'UNAVAILABLE', verification: 'UNVERIFIED', encountersUpdated: 0 });
    expect(await db.coverage.findUniqueOrThrow({ where: { id: coverageId } })).toMatchObject({
      verification: 'UNVERIFIED',
      gatewayResultCode: '500',
      verifiedAt: null,
    });
    expect((await db.encounter.findUniqueOrThrow({ where: { id: enc.id } })).bhytVerification).toBe('UNVERIFIED');
    expect(
      await db.auditEvent.count({ where: { entityId: coverageId, action: 'BHYT_UNAVAILABLE', outcome: 'FAILURE' } }),
    ).toBe(1);

    sim.setFaults({});
    expect((await verifyCoverage(db, { coverageId }, STAFF, { check })).verification).toBe('VERIFIED');
    sim.setFaults({ dropConnection: true });
    const again = await verifyCoverage(db, { coverageId }, STAFF, { check });
    expect(again).toMatchObject({ status: 'UNAVAILABLE', verification: 'VERIFIED' });
    expect(await db.coverage.findUniqueOrThrow({ where: { id: coverageId } })).toMatchObject({
      verification: 'VERIFIED',
      gatewayResultCode: '000',
    });
    expect((await db.encounter.findUniqueOrThrow({ where: { id: enc.id } })).bhytVerification).toBe('VERIFIED');
  });

  it('staff not registered with BHXH (054) is a configuration error, not a verdict', async () => {
    const { coverageId } = await patientWithCoverage(DEMO_PEOPLE[0]!);
    const outcome = await verifyCoverage(
      db,
      { coverageId },
      { fullName: 'Hồ Văn Trợ', staffIdNumber: '058090009999' },
      { check },
    );
    expect(outcome).toMatchObject({
      status: 'UNAVAILABLE',
      resultCode: '054',
      configError: true,
      verification: 'UNVERIFIED',
    });
  });

  it('looks up by personal ID when the coverage has no card number', async () => {
    const person = DEMO_PEOPLE[0]!;
    const { coverageId, patientId } = await patientWithCoverage(person, {});
    await db.patientIdentifier.updateMany({ where: { patientId }, data: { value: person.personalId } });
    expect((await verifyCoverage(db, { coverageId }, STAFF, { check })).status).toBe('VERIFIED');
    expect(sim.requests.find((r) => r.endpoint === 'check')!.body.maThe).toBe(person.personalId);
  });

  it('concurrent re-verifications of one coverage make one gateway call', async () => {
    const { coverageId } = await patientWithCoverage(DEMO_PEOPLE[1]!);
    sim.setFaults({ delayMs: 150 });
    const results = await Promise.all([1, 2, 3].map(() => verifyCoverage(db, { coverageId }, STAFF, { check })));
    expect(results.map((r) => r.status)).toEqual(['VERIFIED', 'VERIFIED', 'VERIFIED']);
    expect(results[0]!.manualCheck).toBe(true); // 001: BQP card, check papers by hand
    expect(sim.requests.filter((r) => r.endpoint === 'check')).toHaveLength(1);
    expect(await db.auditEvent.count({ where: { entityId: coverageId } })).toBe(1);
  });

  it('an unknown coverage is not found: a route answers 404 with the Vietnamese message (it was a 500)', async () => {
    const missing = { coverageId: '00000000-0000-4000-8000-000000000000' };
    const message = 'Không tìm thấy thẻ BHYT cần xác minh.';
    await expect(verifyCoverage(db, missing, STAFF, { check })).rejects.toMatchObject({
      kind: 'not-found',
      code: 'NOT_FOUND',
      message,
    });
    useTestDatabaseForRoutes();
    const { apiRoute } = await import('@/app/_lib/guard');
    const route = apiRoute({ area: 'desk' }, async () =>
      Response.json(await verifyCoverage(db, missing, STAFF, { check })),
    );
    const answer = await callRoute(
      route,
      await testCaller(db, facility.id, 'RECEPTIONIST'),
      'GET',
      '/api/v1/bhyt/verify',
    );
    expect({ status: answer.status, body: answer.json }).toEqual({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message } },
    });
  });
});

describe('listUnverified', () => {
  it("lists the day's unverified BHYT encounters of the facility, card masked", async () => {
    const other = await testFacility(db);
    const { patientId, coverageId } = await patientWithCoverage(DEMO_PEOPLE[4]!, {
      cardCode: DEMO_PEOPLE[4]!.cardCode,
    });
    const wanted = await encounter(patientId, coverageId);
    const [p2, p3] = await Promise.all(
      ['P02', 'P03'].map((code) =>
        db.room.create({ data: { facilityId: facility.id, code, name: code, department: 'Khoa Khám bệnh' } }),
      ),
    );
    await encounter(patientId, null, new Date(), { payer: 'SELF_PAY', bhytVerification: null, roomId: p2!.id });
    await encounter(patientId, coverageId, new Date(), { bhytVerification: 'VERIFIED', roomId: p3!.id });
    await encounter(patientId, coverageId, yesterday);
    const items = (await listUnverified(db, facility.id, localDay())).filter((i) => i.patientId === patientId);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      encounterId: wanted.id,
      coverageId,
      fullName: 'Lý Minh Tài',
      cardMasked: 'DN401******5605',
      room: { code: 'P01', name: 'Phòng khám Nội 1' },
      queueNumber: wanted.queueNumber,
    });
    expect(items[0]!.time).toMatch(/^\d{2}:\d{2}$/);
    expect(await listUnverified(db, other.id, localDay())).toEqual([]);
  });
});
