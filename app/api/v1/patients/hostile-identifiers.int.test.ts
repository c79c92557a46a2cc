import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { testDb, testFacility } from '@/lib/db/test-helpers';
import { callRoute, testCaller, useTestDatabaseForRoutes, type Caller } from '@/lib/db/test-api';
import { IDENTIFIER_MESSAGES } from '@/lib/identity/schemas';
import { POST as checkinRoute } from '../checkins/route';
import { PATCH as correctRoute } from './[id]/route';
import { POST as identifiersRoute } from './[id]/identifiers/route';

/**
 * Issue 10, "every identifier value is validated where it enters", through the support paths: values built to
 * break the formats an identifier travels in (a FHIR token list `x,0123…`, an HL7 field `BN|1`, a control character
 * or a CR inside the value, a look-alike letter that upper-cases to ASCII) are refused by the support team's
 * "add an identifier" (one schema per system, lib/identity/schemas.ts) and by the correction, with 400 and a
 * Vietnamese message, and nothing is stored or changed.
 */
useTestDatabaseForRoutes();
const db = testDb();
afterAll(() => db.$disconnect());

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');
let support: Caller;
let patientId: string;
let personalId: string;

beforeAll(async () => {
  const f = await testFacility(db);
  await db.room.create({ data: { facilityId: f.id, code: 'P01', name: 'Phòng 01', department: 'Khoa Khám bệnh' } });
  const desk = await testCaller(db, f.id, 'RECEPTIONIST');
  support = await testCaller(db, f.id, 'SUPPORT');
  personalId = `0581${digits(8)}`;
  const created = await callRoute(checkinRoute, desk, 'POST', '/api/v1/checkins', {
    body: {
      identifier: { system: 'PERSONAL_ID', value: personalId },
      roomCode: 'P01',
      newPatient: { fullName: 'Đoàn Thị Hiểm', sex: 'F', dateOfBirth: '1980-04-12', phone: '0912 345 678' },
    },
  });
  expect(created.status, created.text).toBe(201);
  patientId = created.json.patient.id;
});

/** Everything a refused request must leave as it was: the patient's row, identifiers and audit trail. */
async function snapshot() {
  const [patient, identifiers, audits] = await Promise.all([
    db.patient.findUniqueOrThrow({ where: { id: patientId } }),
    db.patientIdentifier.findMany({
      where: { patientId },
      select: { id: true, system: true, value: true, retiredAt: true },
      orderBy: { id: 'asc' },
    }),
    db.auditEvent.count({ where: { patientId, action: { in: ['IDENTIFIER_ADDED', 'PATIENT_CORRECTED'] } } }),
  ]);
  return { patient, identifiers, audits };
}

const addIdentifier = (system: string, value: string, extra: Record<string, unknown> = {}) =>
  callRoute(identifiersRoute, support, 'POST', `/api/v1/patients/${patientId}/identifiers`, {
    params: { id: patientId },
    body: { system, value, reason: 'Bổ sung giấy tờ', ...extra },
  });

const HOSTILE: [system: keyof typeof IDENTIFIER_MESSAGES, value: string][] = [
  // A FHIR token list: `identifier=x,012345678901` is "x OR 012345678901" (another person's CCCD).
  ['HOSPITAL_CODE', 'x,012345678901'],
  ['PERSONAL_ID', 'x,012345678901'],
  ['PERSONAL_ID', '012345678901,x'],
  ['BHYT_CARD', 'DN4797912345678,012345678901'],
  // HL7 v2 delimiters: field, component, repetition, escape, sub-component.
  ['HOSPITAL_CODE', 'BN|1'],
  ['HOSPITAL_CODE', 'BN^1'],
  ['HOSPITAL_CODE', 'BN~1'],
  ['HOSPITAL_CODE', 'BN\\1'],
  ['HOSPITAL_CODE', 'BN&1'],
  ['PERSONAL_ID', '0123456789|01'],
  // FHIR system|value and the search escape character.
  ['HOSPITAL_CODE', 'urn:x|BN1'],
  ['HOSPITAL_CODE', 'BN$1'],
  // Control characters inside the value: a segment break (CR) would start a new HL7 segment.
  ['HOSPITAL_CODE', 'BN1\rPID|1||012345678901'],
  ['HOSPITAL_CODE', 'BN\r1'],
  ['HOSPITAL_CODE', 'BN\n1'],
  ['HOSPITAL_CODE', 'BN\u00001'],
  ['HOSPITAL_CODE', 'BN\u001b1'],
  ['HOSPITAL_CODE', 'BN\u00851'], // C1 "next line"
  ['HOSPITAL_CODE', 'BN\u20281'], // line separator
  ['PERSONAL_ID', '012345\r678901'],
  ['PERSONAL_ID', '012345\u0000678901'],
  ['CMND', '012\u0007345678'],
  ['BHXH_NUMBER', '01234\u001f56789'],
  // Letters that are not ASCII but upper-case to it ('ı' → 'I', 'ſ' → 'S', 'ﬀ' → 'FF'): never stored as another code.
  ['HOSPITAL_CODE', 'bnı1'],
  ['HOSPITAL_CODE', 'ſ1'],
  ['HOSPITAL_CODE', 'ﬀ1'],
  // Look-alike digits are not digits.
  ['PERSONAL_ID', '٠١٢٣٤٥٦٧٨٩٠١'],
];

describe('POST /api/v1/patients/:id/identifiers refuses hostile values', () => {
  it.each(HOSTILE)('%s %j → 400 with the system’s Vietnamese message, nothing stored', async (system, value) => {
    const before = await snapshot();
    const res = await addIdentifier(system, value);
    expect(res.status, res.text).toBe(400);
    expect(res.json.error).toMatchObject({
      code: 'VALIDATION',
      message: `Dữ liệu không hợp lệ: ${IDENTIFIER_MESSAGES[system]}`,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('an over-long value and an unknown system are refused in Vietnamese too', async () => {
    const before = await snapshot();
    const long = await addIdentifier('HOSPITAL_CODE', `BN${'1'.repeat(100)}`);
    expect(long.status).toBe(400);
    expect(long.json.error.message).toBe('Dữ liệu không hợp lệ: Số giấy tờ quá dài.');
    const system = await addIdentifier('FHIR|x', 'BN1');
    expect(system.status).toBe(400);
    expect(system.json.error.message).toBe('Dữ liệu không hợp lệ: Loại giấy tờ không hợp lệ.');
    expect(await snapshot()).toEqual(before);
  });

  it('the same schema still takes what a person or scanner really sends, and stores the clean form', async () => {
    // A scanner's CR/LF terminator around the value, a typed lower-case code with separators kept as the HIS has it.
    const code = `bn-2024.${digits(5)}`;
    const added = await addIdentifier('HOSPITAL_CODE', `${code}\r\n`);
    expect(added.status, added.text).toBe(201);
    const stored = await db.patientIdentifier.findUniqueOrThrow({ where: { id: added.json.id } });
    expect(stored.value).toBe(code.toUpperCase());
    expect(stored.value).toMatch(/^[A-Z0-9._-]+$/);
  });
});

describe('PATCH /api/v1/patients/:id (support correction) changes no identifier and takes no hostile value', () => {
  const correct = (body: Record<string, unknown>) =>
    callRoute(correctRoute, support, 'PATCH', `/api/v1/patients/${patientId}`, { params: { id: patientId }, body });

  it.each([
    ['hospitalCode', 'x,012345678901'],
    ['identifier', { system: 'PERSONAL_ID', value: 'x,012345678901' }],
    ['identifiers', [{ system: 'HOSPITAL_CODE', value: 'BN|1' }]],
    ['personalId', `0581\r${digits(8)}`],
  ])('an identifier field (%s) → 400, nothing changed', async (field, value) => {
    const before = await snapshot();
    const res = await correct({ [field]: value, reason: 'Sửa theo CCCD' });
    expect(res.status, res.text).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION');
    expect(res.json.error.message).toMatch(/^Dữ liệu không hợp lệ: /);
    expect(res.json.error.message).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it.each(['0912345678,012345678901', '0912|345678', '0912\r345678', '0912\u0000345678', '0912345678\rPID'])(
    'a hostile phone number %j → 400 with the Vietnamese message, nothing changed',
    async (phone) => {
      const before = await snapshot();
      const res = await correct({ phone, reason: 'Sửa số điện thoại' });
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.message).toBe('Dữ liệu không hợp lệ: Số điện thoại không hợp lệ.');
      expect(await snapshot()).toEqual(before);
    },
  );

  it('the identifiers stay as they were after all of the above', async () => {
    const { identifiers } = await snapshot();
    expect(identifiers.filter((i) => i.system === 'PERSONAL_ID').map((i) => i.value)).toEqual([personalId]);
    for (const i of identifiers) expect(i.value).toMatch(/^[A-Z0-9._-]+$/);
  });
});
