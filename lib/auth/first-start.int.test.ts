import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDb, type Db } from '../db/client';
import { freshDatabase } from '../db/test-database';
import { seedDemo } from '../db/demo';
import { demoPasswordAccounts, ensureFirstAdmin, networkExposure as exposure } from './first-start';
import { login } from './login';
import { touchSession } from './sessions';
import { administerUser } from './users';

/** The first administrator of a real database, and which accounts keep the server off the network. */
let db: Db;

beforeAll(async () => {
  // A database of its own: "no ADMIN anywhere" is a whole-database condition.
  db = createDb(await freshDatabase(inject('serverUrl'), 'tiepdon_first_start', { migrated: true }), 4);
});
afterAll(async () => db.$disconnect());

it('the first administrator: none without a facility; then one, TEMPORARY, even when several starts race', async () => {
  expect(await ensureFirstAdmin(db)).toEqual({ status: 'no-facility' });
  await db.facility.create({ data: { code: '58001', name: 'Trung tâm Y tế thử' } });
  await db.facility.create({ data: { code: '58002', name: 'Bệnh viện thử' } });
  const results = await Promise.all([ensureFirstAdmin(db), ensureFirstAdmin(db), ensureFirstAdmin(db)]);
  const created = results.filter((r) => r.status === 'created');
  expect(created).toHaveLength(1);
  expect(results.filter((r) => r.status === 'exists')).toHaveLength(2);
  const admin = created[0]!;
  if (admin.status !== 'created') throw new Error('unreachable');
  expect(admin).toMatchObject({ username: 'quantri', facilityCode: '58001' });
  const row = await db.user.findUniqueOrThrow({ where: { username: 'quantri' } });
  expect(row).toMatchObject({ role: 'ADMIN', passwordState: 'TEMPORARY', active: true });
  expect(row.passwordHash).not.toContain(admin.password);
  const signedIn = await login(db, 'quantri', admin.password, '10.20.0.5');
  if (!signedIn.ok) throw new Error(signedIn.failure);
  expect((await touchSession(db, signedIn.sessionId))?.mustChangePassword).toBe(true);
  expect(await db.auditEvent.findFirst({ where: { entityId: row.id, action: 'USER_CREATED' } })).toMatchObject({
    actorName: 'system:first-start',
    details: { role: 'ADMIN', firstAdmin: true },
  });

  // A disabled administrator is still one: enabling it is the way back, not a second account.
  await administerUser(db, 'disable', { username: 'quantri' }, { actorName: 'cli:test' });
  expect(await ensureFirstAdmin(db)).toEqual({ status: 'exists' });
  expect(await db.user.count({ where: { role: 'ADMIN' } })).toBe(1);
});

it('demo accounts keep the server on this machine until each is reset or disabled', async () => {
  await seedDemo(db);
  // quantri existed already (the first admin above): seeding left it as it was, not a demo account.
  expect(await demoPasswordAccounts(db)).toEqual(['hotro', 'letan', 'quanly']);
  expect((await db.user.findUniqueOrThrow({ where: { username: 'quantri' } })).passwordState).toBe('TEMPORARY');
  for (const name of ['letan', 'hotro'])
    await administerUser(db, 'disable', { username: name }, { actorName: 'cli:test' });
  expect(await demoPasswordAccounts(db)).toEqual(['quanly']);
  await administerUser(db, 'reset-password', { username: 'quanly' }, { actorName: 'cli:test' });
  expect(await demoPasswordAccounts(db)).toEqual([]);
});

it('knows when the app is reachable from other machines', () => {
  const networkExposure = (env: Record<string, string>) => exposure(env as NodeJS.ProcessEnv);
  expect(networkExposure({})).toBeNull();
  expect(networkExposure({ HOST: '127.0.0.1', NEXTAUTH_URL: 'http://localhost:3000' })).toBeNull();
  expect(networkExposure({ HOST: '::1' })).toBeNull();
  expect(networkExposure({ HOST: '0.0.0.0' })).toBe('HOST=0.0.0.0');
  expect(networkExposure({ HOST: '10.20.0.5' })).toBe('HOST=10.20.0.5');
  expect(networkExposure({ HOST: '::' })).toBe('HOST=::');
  // Behind a reverse proxy on the same machine: the proxy's public URL, or trusting a proxy at all.
  expect(networkExposure({ NEXTAUTH_URL: 'https://tiepdon.benhvien.local' })).toBe(
    'NEXTAUTH_URL=https://tiepdon.benhvien.local',
  );
  expect(networkExposure({ TRUSTED_PROXIES: '127.0.0.1' })).toBe('TRUSTED_PROXIES=127.0.0.1');
});
