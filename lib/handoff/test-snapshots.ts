import type { HandoffSnapshot, MergeSnapshot } from './snapshot';

/**
 * Fixed snapshots (synthetic people, constant ids and times) for the builders' unit tests: no database, so every
 * byte of a rendered message can be compared with a golden copy.
 */
export const MESSAGE_TIME = new Date('2026-12-01T02:03:04.567Z'); // 09:03:04 in Vietnam

/** An outpatient paying for themselves, with every optional field empty. */
export function minimalSnapshot(): HandoffSnapshot {
  return {
    facility: { code: '58999', name: 'Bệnh viện Thử' },
    encounter: {
      id: '00000000-0000-4000-8000-00000000e001',
      number: '58999-261201-P01-001',
      status: 'CHECKED_IN',
      visitType: 'OUTPATIENT',
      payer: 'SELF_PAY',
      checkedInAt: new Date('2026-12-01T01:30:00.000Z'),
      room: { code: 'P01', name: 'Phòng khám Nội 1', department: 'Khoa Khám bệnh' },
    },
    patient: {
      id: '00000000-0000-4000-8000-00000000a001',
      fullName: 'Trần Mẫu',
      birthDate: '1990',
      sex: null,
      address: null,
      phone: null,
      identifiers: [],
    },
    coverage: null,
    operator: null,
  };
}

/** An emergency BHYT visit with every identifier, coverage, phone, address and the receptionist. */
export function fullSnapshot(): HandoffSnapshot {
  return {
    facility: { code: '58999', name: 'Bệnh viện Thử' },
    encounter: {
      id: '00000000-0000-4000-8000-00000000e002',
      number: '58999-261201-C01-017',
      status: 'CHECKED_IN',
      visitType: 'EMERGENCY',
      payer: 'BHYT',
      checkedInAt: new Date('2026-12-01T01:45:30.000Z'),
      room: { code: 'C01', name: 'Cấp cứu', department: 'Khoa Cấp cứu' },
    },
    patient: {
      id: '00000000-0000-4000-8000-00000000a002',
      fullName: 'Nguyễn Thị Thử Nghiệm',
      birthDate: '1958-03-12',
      sex: 'F',
      address: 'Số 1 Đường Mẫu, Phường Mẫu, TP Thử',
      phone: '0900000001',
      identifiers: [
        { system: 'PERSONAL_ID', value: '058190000001' },
        { system: 'CMND', value: '580000001' },
        { system: 'HOSPITAL_CODE', value: 'BN0000000001' },
        { system: 'BHYT_CARD', value: 'GD4795800000001' },
      ],
    },
    coverage: {
      cardCode: 'GD4795800000001',
      bhxhNumber: '5800000001',
      benefitLevel: 4,
      registeredFacility: '58999',
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
    },
    operator: { username: 'letan01', fullName: 'Lê Tân Một' },
  };
}

/** HL7 delimiters, line breaks and frame bytes in every free-text field a row might hold (stored another way). */
export const HOSTILE = 'a|b^c~d\\e&f\rg\nh\x0bi\x1cj';

export function hostileSnapshot(): HandoffSnapshot {
  const s = fullSnapshot();
  s.facility = { code: '58|99', name: 'Cơ sở <&> "Thử"' };
  s.encounter.room = { code: 'P^1', name: `Phòng ${HOSTILE}`, department: `Khoa ${HOSTILE}` };
  s.encounter.number = `E~1&2`;
  s.patient.fullName = `  Họ${HOSTILE}  Tên   Đệm `;
  s.patient.address = `Thôn ${HOSTILE}`;
  s.patient.phone = '090|000^0001';
  s.patient.identifiers = [
    { system: 'PERSONAL_ID', value: 'x,058190000001|y' },
    { system: 'HOSPITAL_CODE', value: 'BN^1~2' },
  ];
  s.coverage = { ...s.coverage!, cardCode: 'GD47958&0000001' };
  s.operator = { username: 'u|1', fullName: `Lê${HOSTILE}Tân` };
  return s;
}

export function mergeSnapshot(): MergeSnapshot {
  return {
    kind: 'merge',
    facility: { code: '58999', name: 'Bệnh viện Thử' },
    operator: { username: 'letan01', fullName: 'Lê Tân Một' },
    survivor: {
      id: '00000000-0000-4000-8000-00000000a003',
      fullName: 'Phạm Văn Giữ',
      birthDate: '1975-07-04',
      sex: 'M',
      address: 'Thôn 3, xã Mẫu',
      phone: '0900000003',
      identifiers: [
        { system: 'PERSONAL_ID', value: '058075000003' },
        { system: 'HOSPITAL_CODE', value: 'BN0000000003' },
      ],
    },
    merged: {
      id: '00000000-0000-4000-8000-00000000a004',
      fullName: 'Phạm Văn Gộp',
      birthDate: '1975',
      sex: null,
      address: null,
      phone: null,
      identifiers: [
        { system: 'HOSPITAL_CODE', value: 'BN0000000004' },
        { system: 'BHYT_CARD', value: 'GD4795800000004' },
      ],
    },
  };
}
