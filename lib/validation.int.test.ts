import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import type { Db } from './db/client';
import { testDb, testFacility } from './db/test-helpers';
import type { Principal } from './auth/roles';
import { checkIn, checkinSchema } from './encounters/check-in';
import { loadSnapshot } from './handoff/snapshot';
import { buildAdt } from './handoff/hl7';
import { buildXml0 } from './handoff/xml0';
import { text } from './validation';

/** Every C0 character, DEL, every C1 character, and both halves of a surrogate pair on their own. */
const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('');
const C1 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i)).join('');
const HOSTILE = `${C0}\u007f${C1}\udfff\ud800`; // low before high: two lone halves
/** No control character but the CR that separates HL7 segments. */
const hasControl = (s: string) =>
  /[\u0000-\u0008\u000a-\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(
    s,
  );

describe('free text (text())', () => {
  const schema = text().min(2).max(100);

  it('drops C0, DEL, C1 and lone surrogates; line breaks and tabs become one space', () => {
    expect(schema.parse(`Nguyễn${HOSTILE}Văn\r\nAn\t\u2028`)).toBe('Nguyễn Văn An');
    for (let c = 0; c < 0xa0; c++) {
      if (c >= 0x20 && c < 0x7f) continue;
      const out = schema.parse(`Hồ${String.fromCharCode(c)}Thị`);
      expect(hasControl(out), `U+${c.toString(16)}`).toBe(false);
    }
    expect(schema.parse('Lê\ud800Lan')).toBe('LêLan');
    expect(schema.parse('Lê\udc00Lan')).toBe('LêLan');
  });

  it('keeps Vietnamese text (composed to NFC) and real astral characters', () => {
    expect(schema.parse('Nguyễn Thị Ánh Tuyết')).toBe('Nguyễn Thị Ánh Tuyết');
    expect(schema.parse('Nguye\u0302\u0303n Đức'.normalize('NFD'))).toBe('Nguyễn Đức');
    expect(schema.parse('Tổ 3 😀 ấp Mỹ Hòa')).toBe('Tổ 3 😀 ấp Mỹ Hòa');
  });

  it('is the schema of the other stored labels too (kiosk names, user names)', async () => {
    const { kioskSettingsSchema } = await import('./kiosk/devices');
    const { newUserSchema } = await import('./auth/users');
    const kiosk = kioskSettingsSchema.parse({
      name: `Kiosk\u001c sảnh\u0085 A${C0}`,
      roomCodes: ['P01'],
      offersBhyt: false,
      offersSelfPay: true,
      bhytStaffId: null,
    });
    expect(kiosk.name).toBe('Kiosk sảnh A');
    const user = newUserSchema.parse({
      username: 'an.nv',
      fullName: `Nguyễn\u000b Văn\udfff An`,
      role: 'RECEPTIONIST',
      facilityCode: '58001',
      password: 'Thu@12345',
    });
    expect(user.fullName).toBe('Nguyễn Văn An');
  });

  it('checks lengths on the cleaned text', () => {
    expect(schema.safeParse(`A${C0}`).success).toBe(false); // one character left
    expect(text().max(5).parse(`${C0}abcde${C1}`)).toBe('abcde');
  });
});

describe('control characters never reach the HIS', () => {
  let db: Db;
  let desk: Principal;
  beforeAll(async () => {
    db = testDb();
    const facility = await testFacility(db);
    await db.room.create({
      data: { facilityId: facility.id, code: 'P01', name: 'Phòng 1', department: 'Khoa Khám bệnh' },
    });
    desk = {
      kind: 'API_KEY',
      id: '00000000-0000-4000-8000-0000000000c0',
      name: 'desk-test',
      role: 'RECEPTIONIST',
      facilityId: facility.id,
      facilityCode: facility.code,
    };
  });
  afterAll(async () => db.$disconnect());

  it('a new patient typed with control characters is stored clean, and its HL7 frame and XML0 carry none', async () => {
    const personalId = `0580${'58'}${String(randomInt(1_000_000)).padStart(6, '0')}`;
    // What the check-in route receives, validated by its schema as the route does.
    const input = checkinSchema.parse({
      identifier: { system: 'PERSONAL_ID', value: personalId },
      roomCode: 'P01',
      newPatient: {
        fullName: `Chế\u001c\r\u000bVăn${HOSTILE}Thử`,
        dateOfBirth: '1958-03-12',
        sex: 'M',
        address: `Thôn 1\u0000\u0085, xã Phước\nHải\ud83d`,
      },
    });
    const result = await checkIn(db, desk, input);
    if (result.status !== 'created') throw new Error(JSON.stringify(result));
    const stored = await db.patient.findUniqueOrThrow({ where: { id: result.patient.id } });
    expect(stored.fullName).toBe('Chế Văn Thử');
    expect(stored.address).toBe('Thôn 1, xã Phước Hải');

    const snapshot = await loadSnapshot(db, result.encounter.id);
    const adt = buildAdt(snapshot, 'A04', 'C-1');
    expect(adt.split('\r').length).toBe(4); // MSH, EVN, PID, PV1: no segment break smuggled in
    expect(hasControl(adt)).toBe(false);
    expect(adt).toContain('|Chế^Văn Thử^^^^^L|');
    const xml = buildXml0(snapshot);
    expect(hasControl(xml)).toBe(false);
    expect(new DOMParser().parseFromString(xml, 'text/xml').getElementsByTagName('HO_TEN')[0]?.textContent).toBe(
      'Chế Văn Thử',
    );
  });

  it('the HL7 and XML0 builders drop them again for data stored another way', async () => {
    const personalId = `0580${'58'}${String(randomInt(1_000_000)).padStart(6, '0')}`;
    const input = checkinSchema.parse({
      identifier: { system: 'PERSONAL_ID', value: personalId },
      roomCode: 'P01',
      newPatient: { fullName: 'Chế Thị Mẫu', dateOfBirth: '1958-03-12', sex: 'F' },
    });
    const result = await checkIn(db, desk, input);
    if (result.status !== 'created') throw new Error(result.status);
    // A row written before this validation existed (or by another tool), straight into the table.
    await db.patient.update({
      where: { id: result.patient.id },
      data: { fullName: `Chế${HOSTILE.slice(1)}Thị Mẫu`, address: `Thôn\u001c\r\u000b2` },
    });
    const snapshot = await loadSnapshot(db, result.encounter.id);
    const adt = buildAdt(snapshot, 'A08', 'C-2');
    expect(adt.split('\r').length).toBe(4);
    expect(hasControl(adt)).toBe(false);
    expect(adt).toContain('|Thôn 2^^^^^VNM^H|');
    const xml = buildXml0(snapshot);
    expect(hasControl(xml)).toBe(false);
    expect(new DOMParser().parseFromString(xml, 'text/xml').getElementsByTagName('HO_TEN')[0]?.textContent).toMatch(
      /^Chế[\s\ufffd]*Thị Mẫu$/,
    ); // PostgreSQL stored the lone halves as U+FFFD
  });
});
