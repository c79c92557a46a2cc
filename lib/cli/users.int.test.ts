import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createDb, type Db } from '../db/client';
import { freshDatabase } from '../db/test-database';
import { LOCK_MINUTES, MAX_FAILED_LOGINS, login } from '../auth/login';
import { administerUser, createUser } from '../auth/users';

/**
 * `npm run cli -- user enable|unlock <username>` as IT runs them (the CLI in its own process, on its own database):
 * the account's row changes as said, the sign-in outcome follows, each is audited as the CLI's, and the two stay
 * apart (enabling does not unlock, unlocking does not enable).
 */
const tsx = path.join('node_modules', 'tsx', 'dist', 'cli.mjs');
const USER = { username: 'letan.khoa', fullName: 'Lê Thị Khóa (thử)', password: 'Khoa#Desk2026' };
const IP = '10.20.0.41';
let url: string;
let db: Db;
let userId: string;

beforeAll(async () => {
  url = await freshDatabase(inject('serverUrl'), 'tiepdon_cli_users', { migrated: true });
  db = createDb(url, 1);
  await db.facility.create({ data: { code: '58002', name: 'Trung tâm Y tế thử (CLI)' } });
  ({ id: userId } = await createUser(db, { ...USER, role: 'RECEPTIONIST', facilityCode: '58002' }));
});
afterAll(() => db?.$disconnect());

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [tsx, 'lib/cli/index.ts', ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn', USER: 'it-lead' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

const account = () =>
  db.user.findUniqueOrThrow({ where: { id: userId }, select: { active: true, failedLogins: true, lockedUntil: true } });
const signIn = async () => {
  const result = await login(db, USER.username, USER.password, IP);
  return result.ok ? 'ok' : result.failure;
};

it('user enable and user unlock: the row, the sign-in outcome and the audit trail', async () => {
  // Locked by wrong passwords, then disabled: the right password is refused for both reasons.
  for (let i = 0; i < MAX_FAILED_LOGINS; i++) await login(db, USER.username, 'sai-mat-khau', IP);
  await administerUser(db, 'disable', { username: USER.username }, { actorName: 'cli:test' });
  expect(await account()).toMatchObject({ active: false, failedLogins: MAX_FAILED_LOGINS });
  expect((await account()).lockedUntil!.getTime()).toBeGreaterThan(Date.now() + (LOCK_MINUTES - 1) * 60_000);
  expect(await signIn()).toBe('inactive');

  const enable = cli('user', 'enable', USER.username);
  expect(enable.code, enable.err).toBe(0);
  expect(enable.out).toContain(`${USER.username}: đã kích hoạt lại / enabled`);
  // Enabled, but still locked: enabling is not unlocking.
  expect(await account()).toMatchObject({ active: true, failedLogins: MAX_FAILED_LOGINS });
  expect((await account()).lockedUntil!.getTime()).toBeGreaterThan(Date.now());
  expect(await signIn()).toBe('locked');

  const unlock = cli('user', 'unlock', USER.username);
  expect(unlock.code, unlock.err).toBe(0);
  expect(unlock.out).toContain(`${USER.username}: đã mở khóa / unlocked`);
  expect(await account()).toEqual({ active: true, failedLogins: 0, lockedUntil: null });
  expect(await signIn()).toBe('ok');

  const audited = await db.auditEvent.findMany({
    where: { action: { in: ['USER_ENABLED', 'USER_UNLOCKED'] } },
    orderBy: { id: 'asc' },
    select: { action: true, actorName: true, entityId: true },
  });
  expect(audited).toEqual([
    { action: 'USER_ENABLED', actorName: 'cli:it-lead', entityId: userId },
    { action: 'USER_UNLOCKED', actorName: 'cli:it-lead', entityId: userId },
  ]);
}, 120_000);

it('unlocking a disabled account does not enable it', async () => {
  await administerUser(db, 'disable', { username: USER.username }, { actorName: 'cli:test' });
  for (let i = 0; i < MAX_FAILED_LOGINS; i++)
    await db.user.update({ where: { id: userId }, data: { failedLogins: { increment: 1 } } });
  const unlock = cli('user', 'unlock', USER.username);
  expect(unlock.code, unlock.err).toBe(0);
  expect(await account()).toEqual({ active: false, failedLogins: 0, lockedUntil: null });
  expect(await signIn()).toBe('inactive');
}, 120_000);

it('an unknown user name: exit 2 with a Vietnamese message, nothing audited', async () => {
  const before = await db.auditEvent.count({ where: { action: { in: ['USER_ENABLED', 'USER_UNLOCKED'] } } });
  const enable = cli('user', 'enable', 'khong.co.ai');
  expect(enable.code).toBe(2);
  expect(enable.err).toContain('Không có người dùng khong.co.ai. / No user khong.co.ai.');
  expect(await db.auditEvent.count({ where: { action: { in: ['USER_ENABLED', 'USER_UNLOCKED'] } } })).toBe(before);
}, 120_000);
