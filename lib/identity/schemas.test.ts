import { describe, expect, it } from 'vitest';
import { z } from '../validation';
import {
  IDENTIFIER_SCHEMAS,
  checkIdentifier,
  checkedIdentifier,
  identifierFields,
  identifierSchema,
  isStoredIdentifier,
} from './schemas';
import type { IdentifierSystem } from './identifiers';

// Synthetic numbers only.
const valid: [IdentifierSystem, string, string][] = [
  ['PERSONAL_ID', '058095012345', '058095012345'],
  ['PERSONAL_ID', '058 095 012 345', '058095012345'],
  ['PERSONAL_ID', '058.095-012345', '058095012345'],
  ['PERSONAL_ID', '０５８０９５０１２３４５', '058095012345'], // full-width digits from an IME
  ['CMND', '264 123 456', '264123456'],
  ['BHYT_CARD', 'hs4 58 0100012345', 'HS4580100012345'],
  ['BHXH_NUMBER', '58-0100-0123', '5801000123'],
  ['HOSPITAL_CODE', ' bn-2024.00017 ', 'BN-2024.00017'],
  ['HOSPITAL_CODE', '7', '7'],
  ['HOSPITAL_CODE', 'A'.repeat(20), 'A'.repeat(20)],
  ['HOSPITAL_CODE', 'MRN_0001', 'MRN_0001'],
];

const invalid: [IdentifierSystem, string][] = [
  ['PERSONAL_ID', 'x,012345678901'], // the FHIR search injection of issue 10
  ['PERSONAL_ID', '05809501234'], // 11 digits
  ['PERSONAL_ID', '0580950123456'],
  ['PERSONAL_ID', '058095012345|1'],
  ['CMND', '058095012345'], // a personal ID is not a CMND
  ['BHYT_CARD', 'HS6580100012345'], // benefit level 6
  ['BHYT_CARD', '5801000123'], // a BHXH number is not a card code
  ['BHXH_NUMBER', '580100012'],
  ['HOSPITAL_CODE', ''],
  ['HOSPITAL_CODE', '   '],
  ['HOSPITAL_CODE', 'x,012345678901'],
  ['HOSPITAL_CODE', 'BN|123'],
  ['HOSPITAL_CODE', 'BN$123'],
  ['HOSPITAL_CODE', 'BN\\123'],
  ['HOSPITAL_CODE', 'BN^123'],
  ['HOSPITAL_CODE', 'BN&123'],
  ['HOSPITAL_CODE', 'BN 123'],
  ['HOSPITAL_CODE', 'BN\r123'],
  ['HOSPITAL_CODE', 'Bé01'],
  ['HOSPITAL_CODE', 'bnı1'], // dotless i: 'ı'.toUpperCase() is 'I'
  ['HOSPITAL_CODE', 'ſ1'], // long s: upper-cases to 'S'
  ['HOSPITAL_CODE', 'ﬀ1'], // ligature: upper-cases to 'FF'
  ['HOSPITAL_CODE', '-BN123'],
  ['HOSPITAL_CODE', 'A'.repeat(21)],
  ['HOSPITAL_CODE', 'A'.repeat(100_000)],
];

describe('identifier schemas (one per system)', () => {
  it.each(valid)('%s %j → %j', (system, raw, stored) => {
    expect(IDENTIFIER_SCHEMAS[system].parse(raw)).toBe(stored);
    expect(checkIdentifier(system, raw)).toEqual({ ok: true, value: stored });
    expect(isStoredIdentifier(system, stored)).toBe(true);
  });

  it.each(invalid)('%s %j is refused with a Vietnamese message', (system, raw) => {
    const checked = checkIdentifier(system, raw);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(/phải gồm|chỉ gồm/);
  });

  it('isStoredIdentifier wants the stored form, not a typed one', () => {
    expect(isStoredIdentifier('PERSONAL_ID', '058 095 012345')).toBe(false);
    expect(isStoredIdentifier('HOSPITAL_CODE', 'bn1')).toBe(false);
    expect(isStoredIdentifier('HOSPITAL_CODE', 'BN1')).toBe(true);
  });

  it('a { system, value } pair, alone or inside a larger body, comes out normalised or fails on value', () => {
    expect(identifierSchema.parse({ system: 'HOSPITAL_CODE', value: 'bn-1' })).toEqual({
      system: 'HOSPITAL_CODE',
      value: 'BN-1',
    });
    const failed = identifierSchema.safeParse({ system: 'HOSPITAL_CODE', value: 'x,012345678901' });
    expect(failed.success).toBe(false);
    expect(failed.error?.issues[0]).toMatchObject({
      path: ['value'],
      message: expect.stringContaining('Mã người bệnh'),
    });
    expect(identifierSchema.safeParse({ system: 'PASSPORT', value: '1' }).success).toBe(false);

    const body = checkedIdentifier(z.object({ ...identifierFields, reason: z.string() }).strict());
    expect(body.parse({ system: 'CMND', value: '264-123-456', reason: 'r' })).toEqual({
      system: 'CMND',
      value: '264123456',
      reason: 'r',
    });
    expect(body.safeParse({ system: 'CMND', value: '26412345', reason: 'r' }).success).toBe(false);
  });
});
