import { afterAll, beforeAll, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import { testDb, testFacility } from '@/lib/db/test-helpers';
import { callRoute, testCaller, useTestDatabaseForRoutes, type Caller } from '@/lib/db/test-api';
import { createUser } from '@/lib/auth/users';
import { login } from '@/lib/auth/login';
import { GET } from './route';
import { POST } from './[id]/account/route';

/** The admin page's user administration through its API: ADMIN only, own facility only, audited. */
let db: Db;
let admin: Caller;
let foreignAdmin: Caller;
let receptionistKey: Caller;
const users: Record<string, string> = {};

beforeAll(async () => {
  useTestDatabaseForRoutes();
  db = testDb();
  const facility = await testFacility(db);
  const other = await testFacility(db);
  admin = await testCaller(db, facility.id, 'ADMIN');
  foreignAdmin = await testCaller(db, other.id, 'ADMIN');
  receptionistKey = await testCaller(db, facility.id, 'RECEPTIONIST');
  for (const name of ['an', 'binh']) {
    const username = `${name}-${randomUUID().slice(0, 6)}`;
    users[name] = (
      await createUser(db, {
        username,
        fullName: 'Người Dùng Thử',
        role: 'RECEPTIONIST',
        facilityCode: facility.code,
        password: 'Thu@12345',
      })
    ).id;
    users[`${name}:username`] = username;
  }
});
afterAll(async () => db.$disconnect());

const act = (caller: Caller, id: string, body: unknown) =>
  callRoute(POST as Parameters<typeof callRoute>[0], caller, 'POST', `/api/v1/users/${id}/account`, {
    body,
    params: { id },
  });

it('lists the facility’s own accounts with their state, never a password hash', async () => {
  const res = await callRoute(GET, admin, 'GET', '/api/v1/users');
  expect(res.status).toBe(200);
  expect(res.json.users.map((u: { id: string }) => u.id).sort()).toEqual([users.an, users.binh].sort());
  expect(res.json.users[0]).toMatchObject({ active: true, locked: false, passwordState: 'OWN', lastSignInAt: null });
  expect(res.text).not.toMatch(/scrypt|passwordHash/);
  expect((await callRoute(GET, foreignAdmin, 'GET', '/api/v1/users')).json.users).toEqual([]);
  expect((await callRoute(GET, receptionistKey, 'GET', '/api/v1/users')).status).toBe(403);
});

it('resets a password (shown in this answer only), disables, enables; another facility’s admin gets 404; audited', async () => {
  const reset = await act(admin, users.an!, { action: 'reset-password' });
  expect(reset.status).toBe(200);
  expect(reset.headers.get('cache-control')).toBe('no-store');
  const password = reset.json.temporaryPassword as string;
  expect((await login(db, users['an:username']!, password, '10.20.0.7')).ok).toBe(true);

  expect((await act(admin, users.binh!, { action: 'disable' })).status).toBe(200);
  expect((await db.user.findUniqueOrThrow({ where: { id: users.binh } })).active).toBe(false);
  expect((await act(foreignAdmin, users.binh!, { action: 'enable' })).status).toBe(404);
  expect((await db.user.findUniqueOrThrow({ where: { id: users.binh } })).active).toBe(false);
  expect((await act(admin, users.binh!, { action: 'enable' })).status).toBe(200);
  expect((await act(receptionistKey, users.binh!, { action: 'disable' })).status).toBe(403);

  const audit = await db.auditEvent.findMany({
    where: { entityId: { in: [users.an!, users.binh!] } },
    orderBy: { id: 'asc' },
  });
  expect(audit.map((a) => [a.action, a.actorType, a.actorId])).toEqual([
    ['USER_PASSWORD_RESET', 'API_KEY', admin.id],
    ['USER_DISABLED', 'API_KEY', admin.id],
    ['USER_ENABLED', 'API_KEY', admin.id],
  ]);
});

it('refuses an unknown action or a malformed id', async () => {
  expect(await act(admin, users.an!, { action: 'delete' })).toMatchObject({
    status: 400,
    json: { error: { code: 'VALIDATION' } },
  });
  expect((await act(admin, 'not-a-uuid', { action: 'disable' })).status).toBe(404);
  expect((await act(admin, randomUUID(), { action: 'disable' })).status).toBe(404);
});
