import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { testDb, testFacility } from '../db/test-helpers';
import type { Principal } from '../auth/roles';
import { intakeForDay, intakeWithComparison } from './intake';
import { generateWeeklyReport, previousWeekStart, weekStartOf } from './weekly';
import { dayWorkbook, weeklyWorkbook } from './excel';
import { weeklyReportDue } from './schedule';
import { helpdeskCounts, recordHelpdesk } from '../helpdesk/log';
import type { WeeklyData } from './weekly';

const db = testDb();
let facilityId: string;
let rooms: string[];
let n = 0;

async function encounter(
  at: string,
  localDate: string,
  o: Partial<{
    room: number;
    method: 'CCCD_QR' | 'VNEID' | 'TYPED_ID';
    payer: 'BHYT' | 'SELF_PAY';
    verification: 'VERIFIED' | 'UNVERIFIED';
    status: 'CANCELLED' | 'CHECKED_IN';
    deliveredAfterS: number;
    failed: boolean;
    channel: 'DESK' | 'KIOSK' | 'API';
  }> = {},
) {
  n++;
  // One patient per visit: the schema allows one live visit per patient, room and day.
  const patientId = (
    await db.patient.create({
      data: { fullName: 'Người Thử', normalizedName: 'nguoi thu', birthDate: '1990', birthYear: 1990 },
    })
  ).id;
  const e = await db.encounter.create({
    data: {
      number: `${facilityId.slice(0, 8)}-${n}`,
      facilityId,
      patientId,
      roomId: rooms[o.room ?? 0]!,
      localDate: new Date(`${localDate}T00:00:00Z`),
      queueNumber: n,
      identificationMethod: o.method ?? 'CCCD_QR',
      trustLevel: 'CARD_VERIFIED',
      payer: o.payer ?? 'SELF_PAY',
      bhytVerification: o.verification ?? null,
      status: o.status ?? 'CHECKED_IN',
      checkedInAt: new Date(at),
      channel: o.channel ?? 'DESK',
    },
  });
  if (o.deliveredAfterS !== undefined || o.failed) {
    await db.handoffMessage.create({
      data: {
        encounterId: e.id,
        patientId,
        target: 'HL7V2',
        event: 'A04',
        messageControlId: randomUUID(),
        status: o.failed ? 'PARKED' : 'DELIVERED',
        deliveredAt: o.failed ? null : new Date(new Date(at).getTime() + o.deliveredAfterS! * 1000),
      },
    });
  }
}

beforeAll(async () => {
  const f = await testFacility(db);
  facilityId = f.id;
  rooms = [];
  for (const code of ['P01', 'P02'])
    rooms.push(
      (await db.room.create({ data: { facilityId, code, name: `Phòng ${code}`, department: 'Khám bệnh' } })).id,
    );
  // 2026-03-11 (Wednesday) local. 06:30 local = 23:30 UTC the day before.
  await encounter('2026-03-10T23:30:00Z', '2026-03-11', {
    method: 'VNEID',
    payer: 'BHYT',
    verification: 'VERIFIED',
    deliveredAfterS: 60,
    channel: 'KIOSK',
  });
  await encounter('2026-03-11T00:10:00Z', '2026-03-11', {
    method: 'CCCD_QR',
    payer: 'BHYT',
    verification: 'UNVERIFIED',
    deliveredAfterS: 120,
  });
  await encounter('2026-03-11T01:00:00Z', '2026-03-11', {
    room: 1,
    method: 'TYPED_ID',
    deliveredAfterS: 300,
    channel: 'API',
  });
  await encounter('2026-03-11T02:00:00Z', '2026-03-11', { room: 1, failed: true });
  await encounter('2026-03-11T03:00:00Z', '2026-03-11', { status: 'CANCELLED', channel: 'KIOSK' });
  // The kiosk's visits that day: 2 tickets (one a reprint), 2 sent to the counter, 1 left; one visit the day before.
  const kioskId = (await db.kiosk.create({ data: { facilityId, name: 'Kiosk sảnh' } })).id;
  const visits: [string, string | null, string | null][] = [
    ['2026-03-11', 'TICKET', null],
    ['2026-03-11', 'REPRINT', null],
    ['2026-03-11', 'COUNTER', 'TYPED_NUMBER'],
    ['2026-03-11', 'COUNTER', 'IDENTITY_CONFLICT'],
    ['2026-03-11', null, null],
    ['2026-03-10', 'TICKET', null],
  ];
  for (const [day, outcome, reason] of visits) {
    await db.kioskVisit.create({
      data: { kioskId, facilityId, localDate: new Date(`${day}T00:00:00Z`), outcome, reason },
    });
  }
  await encounter('2026-03-04T02:00:00Z', '2026-03-04', {}); // same weekday last week
});
afterAll(() => db.$disconnect());

describe('daily intake', () => {
  it('counts the local day, by local hour, room, method and payer', async () => {
    const day = await intakeWithComparison(db, facilityId, '2026-03-11');
    expect(day.total).toBe(4);
    expect(day.cancelled).toBe(1);
    expect(day.byHour[6]).toBe(1);
    expect(day.byHour[7]).toBe(1);
    expect(day.byHour[8]).toBe(1);
    expect(day.byHour[9]).toBe(1);
    expect(day.byHour.reduce((a, b) => a + b, 0)).toBe(4);
    expect(day.byRoom.map((r) => [r.code, r.count])).toEqual([
      ['P01', 2],
      ['P02', 2],
    ]);
    expect(day.byMethod).toEqual({ CCCD_QR: 2, VNEID: 1, BHYT_QR: 0, TYPED_ID: 1, TYPED_BHYT: 0, MANUAL: 0 });
    expect(day.byPayer).toEqual({ BHYT: 2, SELF_PAY: 2 });
    expect(day.byChannel).toEqual({ DESK: 2, KIOSK: 1, API: 1 }); // the cancelled kiosk visit is not intake
    expect(day.kiosk).toMatchObject({
      scans: 5,
      tickets: 2,
      reprints: 1,
      counter: 2,
      emergency: 0,
      abandoned: 1,
      completionRate: 0.4,
    });
    expect(day.kiosk.counterReasons).toMatchObject({ TYPED_NUMBER: 1, IDENTITY_CONFLICT: 1, NOT_ME: 0 });
    expect(day.bhyt).toEqual({ verified: 1, provisional: 1, rejected: 0 });
    expect(day.medianSecondsToHis).toBe(120);
    expect(day.handoffFailures).toBe(1);
    expect(day.lastWeek).toMatchObject({ date: '2026-03-04', total: 1 });
    expect((await intakeForDay(db, facilityId, '2026-03-10')).total).toBe(0);
  });

  it('writes an Excel workbook whose numbers match', async () => {
    const day = await intakeForDay(db, facilityId, '2026-03-11');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await dayWorkbook(day, 'Cơ sở thử')) as never);
    expect(wb.getWorksheet('Tổng quan')!.getRow(4).getCell(2).value).toBe(4);
    expect(wb.getWorksheet('Theo giờ')!.getRow(8).values).toEqual([, '06:00', 1]);
    expect(wb.getWorksheet('Theo phương thức')!.getRow(2).values).toEqual([, 'CCCD_QR', 'QR thẻ CCCD/Căn cước', 2]);
    expect(wb.getWorksheet('Theo kênh')!.getRow(3).values).toEqual([, 'KIOSK', 'Kiosk tự tiếp đón', 1]);
    const kiosk = wb.getWorksheet('Kiosk')!;
    expect(kiosk.getRow(2).values).toEqual([, 'Lượt quét', 5]);
    expect(kiosk.getRow(5).values).toEqual([, 'Tỷ lệ hoàn tất (quét → nhận số)', 0.4]);
    expect(kiosk.getRow(12).values).toEqual([, 'Chỉ có số (nhập tay, mã vạch)', 1]);
  });
});

describe('help desk and weekly report', () => {
  const actor = (): Principal => ({
    kind: 'USER',
    id: randomUUID(),
    name: 'hotro',
    role: 'SUPPORT',
    facilityId,
    facilityCode: '00000',
  });

  it('records a citizen once however often the form is sent, and counts by outcome', async () => {
    const requestId = randomUUID();
    const a = actor();
    const at = new Date('2026-03-11T03:00:00Z');
    await Promise.all(
      [1, 2, 3].map(() =>
        recordHelpdesk(db, a, { requestId, service: 'ACTIVATE_VNEID_HEALTH_BOOK', outcome: 'DONE' }, at),
      ),
    );
    await recordHelpdesk(db, a, { requestId: randomUUID(), service: 'LINK_BHYT', outcome: 'NOT_LEVEL_2' }, at);
    const counts = await helpdeskCounts(db, facilityId, '2026-03-09', '2026-03-15');
    expect(counts.total).toBe(2);
    expect(counts.byService.ACTIVATE_VNEID_HEALTH_BOOK.DONE).toBe(1);
    expect(counts.byService.LINK_BHYT.NOT_LEVEL_2).toBe(1);
  });

  it('generates the week once per facility, idempotently, with method shares', async () => {
    expect(previousWeekStart('2026-03-18')).toBe('2026-03-09');
    expect(previousWeekStart('2026-03-16')).toBe('2026-03-09'); // on a Monday, the week just ended
    expect(['2026-03-09', '2026-03-12', '2026-03-15'].map(weekStartOf)).toEqual([
      '2026-03-09',
      '2026-03-09',
      '2026-03-09',
    ]);
    const [first] = await generateWeeklyReport(db, '2026-03-09', { facilityId });
    const [second] = await generateWeeklyReport(db, '2026-03-09', { facilityId });
    expect(second!.id).toBe(first!.id);
    expect(await db.weeklyReport.count({ where: { facilityId } })).toBe(1);
    const data = second!.data as WeeklyData;
    expect(data.total).toBe(4);
    expect(data.methods.find((m) => m.method === 'CCCD_QR')).toEqual({ method: 'CCCD_QR', count: 2, share: 0.5 });
    expect(data.helpdesk.total).toBe(2);
    expect(data.problems).toEqual({ handoffFailures: 1, bhytProvisional: 1, bhytRejected: 0, helpdeskNotDone: 1 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await weeklyWorkbook(data, 'Cơ sở thử')) as never);
    expect(wb.getWorksheet('Phương thức định danh')!.getRow(2).values).toEqual([
      ,
      'CCCD_QR',
      'QR thẻ CCCD/Căn cước',
      2,
      0.5,
    ]);
  });

  it('is due on Wednesday from 07:00 local, once', () => {
    expect(weeklyReportDue(new Date('2026-03-17T23:59:00Z'), null)).toBe(false); // Wed 06:59 local
    expect(weeklyReportDue(new Date('2026-03-18T00:00:00Z'), null)).toBe(true); // Wed 07:00 local
    expect(weeklyReportDue(new Date('2026-03-18T02:00:00Z'), new Date('2026-03-18T00:01:00Z'))).toBe(false);
    expect(weeklyReportDue(new Date('2026-03-19T00:00:00Z'), null)).toBe(false); // Thursday
  });
});
