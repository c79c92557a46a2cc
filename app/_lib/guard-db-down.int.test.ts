import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Db } from '@/lib/db/client';
import { Prisma } from '@/lib/db/generated/client';
import { seedDemo } from '@/lib/db/demo';
import { createApiKey } from '@/lib/auth/api-keys';
import { isDatabaseUnavailable } from '@/lib/db/transaction';
import { migratedDatabase, startScratchCluster, type ScratchCluster } from '@/lib/db/scratch-cluster';

/**
 * The API while PostgreSQL restarts: 503 with Retry-After and a Vietnamese message (nothing was stored, try
 * again), never 500; and the next request after the restart works without restarting the app.
 */
let cluster: ScratchCluster;
let db: Db;
let key: string;

beforeAll(async () => {
  cluster = await startScratchCluster();
  const url = await migratedDatabase(cluster);
  db = createDb(url, 1);
  await seedDemo(db);
  const facility = await db.facility.findFirstOrThrow({ where: { code: '58999' } });
  key = (await createApiKey(db, { name: 'desk-test', role: 'RECEPTIONIST', facilityId: facility.id })).key;
  process.env.DATABASE_URL = url; // the app's client (getDb) for the route
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await cluster?.destroy();
});

const checkIn = async () => {
  const { POST } = await import('@/app/api/v1/checkins/route');
  const req = new Request('http://localhost/api/v1/checkins', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: { system: 'PERSONAL_ID', value: '079090001234' }, roomCode: 'P01' }),
  });
  return POST(req, { params: Promise.resolve({}) });
};

it('database restarting → 503 + Retry-After (not 500); back → the same request works', async () => {
  expect((await checkIn()).status).toBe(404); // up: unknown person
  await cluster.stop();
  const down = await checkIn();
  expect(down.status).toBe(503);
  expect(down.headers.get('retry-after')).toBe('2');
  expect((await down.json()).error.code).toBe('DATABASE_UNAVAILABLE');
  await cluster.start();
  expect((await checkIn()).status).toBe(404);
}, 60_000);

it('recognises a lost database in pg, Prisma and socket errors, and nothing else', () => {
  expect(
    isDatabaseUnavailable(
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ),
  ).toBe(true);
  expect(
    isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
  ).toBe(true);
  expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
  expect(
    isDatabaseUnavailable({
      name: 'PrismaClientKnownRequestError',
      code: 'P1001',
      message: "Can't reach database server",
    }),
  ).toBe(true);
  expect(isDatabaseUnavailable({ message: 'wrapped', cause: { code: '57P03' } })).toBe(true);
  // As Prisma 7 throws it when a new connection is refused during PostgreSQL's shutdown (seen as 500s in npm run test:faults).
  const shuttingDown = new Prisma.PrismaClientKnownRequestError(
    'Database error. Code: `57P03`. Message: `the database system is shutting down`',
    {
      code: 'P2039',
      clientVersion: '7',
      meta: {
        driverAdapterError: Object.assign(new Error('the database system is shutting down'), {
          cause: { kind: 'postgres', originalCode: '57P03', originalMessage: 'the database system is shutting down' },
        }),
      },
    },
  );
  expect(isDatabaseUnavailable(shuttingDown)).toBe(true);
  expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBe(false);
  expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
});
