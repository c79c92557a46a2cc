import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { inject } from 'vitest';
import type { Db } from '../db/client';
import { createDb } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import type { KioskPrincipal, Principal } from '../auth/roles';
import { checkIn } from '../encounters/check-in';
import { bhytNewPayload, cccdPayload } from '../identity/test-fixtures';
import { GatewayClient, type CardCheckInput } from '../insurance/gateway-client';
import { startGatewaySimulator, type GatewaySimulator, type SimCard } from '../insurance/simulator';
import {
  kioskFromToken,
  kioskSetup,
  listKiosks,
  pairKiosk,
  registerKiosk,
  renewPairingCode,
  setKioskDisabled,
  updateKiosk,
} from './devices';
import { kioskCheckIn, kioskEndVisit, kioskReprint, kioskRooms, kioskScan, printableTicket } from './flow';
import { kioskFigures } from './visits';

const ACCOUNT = { username: '58999_BV', password: 'Kiosk#Sim1' };
const STAFF = { fullName: 'Lê Thị Kiốt', staffIdNumber: '058190000077' };

let db: Db;
let sim: GatewaySimulator;
let facility: { id: string; code: string };
let admin: Principal;
let kiosk: KioskPrincipal;
let other: { id: string; code: string };
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
const newId = () => `0581${digits(2)}${digits(6)}`;
const vnDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

type Person = { id: string; name: string; dob: string; sex: 'Nam' | 'Nữ' };
const person = (name: string, dob = '1968-04-21', sex: 'Nam' | 'Nữ' = 'Nữ'): Person => ({
  id: newId(),
  name,
  dob,
  sex,
});
const qr = (p: Person) =>
  cccdPayload({
    id: p.id,
    name: p.name,
    dob: p.dob.split('-').reverse().join(''),
    sex: p.sex,
    address: 'Khu phố 3, Phường Đô Vinh, Tỉnh Khánh Hòa',
    issued: '15082024',
    layout: '2024',
  });
/** A card the simulated gateway knows by the person's ID number (and its code), answering `resultCode`. */
function simCard(p: Person, resultCode = '000'): SimCard & { code: string } {
  const code = `HT3585${digits(9)}`;
  return {
    code,
    resultCode,
    keys: [p.id, code, code.slice(5)],
    data: {
      maThe: code,
      hoTen: p.name.toLocaleUpperCase('vi-VN'),
      ngaySinh: vnDate(p.dob),
      gioiTinh: p.sex,
      maDKBD: '58999',
      gtTheTu: '01/01/2026',
      gtTheDen: '31/12/2026',
      maSoBHXH: code.slice(5),
      cqBHXH: 'BHXH (mô phỏng)',
      maKV: '',
      ngayDu5Nam: '',
      maTheCu: '',
      maTheMoi: '',
    },
  };
}
let cards: SimCard[] = [];
const client = () =>
  new GatewayClient({ baseUrl: sim.url, ...ACCOUNT, checkTimeoutMs: 2000, tokenTimeoutMs: 2000, bodyFormat: 'json' });
const deps = () => ({ checkCard: (q: CardCheckInput) => client().checkCard(q) });

async function scanAndCheckIn(
  p: Person | string,
  extra: Partial<{ roomCode: string; payer: 'BHYT' | 'SELF_PAY'; cardRaw: string; source: 'VNEID' }> = {},
  who = kiosk,
  d = db,
) {
  const raw = typeof p === 'string' ? p : qr(p);
  const scan = await kioskScan(d, who, { raw, source: extra.source });
  const result = await kioskCheckIn(
    d,
    who,
    {
      visitId: scan.visitId,
      raw,
      roomCode: extra.roomCode ?? 'K1',
      payer: extra.payer ?? 'SELF_PAY',
      cardRaw: extra.cardRaw,
      source: extra.source,
    },
    new Date(),
    deps(),
  );
  return { scan, result };
}

beforeAll(async () => {
  db = testDb();
  facility = await testFacility(db);
  other = await testFacility(db);
  await db.room.createMany({
    data: ['K1', 'K2', 'K3'].map((code) => ({
      facilityId: facility.id,
      code,
      name: `Phòng khám ${code}`,
      department: 'Khoa Khám bệnh',
    })),
  });
  await db.room.create({ data: { facilityId: other.id, code: 'X1', name: 'Phòng nơi khác', department: 'Khác' } });
  const staff = await db.user.create({
    data: {
      facilityId: facility.id,
      username: `kiosk-staff-${facility.code}`,
      fullName: STAFF.fullName,
      staffIdNumber: STAFF.staffIdNumber,
      role: 'RECEPTIONIST',
      passwordHash: 'x',
    },
  });
  admin = {
    kind: 'USER',
    id: staff.id,
    name: 'admin',
    role: 'ADMIN',
    facilityId: facility.id,
    facilityCode: facility.code,
  };
  const { pairingCode } = await registerKiosk(db, admin, {
    name: 'Sảnh A',
    roomCodes: ['K1', 'K2'],
    offersBhyt: true,
    offersSelfPay: true,
    bhytStaffId: staff.id,
  });
  kiosk = (await pairKiosk(db, pairingCode.toLowerCase(), null))!.kiosk;
  sim = await startGatewaySimulator({
    account: ACCOUNT,
    cards: [],
    staff: [{ fullName: STAFF.fullName, cccd: STAFF.staffIdNumber }],
  });
});
afterAll(async () => {
  await sim.close();
  await db.$disconnect();
});
beforeEach(() => {
  sim.setFaults({});
  sim.setCards(cards);
});

describe('kiosk devices', () => {
  it('pairs once with the one-time code; the token identifies the kiosk; a used, wrong or expired code does nothing', async () => {
    const { id, pairingCode } = await registerKiosk(db, admin, {
      name: 'Sảnh B',
      roomCodes: ['K3'],
      offersBhyt: false,
      offersSelfPay: true,
      bhytStaffId: null,
    });
    expect(pairingCode).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(await pairKiosk(db, 'AAAAA-AAAAA', '10.0.0.9')).toBeNull();
    const paired = await pairKiosk(db, ` ${pairingCode.replace('-', ' ')} `, '10.0.0.9');
    expect(paired?.kiosk).toMatchObject({ kind: 'KIOSK', id, name: 'Sảnh B', facilityId: facility.id });
    expect(await pairKiosk(db, pairingCode, null)).toBeNull(); // one use
    expect(await kioskFromToken(db, paired!.token)).toMatchObject({ kind: 'KIOSK', id });
    expect(await kioskFromToken(db, `${paired!.token.slice(0, -1)}x`)).toBeNull();
    const row = await db.kiosk.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(row)).not.toContain(paired!.token); // only its hash is stored
    expect(JSON.stringify(row)).not.toContain(pairingCode);
    const code = await renewPairingCode(db, admin, id, new Date(Date.now() - 25 * 3600_000)); // issued 25 h ago: expired
    expect(await pairKiosk(db, code!, null)).toBeNull();
    const audits = await db.auditEvent.findMany({
      where: { OR: [{ entityId: id }, { action: 'KIOSK_PAIRING_FAILED', ip: '10.0.0.9' }] },
      orderBy: { id: 'asc' },
    });
    expect(audits.map((a) => a.action)).toEqual([
      'KIOSK_REGISTERED',
      'KIOSK_PAIRING_FAILED',
      'KIOSK_PAIRED',
      'KIOSK_PAIRING_CODE',
    ]);
  });

  it('pairing again replaces the device (the old browser is refused); disabling refuses at once, enabling restores', async () => {
    const { id, pairingCode } = await registerKiosk(db, admin, {
      name: 'Sảnh C',
      roomCodes: ['K1'],
      offersBhyt: false,
      offersSelfPay: true,
      bhytStaffId: null,
    });
    const first = (await pairKiosk(db, pairingCode, null))!;
    const second = (await pairKiosk(db, (await renewPairingCode(db, admin, id))!, null))!;
    expect(await kioskFromToken(db, first.token)).toBeNull();
    expect(await kioskFromToken(db, second.token)).not.toBeNull();
    expect(await setKioskDisabled(db, admin, id, true)).toBe(true);
    expect(await kioskFromToken(db, second.token)).toBeNull();
    expect(await pairKiosk(db, (await renewPairingCode(db, admin, id))!, null)).toBeNull(); // no pairing while disabled
    await setKioskDisabled(db, admin, id, false);
    expect(await kioskFromToken(db, second.token)).not.toBeNull();
    expect((await listKiosks(db, facility.id)).find((k) => k.id === id)).toMatchObject({
      paired: true,
      disabledAt: null,
      roomCodes: ['K1'],
    });
  });

  it("settings name only the facility's own rooms and staff; another facility's admin cannot touch the kiosk", async () => {
    await expect(
      registerKiosk(db, admin, {
        name: 'Sảnh D',
        roomCodes: ['X1'],
        offersBhyt: false,
        offersSelfPay: true,
        bhytStaffId: null,
      }),
    ).rejects.toThrow(/X1/);
    const foreign: Principal = { ...admin, facilityId: other.id, facilityCode: other.code };
    expect(await setKioskDisabled(db, foreign, kiosk.id, true)).toBe(false);
    expect(await renewPairingCode(db, foreign, kiosk.id)).toBeNull();
    expect(
      await updateKiosk(db, foreign, kiosk.id, {
        name: 'x',
        roomCodes: ['X1'],
        offersBhyt: false,
        offersSelfPay: true,
        bhytStaffId: null,
      }),
    ).toBe(false);
    expect((await kioskSetup(db, kiosk.id)).rooms.map((r) => r.code)).toEqual(['K1', 'K2']);
  });
});

describe('kiosk check-in', () => {
  it('new patient from a Căn cước QR: name and birth year only, then a ticket with a QR of the encounter number; the visit ends as TICKET', async () => {
    const p = person('Trượng Thị Kiều Mới', '1968-04-21');
    const { scan, result } = await scanAndCheckIn(p);
    expect(scan).toEqual({
      visitId: expect.any(String),
      person: { name: 'Trượng Thị Kiều Mới', birthYear: 1968 },
      checkedInToday: false,
    });
    if (result.kind !== 'ticket') throw new Error(JSON.stringify(result));
    expect(result.created).toBe(true);
    expect(result.ticket).toMatchObject({
      room: { code: 'K1' },
      payer: 'SELF_PAY',
      reprint: false,
      facilityName: `Cơ sở thử ${facility.code}`,
    });
    expect(result.ticket.qrSvg).toMatch(/^<svg/);
    expect(JSON.stringify(result.ticket)).not.toContain(p.id);
    const encounter = await db.encounter.findUniqueOrThrow({ where: { id: result.ticket.encounterId } });
    expect(encounter).toMatchObject({ channel: 'KIOSK', identificationMethod: 'CCCD_QR' });
    expect(await db.kioskVisit.findUniqueOrThrow({ where: { id: scan.visitId } })).toMatchObject({
      outcome: 'TICKET',
      encounterId: encounter.id,
      kioskId: kiosk.id,
    });
    // The ticket page prints it for this kiosk only, and only an encounter the kiosk gave out.
    expect(await printableTicket(db, kiosk, encounter.id)).toMatchObject({
      queueNumber: encounter.queueNumber,
      room: { code: 'K1' },
    });
    const { pairingCode } = await registerKiosk(db, admin, {
      name: 'Sảnh in',
      roomCodes: ['K1'],
      offersBhyt: false,
      offersSelfPay: true,
      bhytStaffId: null,
    });
    const neighbour = (await pairKiosk(db, pairingCode, null))!.kiosk;
    expect(await printableTicket(db, neighbour, encounter.id)).toBeNull();
    const desk: Principal = { ...admin, role: 'RECEPTIONIST' };
    const atDesk = await checkIn(db, desk, {
      identifier: { system: 'PERSONAL_ID', value: newId() },
      newPatient: { fullName: 'Quầy Thị Khác', dateOfBirth: '1970-01-01', sex: 'F' },
      roomCode: 'K1',
    });
    if (atDesk.status !== 'created') throw new Error(atDesk.status);
    expect(await printableTicket(db, kiosk, atDesk.encounter.id)).toBeNull();
  });

  it('returning patient, then the same day again: the same number is printed again (REPRINT)', async () => {
    const p = person('Bá Văn Quen', '1955-01-01', 'Nam');
    const first = await scanAndCheckIn(p, { roomCode: 'K2' });
    if (first.result.kind !== 'ticket') throw new Error('no ticket');
    const scan = await kioskScan(db, kiosk, { raw: qr(p) });
    expect(scan).toMatchObject({ person: { name: 'Bá Văn Quen', birthYear: 1955 }, checkedInToday: true });
    const again = await kioskReprint(db, kiosk, { visitId: scan.visitId, raw: qr(p) });
    if (again.kind !== 'ticket') throw new Error(JSON.stringify(again));
    expect(again.ticket).toMatchObject({
      encounterId: first.result.ticket.encounterId,
      queueNumber: first.result.ticket.queueNumber,
      reprint: true,
    });
    // Choosing a room anyway does not open a second encounter.
    const other = await kioskCheckIn(db, kiosk, {
      visitId: scan.visitId,
      raw: qr(p),
      roomCode: 'K1',
      payer: 'SELF_PAY',
    });
    expect(other).toMatchObject({ kind: 'ticket', ticket: { encounterId: first.result.ticket.encounterId } });
    expect(await db.encounter.count({ where: { id: first.result.ticket.encounterId } })).toBe(1);
    expect(await db.kioskVisit.findUniqueOrThrow({ where: { id: scan.visitId } })).toMatchObject({
      outcome: 'REPRINT',
    });
  });

  it('sends to the counter: a typed number, a BHYT card alone, an unreadable QR, a conflict, a record that disagrees, a likely duplicate', async () => {
    const p = person('Kiều Văn Gõ', '1980-02-02', 'Nam');
    expect(await kioskScan(db, kiosk, { raw: p.id })).toMatchObject({ counter: 'TYPED_NUMBER' });
    const bhyt = bhytNewPayload({
      code: `HT3585${digits(9)}`,
      name: 'Kiều Văn Gõ',
      dob: '02/02/1980',
      sex: '1',
      facility: '58 - 999',
      from: '01/01/2026',
      to: '31/12/2026',
      issued: '01/01/2026',
      mgmt: '58999000000002',
      five: '-',
      level: '3',
    });
    expect(await kioskScan(db, kiosk, { raw: bhyt })).toMatchObject({ counter: 'BHYT_ONLY' });
    expect(await kioskScan(db, kiosk, { raw: 'eyJhbGciOiJFUzI1NiJ9.SYNTHETIC.SYNTHETIC' })).toMatchObject({
      counter: 'UNREADABLE',
    });
    // Conflict: the card's personal ID is one record, its old CMND another.
    const cmnd = digits(9);
    const a = person('Đinh Văn Hai', '1970-07-07', 'Nam');
    const desk: Principal = { ...admin, role: 'RECEPTIONIST' };
    await checkIn(db, desk, {
      identifier: { system: 'PERSONAL_ID', value: a.id },
      newPatient: { fullName: a.name, dateOfBirth: a.dob, sex: 'M' },
      roomCode: 'K3',
    });
    await checkIn(db, desk, {
      identifier: { system: 'CMND', value: cmnd },
      newPatient: { fullName: a.name, dateOfBirth: a.dob, sex: 'M' },
      roomCode: 'K3',
    });
    const conflict = cccdPayload({
      id: a.id,
      cmnd,
      name: a.name,
      dob: '07071970',
      sex: 'Nam',
      address: 'Xã Phước Hà',
      issued: '01012022',
    });
    expect(await kioskScan(db, kiosk, { raw: conflict })).toMatchObject({ counter: 'IDENTITY_CONFLICT' });
    // The record found by the card's number has another birth date.
    const b = person('Mang Thị Lệch', '1990-09-09');
    await checkIn(db, desk, {
      identifier: { system: 'PERSONAL_ID', value: b.id },
      newPatient: { fullName: b.name, dateOfBirth: '1991-09-09', sex: 'F' },
      roomCode: 'K3',
    });
    expect(await kioskScan(db, kiosk, { raw: qr(b) })).toMatchObject({ counter: 'RECORD_MISMATCH' });
    // Same name and birth date on a record without this card.
    const c = person('Chamaléa Thị Trùng', '1985-05-05');
    await checkIn(db, desk, { newPatient: { fullName: c.name, dateOfBirth: c.dob, sex: 'F' }, roomCode: 'K3' });
    const dup = await scanAndCheckIn(c);
    expect(dup.scan).toMatchObject({ counter: 'LIKELY_DUPLICATE' });
    expect(dup.result).toEqual({ kind: 'counter', reason: 'LIKELY_DUPLICATE' }); // check-in refuses too
    expect(await db.patientIdentifier.count({ where: { value: c.id } })).toBe(0);
    // Nothing was created from any of these.
    expect(await db.patientIdentifier.count({ where: { value: p.id } })).toBe(0);
    const visits = await db.kioskVisit.findMany({
      where: { kioskId: kiosk.id, outcome: 'COUNTER' },
      select: { reason: true },
    });
    expect(visits.map((v) => v.reason)).toEqual(
      expect.arrayContaining([
        'TYPED_NUMBER',
        'BHYT_ONLY',
        'UNREADABLE',
        'IDENTITY_CONFLICT',
        'RECORD_MISMATCH',
        'LIKELY_DUPLICATE',
      ]),
    );
  });

  it("BHYT confirmed by the gateway with the personal ID: coverage stored from the gateway's card, encounter verified", async () => {
    const p = person('Sử Thị Bảo Hiểm', '1962-03-03');
    const card = simCard(p);
    cards = [...cards, card];
    sim.setCards(cards);
    const { result } = await scanAndCheckIn(p, { payer: 'BHYT' });
    if (result.kind !== 'ticket') throw new Error(JSON.stringify(result));
    expect(result.ticket.payer).toBe('BHYT');
    const e = await db.encounter.findUniqueOrThrow({
      where: { id: result.ticket.encounterId },
      include: { coverage: true },
    });
    expect(e).toMatchObject({
      payer: 'BHYT',
      bhytVerification: 'VERIFIED',
      coverage: { cardCode: card.code, verification: 'VERIFIED', gatewayResultCode: '000' },
    });
    const asked = sim.requests.filter((r) => r.endpoint === 'check').at(-1)!;
    expect(JSON.stringify(asked)).toContain(p.id);
    expect(JSON.stringify(asked)).toContain(STAFF.staffIdNumber);
  });

  it('BHYT rejected (expired card): no encounter yet, the person can take a number as self-pay', async () => {
    const p = person('Hạn Văn Hết', '1950-10-10', 'Nam');
    cards = [...cards, simCard(p, '010')];
    sim.setCards(cards);
    const scan = await kioskScan(db, kiosk, { raw: qr(p) });
    const refused = await kioskCheckIn(
      db,
      kiosk,
      { visitId: scan.visitId, raw: qr(p), roomCode: 'K1', payer: 'BHYT' },
      new Date(),
      deps(),
    );
    expect(refused).toEqual({ kind: 'bhyt', status: 'REJECTED', resultCode: '010', canSelfPay: true });
    expect(await db.patientIdentifier.count({ where: { value: p.id } })).toBe(0); // nothing opened
    const selfPay = await kioskCheckIn(
      db,
      kiosk,
      { visitId: scan.visitId, raw: qr(p), roomCode: 'K1', payer: 'SELF_PAY' },
      new Date(),
      deps(),
    );
    expect(selfPay).toMatchObject({ kind: 'ticket', ticket: { payer: 'SELF_PAY' } });
  });

  it('gateway down: UNAVAILABLE, and the counter is recorded when chosen', async () => {
    const p = person('Mạng Thị Đứt', '1977-07-17');
    sim.setFaults({ http500: true });
    const scan = await kioskScan(db, kiosk, { raw: qr(p) });
    const r = await kioskCheckIn(
      db,
      kiosk,
      { visitId: scan.visitId, raw: qr(p), roomCode: 'K1', payer: 'BHYT' },
      new Date(),
      deps(),
    );
    expect(r).toMatchObject({ kind: 'bhyt', status: 'UNAVAILABLE' });
    await kioskEndVisit(db, kiosk, scan.visitId, { outcome: 'COUNTER', reason: 'BHYT_UNAVAILABLE' });
    expect(await db.kioskVisit.findUniqueOrThrow({ where: { id: scan.visitId } })).toMatchObject({
      outcome: 'COUNTER',
      reason: 'BHYT_UNAVAILABLE',
    });
  });

  it("a BHYT card scanned next must be the same person's", async () => {
    const p = person('Chủ Thị Thẻ', '1966-06-16');
    const card = bhytNewPayload({
      code: `HT3585${digits(9)}`,
      name: 'Người Khác Hẳn',
      dob: '16/06/1966',
      sex: '2',
      facility: '58 - 999',
      from: '01/01/2026',
      to: '31/12/2026',
      issued: '01/01/2026',
      mgmt: '58999000000003',
      five: '-',
      level: '3',
    });
    const { result } = await scanAndCheckIn(p, { payer: 'BHYT', cardRaw: card });
    expect(result).toEqual({ kind: 'counter', reason: 'CARD_MISMATCH' });
    const notACard = await scanAndCheckIn(p, { payer: 'BHYT', cardRaw: qr(p) });
    expect(notACard.result).toMatchObject({ kind: 'invalid', code: 'NOT_BHYT_CARD' });
  });

  it("only the kiosk's rooms and payers", async () => {
    const p = person('Lạc Văn Phòng', '1999-09-19', 'Nam');
    expect((await scanAndCheckIn(p, { roomCode: 'K3' })).result).toMatchObject({
      kind: 'invalid',
      code: 'ROOM_NOT_OFFERED',
    });
    expect((await scanAndCheckIn(p, { roomCode: 'X1' })).result).toMatchObject({
      kind: 'invalid',
      code: 'ROOM_NOT_OFFERED',
    });
  });

  it('two kiosks at once for the same person: one patient, one encounter, the same number on both tickets', async () => {
    const p = person('Song Thị Đôi', '1975-05-15');
    const { pairingCode } = await registerKiosk(db, admin, {
      name: 'Sảnh E',
      roomCodes: ['K1', 'K2'],
      offersBhyt: true,
      offersSelfPay: true,
      bhytStaffId: admin.id,
    });
    const second = (await pairKiosk(db, pairingCode, null))!.kiosk;
    const db2 = createDb(inject('databaseUrl'), 4); // another app instance
    const results = await Promise.all([
      scanAndCheckIn(p, {}, kiosk, db),
      scanAndCheckIn(p, {}, second, db2),
      scanAndCheckIn(p, {}, kiosk, db2),
      scanAndCheckIn(p, {}, second, db),
    ]);
    await db2.$disconnect();
    const tickets = results.map((r) => (r.result.kind === 'ticket' ? r.result.ticket : null));
    expect(new Set(tickets.map((t) => t?.encounterId)).size).toBe(1);
    expect(new Set(tickets.map((t) => t?.queueNumber)).size).toBe(1);
    expect(results.filter((r) => r.result.kind === 'ticket' && r.result.created)).toHaveLength(1);
    expect(await db.patientIdentifier.count({ where: { value: p.id } })).toBe(1);
  });

  it("rooms with today's waiting counts; figures: scans, tickets, completion rate, reasons", async () => {
    const before = await kioskRooms(db, kiosk);
    expect(before.map((r) => r.code)).toEqual(['K1', 'K2']);
    await scanAndCheckIn(person('Chờ Văn Đếm', '1988-08-08', 'Nam'), { roomCode: 'K2' });
    const after = await kioskRooms(db, kiosk);
    expect(after[1]!.waiting).toBe(before[1]!.waiting + 1);
    expect(Object.keys(after[0]!).sort()).toEqual(['code', 'department', 'name', 'waiting']);
    const abandoned = await kioskScan(db, kiosk, { raw: qr(person('Bỏ Thị Dở')) });
    await kioskEndVisit(db, kiosk, abandoned.visitId, { outcome: 'ABANDONED' });
    const f = await kioskFigures(
      db,
      facility.id,
      new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }),
    );
    const visits = await db.kioskVisit.groupBy({ by: ['outcome'], where: { facilityId: facility.id }, _count: true });
    const n = (o: string | null) => visits.find((v) => v.outcome === o)?._count ?? 0;
    expect(f.scans).toBe(visits.reduce((s, v) => s + v._count, 0));
    expect(f.tickets).toBe(n('TICKET') + n('REPRINT'));
    expect(f.completionRate).toBeCloseTo(f.tickets / f.scans);
    expect(f.counterReasons.LIKELY_DUPLICATE).toBeGreaterThanOrEqual(1);
    expect(f.counterReasons.BHYT_UNAVAILABLE).toBe(1);
    expect(f.abandoned).toBe(f.scans - f.tickets - f.counter - f.emergency);
  });
});
