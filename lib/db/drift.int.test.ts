import { describe, expect, inject, it } from 'vitest';
import fs from 'node:fs';
import pg from 'pg';
import { schemaDrift } from './drift';

const schema = fs.readFileSync('prisma/schema.prisma', 'utf8');

async function driftOf(schemaText: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    return await schemaDrift(schemaText, client);
  } finally {
    await client.end();
  }
}

describe('schema.prisma and the migrated database', () => {
  it('agree', async () => {
    expect(await driftOf(schema)).toEqual([]);
  });

  it('disagree when the schema drifts, and say where', async () => {
    const drifted = schema
      .replace(
        '  phone          String?  @db.VarChar(20)\n',
        '  phone          String?  @db.VarChar(20)\n  email String?\n',
      )
      .replace('  address        String?\n', '  address        String\n')
      .replace('@@index([normalizedName, birthYear])', '@@index([normalizedName])')
      .replace('  @@unique([facilityId, code])\n', '')
      .replace('  MANUAL\n}', '  MANUAL\n  FACE_ID\n}');
    const diffs = await driftOf(drifted);
    expect(diffs).toEqual(
      expect.arrayContaining([
        'column Patient.email: missing in database',
        'column Patient.address: database NULL, schema NOT NULL',
        'index Patient_normalizedName_idx on Patient(normalizedName): missing in database',
        'index Patient_normalizedName_birthYear_idx on Patient: in database only',
        'unique index Room_facilityId_code_key on Room: in database only',
        expect.stringMatching(/^enum IdentificationMethod: database has/),
      ]),
    );
    expect(diffs).toHaveLength(6);
  });

  it('notices a changed column type', async () => {
    const diffs = await driftOf(
      schema.replace('code      String   @unique @db.VarChar(5)', 'code      String   @unique @db.VarChar(6)'),
    );
    expect(diffs).toEqual([
      'column Facility.code: database type character varying(5), schema type character varying(6)',
    ]);
  });
});
