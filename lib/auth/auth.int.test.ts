import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import { login, LOCK_MINUTES, MAX_FAILED_LOGINS } from './login';
import { endSession, touchSession } from './sessions';
import { createApiKey, revokeApiKey, verifyApiKey } from './api-keys';
import { createUser, newUserSchema } from './users';
import { canAccess, homePath, ROLES, USER_ROLES, type Area } from './roles';

let db: Db;
let facility: { id: string; code: string };
const PASSWORD = 'Thu@12345';

async function newUser(role: (typeof USER_ROLES)[number] = 'RECEPTIONIST') {
  const username = `u${randomUUID().slice(0, 8)}`;
  await createUser(db, { username, fullName: 'Người Dùng Thử', role, facilityCode: facility.code, password: PASSWORD });
  return username;
}

const auditActions = async (username: string) =>
  (await db.auditEvent.findMany({ where: { actorName: username }, orderBy: { id: 'asc' } })).map(
    (e) => `${e.action}:${e.outcome}`,
  );

beforeAll(async () => {
  db = testDb();
  facility = await testFacility(db);
});
afterAll(async () => db.$disconnect());

describe('passwords', () => {
  it('hash with a salt and verify only the right password', async () => {
    const a = await hashPassword('Mật khẩu 1');
    const b = await hashPassword('Mật khẩu 1');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('Mật khẩu 1', a)).toBe(true);
    expect(await verifyPassword('Mật khẩu 2', a)).toBe(false);
    expect(await verifyPassword('Mật khẩu 1', 'bcrypt$whatever')).toBe(false);
  });
  it('refuse weak ones with a Vietnamese reason', () => {
    expect(passwordProblem('Ab1')).toMatch(/ít nhất 8 ký tự/);
    expect(passwordProblem('abcdefgh')).toMatch(/cả chữ và số/);
    expect(passwordProblem('Demo@12346')).toBeNull();
    expect(passwordProblem('Demo@12345')).toMatch(/mật khẩu demo/); // published in the README
  });
});

describe('login and lock-out', () => {
  it('opens a server-side session on success and audits it', async () => {
    const username = await newUser();
    const result = await login(db, username, PASSWORD, '10.0.0.5');
    expect(result).toMatchObject({ ok: true, username, role: 'RECEPTIONIST' });
    if (!result.ok) throw new Error('unreachable');
    expect(await db.userSession.findUnique({ where: { id: result.sessionId } })).toMatchObject({ endedAt: null });
    expect(await auditActions(username)).toEqual(['LOGIN:SUCCESS']);
  });

  it(`locks after ${MAX_FAILED_LOGINS} failures for ${LOCK_MINUTES} minutes, even against the right password`, async () => {
    const username = await newUser();
    const t0 = new Date('2026-11-25T00:00:00Z');
    for (let i = 1; i < MAX_FAILED_LOGINS; i++)
      expect(await login(db, username, `sai-${i}`, null, t0)).toEqual({
        ok: false,
        reason: 'INVALID',
        failure: 'bad-password',
      });
    const fifth = await login(db, username, 'sai-5', null, t0);
    expect(fifth).toEqual({ ok: false, reason: 'INVALID', failure: 'bad-password' }); // the answer does not say "locked"
    expect((await db.user.findUniqueOrThrow({ where: { username } })).lockedUntil).toEqual(
      new Date(t0.getTime() + LOCK_MINUTES * 60_000),
    );
    expect(await login(db, username, PASSWORD, null, new Date(t0.getTime() + 14 * 60_000))).toEqual({
      ok: false,
      reason: 'INVALID',
      failure: 'locked',
    });
    expect(await login(db, username, PASSWORD, null, new Date(t0.getTime() + 16 * 60_000))).toMatchObject({ ok: true });
    const actions = await auditActions(username);
    expect(actions.filter((a) => a === 'LOGIN_FAILED:FAILURE')).toHaveLength(5);
    expect(actions).toContain('ACCOUNT_LOCKED:DENIED');
    expect(actions).toContain('LOGIN_FAILED:DENIED');
    expect(actions.at(-1)).toBe('LOGIN:SUCCESS');
    const user = await db.user.findUniqueOrThrow({ where: { username } });
    expect(user).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('counts concurrent wrong guesses: none is lost', async () => {
    const username = await newUser();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => login(db, username, `doan-${i}`, null)));
    expect(results.every((r) => !r.ok)).toBe(true);
    const user = await db.user.findUniqueOrThrow({ where: { username } });
    expect(user.failedLogins).toBe(6);
    expect(user.lockedUntil).not.toBeNull();
  });

  it('does not say whether an account exists', async () => {
    expect(await login(db, 'khong-ton-tai', PASSWORD, null)).toEqual({
      ok: false,
      reason: 'INVALID',
      failure: 'unknown-user',
    });
  });
});

describe('sessions', () => {
  it('end after the idle time, and stay ended', async () => {
    const username = await newUser();
    const result = await login(db, username, PASSWORD, null);
    if (!result.ok) throw new Error('login failed');
    const session = await db.userSession.findUniqueOrThrow({ where: { id: result.sessionId } });
    const t = session.lastSeenAt.getTime();
    const active = await touchSession(db, result.sessionId, new Date(t + 29 * 60_000));
    expect(active).toMatchObject({ kind: 'USER', name: username, role: 'RECEPTIONIST', facilityCode: facility.code });
    // 29 minutes later again: still fine, because the previous request counted as activity.
    expect(await touchSession(db, result.sessionId, new Date(t + 58 * 60_000))).not.toBeNull();
    expect(await touchSession(db, result.sessionId, new Date(t + 89 * 60_000))).toBeNull();
    expect(await db.userSession.findUniqueOrThrow({ where: { id: result.sessionId } })).toMatchObject({
      endReason: 'IDLE',
    });
    expect(await touchSession(db, result.sessionId, new Date(t + 90 * 60_000))).toBeNull();
    expect(await auditActions(username)).toContain('SESSION_IDLE_EXPIRED:SUCCESS');
  });

  it('honour SESSION_IDLE_MINUTES', async () => {
    const username = await newUser();
    const result = await login(db, username, PASSWORD, null);
    if (!result.ok) throw new Error('login failed');
    const t = (await db.userSession.findUniqueOrThrow({ where: { id: result.sessionId } })).lastSeenAt.getTime();
    process.env.SESSION_IDLE_MINUTES = '5';
    try {
      expect(await touchSession(db, result.sessionId, new Date(t + 6 * 60_000))).toBeNull();
    } finally {
      delete process.env.SESSION_IDLE_MINUTES;
    }
  });

  it('end at sign-out and when the account is locked or disabled', async () => {
    const username = await newUser();
    const a = await login(db, username, PASSWORD, null);
    const b = await login(db, username, PASSWORD, null);
    if (!a.ok || !b.ok) throw new Error('login failed');
    await endSession(db, a.sessionId, 'LOGOUT');
    expect(await touchSession(db, a.sessionId)).toBeNull();
    expect(await auditActions(username)).toContain('LOGOUT:SUCCESS');
    await db.user.update({ where: { username }, data: { active: false } });
    expect(await touchSession(db, b.sessionId)).toBeNull();
  });
});

describe('API keys', () => {
  it('verify only the exact key, and stop working when revoked', async () => {
    const { id, key } = await createApiKey(db, { name: 'kiosk-1', role: 'RECEPTIONIST', facilityId: facility.id });
    const stored = await db.apiKey.findUniqueOrThrow({ where: { id } });
    const secret = key.slice('td_'.length + 12 + 1); // the secret itself may contain '_'
    expect(secret).toHaveLength(32);
    expect(stored.keyHash).not.toContain(secret);
    expect(stored.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyApiKey(db, key)).toMatchObject({
      kind: 'API_KEY',
      name: 'kiosk-1',
      role: 'RECEPTIONIST',
      facilityCode: facility.code,
    });
    expect(await verifyApiKey(db, key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(await verifyApiKey(db, 'td_000000000000_' + 'x'.repeat(32))).toBeNull();
    expect(await verifyApiKey(db, 'not a key')).toBeNull();
    expect(await revokeApiKey(db, id)).toBe(true);
    expect(await verifyApiKey(db, key)).toBeNull();
  });
});

describe('roles', () => {
  it('open each area to its own role and to administrators only', () => {
    const matrix = Object.fromEntries(
      ROLES.map((role) => [role, (['desk', 'search', 'reports', 'admin'] as Area[]).filter((a) => canAccess(role, a))]),
    );
    expect(matrix).toEqual({
      RECEPTIONIST: ['desk'],
      SUPPORT: ['search'],
      MANAGER: ['reports'],
      ADMIN: ['desk', 'search', 'reports', 'admin'],
      MONITOR: [],
    });
    expect(ROLES.map(homePath)).toEqual(['/tiep-don', '/tra-cuu', '/bao-cao', '/quan-tri', '/khong-co-quyen']);
    // Routes open to every signed-in role (area null) are not open to monitoring keys.
    expect(ROLES.filter((role) => canAccess(role, null))).toEqual(USER_ROLES);
  });

  it('MONITOR is for API keys only: no person can have it (schema and database)', async () => {
    const input = {
      username: `m${randomUUID().slice(0, 8)}`,
      fullName: 'Người Dùng Thử',
      role: 'MONITOR',
      facilityCode: facility.code,
      password: PASSWORD,
    };
    expect(newUserSchema.safeParse(input).success).toBe(false);
    await expect(
      db.user.create({
        data: {
          username: input.username,
          fullName: input.fullName,
          role: 'MONITOR',
          facilityId: facility.id,
          passwordHash: 'x',
        },
      }),
    ).rejects.toThrow(/User_role_not_monitor/);
  });
});
