import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Hl7Message } from '@medplum/core';
import { buildA40, buildAdt, esc, parseAck } from './hl7';
import { fullSnapshot, hostileSnapshot, mergeSnapshot, minimalSnapshot, MESSAGE_TIME } from './test-snapshots';

/**
 * The HL7 v2 builders, byte for byte: the HIS interfaces were agreed on these messages, so a refactor that moves a
 * field, a component or a separator must fail here. Segments are compared one per line for readable diffs.
 */
const segments = (message: string) => message.split('\r');

const MSH = (event: string, structure: string, controlId: string) =>
  `MSH|^~\\&|RECEPTION|58999|HIS|58999|20261201090304+0700||ADT^${event}^${structure}|${controlId}|P|2.5.1|||||VNM|UNICODE UTF-8`;
const FULL_PID =
  'PID|1||BN0000000001^^^58999^MR~058190000001^^^BCA^NNVNM~580000001^^^BCA^NI~GD4795800000001^^^BHXH^SB||Nguyễn^Thị Thử Nghiệm^^^^^L||19580312|F|||Số 1 Đường Mẫu, Phường Mẫu, TP Thử^^^^^VNM^H||^PRN^PH^^^^^^^^^0900000001';
const FULL_PV1 =
  'PV1|1|E|Khoa Cấp cứu^C01^^58999|E|||||||||||||||58999-261201-C01-017^^^58999^VN|BHYT||||||||||||||||||||||||20261201084530+0700';
const FULL_IN1 =
  'IN1|1|BHYT^Bảo hiểm y tế^L|BHXHVN|Bảo hiểm xã hội Việt Nam||||||||20260101|20261231|||||||||||||||||||||||GD4795800000001';
const FULL_EVN = (event: string) => `EVN|${event}|20261201090304+0700|||letan01^Lê^Tân Một|20261201084530+0700`;

describe('ADT A04 / A08 / A11 (golden)', () => {
  it('A04 with every optional field empty: our patient id as MR, sex U, empty address and phone kept in place', () => {
    expect(segments(buildAdt(minimalSnapshot(), 'A04', 'C-1', MESSAGE_TIME))).toEqual([
      MSH('A04', 'ADT_A01', 'C-1'),
      'EVN|A04|20261201090304+0700||||20261201083000+0700',
      'PID|1||00000000-0000-4000-8000-00000000a001^^^58999^MR||Trần^Mẫu^^^^^L||1990|U|||||',
      'PV1|1|O|Khoa Khám bệnh^P01^^58999|R|||||||||||||||58999-261201-P01-001^^^58999^VN|VP||||||||||||||||||||||||20261201083000+0700',
    ]);
  });

  it('A04 of an emergency BHYT visit: four identifiers, name, address, phone, operator and IN1', () => {
    expect(segments(buildAdt(fullSnapshot(), 'A04', 'C-2', MESSAGE_TIME))).toEqual([
      MSH('A04', 'ADT_A01', 'C-2'),
      FULL_EVN('A04'),
      FULL_PID,
      FULL_PV1,
      FULL_IN1,
    ]);
  });

  it('A08 is the A04 with its own event code', () => {
    expect(segments(buildAdt(fullSnapshot(), 'A08', 'C-3', MESSAGE_TIME))).toEqual([
      MSH('A08', 'ADT_A01', 'C-3'),
      FULL_EVN('A08'),
      FULL_PID,
      FULL_PV1,
      FULL_IN1,
    ]);
  });

  it('A11 (structure ADT_A09) carries no IN1', () => {
    expect(segments(buildAdt(fullSnapshot(), 'A11', 'C-4', MESSAGE_TIME))).toEqual([
      MSH('A11', 'ADT_A09', 'C-4'),
      FULL_EVN('A11'),
      FULL_PID,
      FULL_PV1,
    ]);
  });

  it('a BHYT visit without a card code, or a self-paying one with a coverage, carries no IN1', () => {
    const noCard = fullSnapshot();
    noCard.coverage!.cardCode = null;
    expect(segments(buildAdt(noCard, 'A04', 'C', MESSAGE_TIME)).map((s) => s.slice(0, 3))).toEqual([
      'MSH',
      'EVN',
      'PID',
      'PV1',
    ]);
    const selfPay = fullSnapshot();
    selfPay.encounter.payer = 'SELF_PAY';
    const message = segments(buildAdt(selfPay, 'A04', 'C', MESSAGE_TIME));
    expect(message.map((s) => s.slice(0, 3))).toEqual(['MSH', 'EVN', 'PID', 'PV1']);
    expect(message[3]).toContain('^VN|VP|');
  });

  it('the BHYT card of the identifiers is sent when the encounter has no coverage', () => {
    const s = fullSnapshot();
    s.coverage = null;
    expect(segments(buildAdt(s, 'A04', 'C', MESSAGE_TIME))[2]).toBe(FULL_PID);
  });

  it('hostile text (| ^ ~ \\ & CR LF, MLLP frame bytes) in every free-text field is escaped, never a delimiter', () => {
    expect(segments(buildAdt(hostileSnapshot(), 'A04', 'C|5', MESSAGE_TIME))).toEqual([
      'MSH|^~\\&|RECEPTION|58\\F\\99|HIS|58\\F\\99|20261201090304+0700||ADT^A04^ADT_A01|C\\F\\5|P|2.5.1|||||VNM|UNICODE UTF-8',
      'EVN|A04|20261201090304+0700|||u\\F\\1^Lêa\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f^g h ijTân|20261201084530+0700',
      'PID|1||BN\\S\\1\\R\\2^^^58\\F\\99^MR~x,058190000001\\F\\y^^^BCA^NNVNM~GD47958\\T\\0000001^^^BHXH^SB||Họa\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f^g h ij Tên Đệm^^^^^L||19580312|F|||Thôn a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f g hij^^^^^VNM^H||^PRN^PH^^^^^^^^^090\\F\\000\\S\\0001',
      'PV1|1|E|Khoa a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f g hij^P\\S\\1^^58\\F\\99|E|||||||||||||||E\\R\\1\\T\\2^^^58\\F\\99^VN|BHYT||||||||||||||||||||||||20261201084530+0700',
      'IN1|1|BHYT^Bảo hiểm y tế^L|BHXHVN|Bảo hiểm xã hội Việt Nam||||||||20260101|20261231|||||||||||||||||||||||GD47958\\T\\0000001',
    ]);
  });
});

describe('ADT A40 (golden)', () => {
  it('PID is the survivor, MRG-1 the merged record identifiers and MRG-7 its name; no PV1', () => {
    expect(segments(buildA40(mergeSnapshot(), 'C-6', MESSAGE_TIME))).toEqual([
      MSH('A40', 'ADT_A39', 'C-6'),
      'EVN|A40|20261201090304+0700|||letan01^Lê^Tân Một',
      'PID|1||BN0000000003^^^58999^MR~058075000003^^^BCA^NNVNM||Phạm^Văn Giữ^^^^^L||19750704|M|||Thôn 3, xã Mẫu^^^^^VNM^H||^PRN^PH^^^^^^^^^0900000003',
      'MRG|BN0000000004^^^58999^MR~GD4795800000004^^^BHXH^SB||||||Phạm^Văn Gộp^^^^^L',
    ]);
  });

  it('without an operator, address or phone the fields stay empty in place', () => {
    const s = mergeSnapshot();
    s.operator = null;
    s.survivor = { ...s.merged, id: s.survivor.id, identifiers: [] };
    expect(segments(buildA40(s, 'C-7', MESSAGE_TIME)).slice(1)).toEqual([
      'EVN|A40|20261201090304+0700|||',
      'PID|1||00000000-0000-4000-8000-00000000a003^^^58999^MR||Phạm^Văn Gộp^^^^^L||1975|U|||||',
      'MRG|BN0000000004^^^58999^MR~GD4795800000004^^^BHXH^SB||||||Phạm^Văn Gộp^^^^^L',
    ]);
  });
});

describe('whatever the text, the fields stay where the HIS reads them', () => {
  const parsed = (message: string) => Hl7Message.parse(message);

  it('names, addresses, phones and codes of any characters (huge ones included) never move a field', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.string({ maxLength: 40 }),
        (name, address, code) => {
          const s = fullSnapshot();
          s.patient.fullName = name;
          s.patient.address = address || null;
          s.patient.phone = code || null;
          s.encounter.room.department = address;
          s.operator = { username: code, fullName: name };
          const message = buildAdt(s, 'A04', code, MESSAGE_TIME);
          expect(message.split('\r')).toHaveLength(5);
          expect(message).not.toMatch(/[\n\x0b\x1c]/);
          const m = parsed(message);
          expect(m.getSegment('MSH')!.getField(12).toString()).toBe('2.5.1');
          expect(m.getSegment('MSH')!.getField(18).toString()).toBe('UNICODE UTF-8');
          expect(m.getSegment('EVN')!.getField(6).toString()).toBe('20261201084530+0700');
          expect(m.getSegment('PID')!.getField(8).toString()).toBe('F');
          expect(m.getSegment('PID')!.getField(3).components).toHaveLength(4);
          expect(m.getSegment('PV1')!.getField(20).toString()).toBe('BHYT');
          expect(m.getSegment('PV1')!.getField(44).toString()).toBe('20261201084530+0700');
          expect(m.getSegment('IN1')!.getField(36).toString()).toBe('GD4795800000001');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a 100,000-character address is sent whole, escaped, in PID-11', () => {
    const s = fullSnapshot();
    s.patient.address = 'Thôn|'.repeat(20_000);
    const pid = parsed(buildAdt(s, 'A04', 'C', MESSAGE_TIME)).getSegment('PID')!;
    expect(pid.getField(11).getComponent(1)).toBe('Thôn\\F\\'.repeat(20_000));
    expect(pid.getField(11).getComponent(6)).toBe('VNM');
    expect(pid.getField(13).getComponent(12)).toBe('0900000001');
  });
});

describe('esc', () => {
  it('escapes the five delimiters, turns line breaks and tabs into one space and drops control characters', () => {
    expect(esc('a|b^c~d\\e&f')).toBe('a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f');
    expect(esc('a\r\n\tb')).toBe('a b');
    expect(esc('a\x0bb\x1cc\x00d\ud800e')).toBe('abcde');
    expect(esc(null)).toBe('');
    expect(esc(undefined)).toBe('');
    expect(esc(0)).toBe('0');
  });
});

describe('parseAck', () => {
  const MSH_ACK = 'MSH|^~\\&|HIS|58999|RECEPTION|58999|20261201090305||ACK^A04^ACK|HIS-77|P|2.5.1';

  it('AA: the acked MSH-10, and the ACK own MSH-10 as the HIS reference', () => {
    expect(parseAck(`${MSH_ACK}\rMSA|AA|C-1`)).toEqual({
      code: 'AA',
      ackedControlId: 'C-1',
      text: null,
      hisRef: 'HIS-77',
    });
  });

  it('AE with a text in MSA-3; lower-case codes and LF or CRLF line ends are read too', () => {
    expect(parseAck(`${MSH_ACK}\nMSA|ae|C-2|Sai mã thẻ BHYT`)).toEqual({
      code: 'AE',
      ackedControlId: 'C-2',
      text: 'Sai mã thẻ BHYT',
      hisRef: 'HIS-77',
    });
    expect(parseAck(`${MSH_ACK}\r\nMSA|AR|C-3|Bảo trì\r\n`)).toMatchObject({
      code: 'AR',
      ackedControlId: 'C-3',
      text: 'Bảo trì',
    });
  });

  it('without MSA-3, the ERR user message (ERR-8), else the text of the error code (ERR-3.2), else ERR-3 whole', () => {
    expect(parseAck(`${MSH_ACK}\rMSA|AE|C-4\rERR|||207^Application internal error^HL70357|E||||Thẻ hết hạn`).text).toBe(
      'Thẻ hết hạn',
    );
    expect(parseAck(`${MSH_ACK}\rMSA|AE|C-4\rERR|||207^Application internal error^HL70357|E`).text).toBe(
      'Application internal error',
    );
    expect(parseAck(`${MSH_ACK}\rMSA|AE|C-4\rERR|||207|E`).text).toBe('207');
  });

  it('an answer that is no ACK gives an empty code and no reference', () => {
    expect(parseAck('')).toEqual({ code: '', ackedControlId: '', text: null, hisRef: null });
    expect(parseAck('HTTP/1.1 400 Bad Request\r\n\r\n')).toEqual({
      code: '',
      ackedControlId: '',
      text: null,
      hisRef: null,
    });
    expect(parseAck(`MSH|^~\\&|HIS|58999|RECEPTION|58999|20261201090305||ACK|||P|2.5.1`)).toEqual({
      code: '',
      ackedControlId: '',
      text: null,
      hisRef: null,
    });
  });

  it('an MSA without an MSH is still read (as before: some HIS interfaces send blank lines first)', () => {
    expect(parseAck(`\r\n${MSH_ACK}\rMSA|AA|C-5`)).toEqual({
      code: 'AA',
      ackedControlId: 'C-5',
      text: null,
      hisRef: 'HIS-77',
    });
    expect(parseAck('MSA|AA|C-6')).toEqual({ code: 'AA', ackedControlId: 'C-6', text: null, hisRef: null });
  });
});
