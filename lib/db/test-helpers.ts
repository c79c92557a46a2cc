import { inject } from 'vitest';
import { randomInt } from 'node:crypto';
import { createDb, type Db } from './client';

/** A Prisma client on the migrated test database (see test-global-setup.ts). */
export function testDb(): Db {
  return createDb(inject('databaseUrl'), 4);
}

/** A facility of its own for one test file, so files do not see each other's rows. */
export async function testFacility(db: Db): Promise<{ id: string; code: string }> {
  for (;;) {
    const code = String(randomInt(10000, 99999));
    const { count } = await db.facility.createMany({
      data: [{ code, name: `Cơ sở thử ${code}` }],
      skipDuplicates: true,
    });
    if (count === 1) return db.facility.findUniqueOrThrow({ where: { code }, select: { id: true, code: true } });
  }
}
