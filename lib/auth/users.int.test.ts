import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import { login, MAX_FAILED_LOGINS } from './login';
import { touchSession } from './sessions';
import { administerUser, changeOwnPassword, createUser, listUsers } from './users';
import { DEMO_PASSWORD } from './password';
import type { Principal, USER_ROLES } from './roles';

/** User administration (CLI and admin page share it) and one's own password change, on a real database. */
let db: Db;
let facility: { id: string; code: string };
let other: { id: string; code: string };
const PASSWORD = 'Thu@12345';
const IP = '10.20.0.31';

async function newUser(
  role: (typeof USER_ROLES)[number] = 'RECEPTIONIST',
  where = facility,
  passwordState?: 'DEMO' | 'TEMPORARY' | 'OWN',
) {
  const username = `u${randomUUID().slice(0, 8)}`;
  const { id } = await createUser(
    db,
    { username, fullName: 'Người Dùng Thử', role, facilityCode: where.code, password: PASSWORD },
    { passwordState },
  );
  return { id, username };
}

async function signedIn(username: string, password = PASSWORD, ip = IP): Promise<Principal> {
  const result = await login(db, username, password, ip);
  if (!result.ok) throw new Error(`sign-in failed: ${result.failure}`);
  return (await touchSession(db, result.sessionId))!;
}

const lastAudit = async (entityId: string) => db.auditEvent.findFirst({ where: { entityId }, orderBy: { id: 'desc' } });

beforeAll(async () => {
  db = testDb();
  facility = await testFacility(db);
  other = await testFacility(db);
});
afterAll(async () => db.$disconnect());

describe('administerUser', () => {
  it('disable ends the user’s sessions at once and refuses sign-in; enable lets them back; both audited', async () => {
    const admin = await signedIn((await newUser('ADMIN')).username);
    const target = await newUser();
    const session = await signedIn(target.username);
    expect(await administerUser(db, 'disable', { id: target.id }, { actor: admin })).toEqual({
      ok: true,
      username: target.username,
    });
    expect(await touchSession(db, session.sessionId!)).toBeNull();
    expect(await db.userSession.findUniqueOrThrow({ where: { id: session.sessionId! } })).toMatchObject({
      endReason: 'DISABLED',
    });
    expect(await login(db, target.username, PASSWORD, IP)).toMatchObject({ ok: false, failure: 'inactive' });
    expect(await lastAudit(target.id)).toMatchObject({
      action: 'USER_DISABLED',
      actorName: admin.name,
      facilityId: facility.id,
      details: { username: target.username, sessionsEnded: 1 },
    });

    expect((await administerUser(db, 'enable', { username: target.username }, { actorName: 'cli:test' })).ok).toBe(
      true,
    );
    expect((await login(db, target.username, PASSWORD, IP)).ok).toBe(true);
    expect(await lastAudit(target.id)).toMatchObject({
      action: 'USER_ENABLED',
      actorName: 'cli:test',
      facilityId: facility.id,
    });
  });

  it('reset-password: a generated password (returned once, stored hashed), unlocked, sessions ended, changed at next sign-in', async () => {
    const target = await newUser();
    const session = await signedIn(target.username);
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await login(db, target.username, 'sai-mat-khau-1', IP);
    expect(await login(db, target.username, PASSWORD, IP)).toMatchObject({ ok: false, failure: 'locked' });

    const result = await administerUser(db, 'reset-password', { username: target.username }, { actorName: 'cli:test' });
    if (!result.ok || !result.temporaryPassword) throw new Error('no password');
    expect(result.temporaryPassword).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
    const row = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(row).toMatchObject({ passwordState: 'TEMPORARY', failedLogins: 0, lockedUntil: null });
    expect(row.passwordHash).not.toContain(result.temporaryPassword);
    expect(await touchSession(db, session.sessionId!)).toBeNull();
    expect(await login(db, target.username, PASSWORD, IP)).toMatchObject({ ok: false, failure: 'bad-password' });
    const after = await signedIn(target.username, result.temporaryPassword);
    expect(after.mustChangePassword).toBe(true);
    const audit = await lastAudit(target.id);
    expect(audit).toMatchObject({
      action: 'USER_PASSWORD_RESET',
      details: { username: target.username, sessionsEnded: 1 },
    });
    expect(JSON.stringify(audit?.details)).not.toContain(result.temporaryPassword);
  });

  it('unlock clears a lock-out: the right password works again at once', async () => {
    const target = await newUser();
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) await login(db, target.username, 'sai-mat-khau-1', IP);
    expect(await login(db, target.username, PASSWORD, IP)).toMatchObject({ ok: false, failure: 'locked' });
    expect((await listUsers(db, facility.id)).find((u) => u.id === target.id)).toMatchObject({
      locked: true,
      active: true,
      passwordState: 'OWN',
    });
    expect((await administerUser(db, 'unlock', { id: target.id }, { actorName: 'cli:test' })).ok).toBe(true);
    expect((await login(db, target.username, PASSWORD, IP)).ok).toBe(true);
    expect((await listUsers(db, facility.id)).find((u) => u.id === target.id)).toMatchObject({
      locked: false,
      lastSignInAt: expect.any(Date),
    });
    expect(await lastAudit(target.id)).toMatchObject({ action: 'USER_UNLOCKED' });
  });

  it('an administrator acts on their own facility only, and cannot disable or reset their own account', async () => {
    const admin = await signedIn((await newUser('ADMIN')).username);
    const stranger = await newUser('RECEPTIONIST', other);
    for (const action of ['disable', 'reset-password', 'unlock', 'enable'] as const) {
      await expect(administerUser(db, action, { id: stranger.id }, { actor: admin })).rejects.toMatchObject({
        code: 'UNKNOWN_USER',
      });
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: stranger.id } })).active).toBe(true);
    await expect(administerUser(db, 'disable', { id: admin.id }, { actor: admin })).rejects.toMatchObject({
      code: 'OWN_ACCOUNT',
    });
    await expect(administerUser(db, 'reset-password', { id: admin.id }, { actor: admin })).rejects.toMatchObject({
      code: 'OWN_ACCOUNT',
    });
    expect((await listUsers(db, facility.id)).some((u) => u.id === stranger.id)).toBe(false);
  });
});

describe('changeOwnPassword', () => {
  it('checks the current password, refuses the demo one, and ends the other sessions (this one stays)', async () => {
    const target = await newUser('RECEPTIONIST', facility, 'TEMPORARY');
    const otherDesk = await signedIn(target.username);
    const me = await signedIn(target.username);
    expect(me.mustChangePassword).toBe(true);

    await expect(changeOwnPassword(db, me, 'khong-dung-1', 'Moi@Passw0rd')).rejects.toMatchObject({
      code: 'WRONG_PASSWORD',
    });
    expect(await lastAudit(target.id)).toMatchObject({ action: 'PASSWORD_CHANGE_FAILED', outcome: 'FAILURE' });
    await expect(changeOwnPassword(db, me, PASSWORD, PASSWORD)).rejects.toMatchObject({ code: 'SAME_PASSWORD' });
    await expect(changeOwnPassword(db, me, PASSWORD, DEMO_PASSWORD)).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });

    expect(await changeOwnPassword(db, me, PASSWORD, 'Moi@Passw0rd')).toEqual({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).passwordState).toBe('OWN');
    expect((await touchSession(db, me.sessionId!))?.mustChangePassword).toBeUndefined();
    expect(await touchSession(db, otherDesk.sessionId!)).toBeNull();
    expect(await lastAudit(target.id)).toMatchObject({ action: 'PASSWORD_CHANGED', details: { sessionsEnded: 1 } });
    expect((await login(db, target.username, 'Moi@Passw0rd', IP)).ok).toBe(true);
  });
});

describe('demo accounts', () => {
  it('sign in from this machine only, whatever the server listens on (audited with the reason)', async () => {
    const demo = await newUser('ADMIN', facility, 'DEMO');
    expect(await login(db, demo.username, PASSWORD, '10.20.0.40')).toMatchObject({
      ok: false,
      reason: 'INVALID',
      failure: 'demo-password-remote',
    });
    const denied = await db.auditEvent.findFirst({
      where: { actorName: demo.username, action: 'LOGIN_FAILED' },
      orderBy: { id: 'desc' },
    });
    expect(denied).toMatchObject({ outcome: 'DENIED', details: { reason: 'demo-password-remote' } });
    expect((await login(db, demo.username, PASSWORD, '127.0.0.1')).ok).toBe(true);
    expect((await login(db, demo.username, PASSWORD, '::1')).ok).toBe(true);
  });
});
