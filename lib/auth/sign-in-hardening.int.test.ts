import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../db/client';
import { testDb, testFacility } from '../db/test-helpers';
import { login, LOCK_MINUTES, MAX_FAILED_LOGINS, MAX_FAILED_PER_ADDRESS, THROTTLE_MINUTES } from './login';
import { touchSession } from './sessions';
import { createUser } from './users';
import { clientIp, normalizeIp, PEER_HEADER, trustedProxies } from '../net/client-ip';

/** Issue 10's review of sign-in and sessions: one answer, per-address throttling, hostile headers, polling, lifetime. */
let db: Db;
let facility: { id: string; code: string };
const PASSWORD = 'Thu@12345';

async function newUser() {
  const username = `h${randomUUID().slice(0, 8)}`;
  await createUser(db, {
    username,
    fullName: 'Người Dùng Thử',
    role: 'RECEPTIONIST',
    facilityCode: facility.code,
    password: PASSWORD,
  });
  return username;
}
/** A test address of its own, so the files' throttle rows never meet. */
const address = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
const failures = (where: { actorName?: string; ip?: string }) =>
  db.auditEvent.findMany({
    where: { action: 'LOGIN_FAILED', ...where },
    orderBy: { id: 'asc' },
    select: { outcome: true, ip: true, actorName: true, details: true },
  });

beforeAll(async () => {
  db = testDb();
  facility = await testFacility(db);
});
afterAll(async () => db.$disconnect());

describe('one answer for every failed sign-in', () => {
  it('unknown, disabled, locked and wrong: the same result, each audited with its real reason', async () => {
    const wrong = await newUser();
    const disabled = await newUser();
    await db.user.update({ where: { username: disabled }, data: { active: false } });
    const locked = await newUser();
    await db.user.update({
      where: { username: locked },
      data: { lockedUntil: new Date(Date.now() + LOCK_MINUTES * 60_000), failedLogins: MAX_FAILED_LOGINS },
    });
    const answers = {
      unknown: await login(db, `khong-co-${randomUUID().slice(0, 6)}`, PASSWORD, null),
      disabled: await login(db, disabled, PASSWORD, null),
      locked: await login(db, locked, PASSWORD, null), // the right password, still refused
      wrong: await login(db, wrong, 'Sai@12345', null),
    };
    for (const answer of Object.values(answers)) expect(answer).toMatchObject({ ok: false, reason: 'INVALID' });
    expect(Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, !v.ok && v.failure]))).toEqual({
      unknown: 'unknown-user',
      disabled: 'inactive',
      locked: 'locked',
      wrong: 'bad-password',
    });
    expect((await failures({ actorName: locked }))[0]).toMatchObject({
      outcome: 'DENIED',
      details: { reason: 'locked' },
    });
  });

  it('takes as long whether the account is unknown, disabled, locked or the password wrong (one scrypt each)', async () => {
    const wrong = await newUser();
    const disabled = await newUser();
    await db.user.update({ where: { username: disabled }, data: { active: false } });
    const locked = await newUser();
    await db.user.update({ where: { username: locked }, data: { lockedUntil: new Date(Date.now() + 3_600_000) } });
    const kinds: Record<string, () => Promise<unknown>> = {
      unknown: () => login(db, `khong-co-${randomUUID().slice(0, 6)}`, PASSWORD, null),
      disabled: () => login(db, disabled, PASSWORD, null),
      locked: () => login(db, locked, PASSWORD, null),
      wrong: async () => {
        await db.user.update({ where: { username: wrong }, data: { failedLogins: 0, lockedUntil: null } }); // stays unlocked
        return login(db, wrong, 'Sai@12345', null);
      },
    };
    const times: Record<string, number[]> = { unknown: [], disabled: [], locked: [], wrong: [] };
    for (let round = 0; round < 5; round++) {
      for (const [kind, attempt] of Object.entries(kinds)) {
        // interleaved: the machine's load falls on all alike
        const t = performance.now();
        await attempt();
        times[kind]!.push(performance.now() - t);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    // scrypt (N=2^15) is tens of milliseconds at least; a path that skips it answers in a few.
    for (const kind of Object.keys(kinds))
      expect(medians[kind], JSON.stringify(medians)).toBeGreaterThan(0.5 * medians.wrong!);
  });
});

describe('per-address throttling', () => {
  it(`refuses an address after ${MAX_FAILED_PER_ADDRESS} failures on any accounts, even with a right password, until the window ends`, async () => {
    const ip = address();
    const victim = await newUser();
    const t0 = new Date(Date.now() - 60_000);
    // Password spraying: a few guesses each on many accounts, never enough to lock any of them.
    for (let i = 0; i < MAX_FAILED_PER_ADDRESS; i++) {
      expect(await login(db, `nguoi-${i}-${randomUUID().slice(0, 4)}`, 'Doan@123', ip, t0)).toMatchObject({
        ok: false,
        failure: 'unknown-user',
      });
    }
    const refused = await login(db, victim, PASSWORD, ip, new Date(t0.getTime() + 1000));
    expect(refused).toEqual({ ok: false, reason: 'INVALID', failure: 'address-throttled' });
    expect((await failures({ ip })).at(-1)).toMatchObject({
      outcome: 'DENIED',
      details: { reason: 'address-throttled' },
    });
    // The account itself is not locked, and other desks still sign in.
    expect(await db.user.findUniqueOrThrow({ where: { username: victim } })).toMatchObject({
      failedLogins: 0,
      lockedUntil: null,
    });
    expect(await login(db, victim, PASSWORD, address(), new Date(t0.getTime() + 2000))).toMatchObject({ ok: true });
    // After the window the address may try again.
    expect(
      await login(db, victim, PASSWORD, ip, new Date(t0.getTime() + (THROTTLE_MINUTES * 60 + 1) * 1000)),
    ).toMatchObject({ ok: true });
  });
});

describe('hostile input never keeps a failed sign-in out of the audit trail', () => {
  it('a long or garbage address and control characters in the user name: audited, address dropped', async () => {
    const hostile = [
      '1.2.3.4'.repeat(200),
      '\'); DROP TABLE "AuditEvent"; --',
      '999.1.1.1',
      '\u0000\u0085',
      'fe80::1%eth0'.repeat(8),
    ];
    for (const ip of hostile) {
      const name = `ke-la\u0000\u001b[31m-${randomUUID().slice(0, 6)}`;
      expect(await login(db, name, 'x', ip)).toMatchObject({ ok: false, reason: 'INVALID' });
      const [row] = await failures({ actorName: name.replace(/[\u0000\u001b]/g, '').toLowerCase() });
      expect(row, JSON.stringify(ip)).toMatchObject({ outcome: 'FAILURE', ip: null });
    }
    const ok = await login(db, `ke-la-${randomUUID().slice(0, 6)}`, 'x', '::ffff:192.168.5.20');
    expect(ok.ok).toBe(false);
    expect(
      (await db.auditEvent.findFirstOrThrow({ where: { action: 'LOGIN_FAILED' }, orderBy: { id: 'desc' } })).ip,
    ).toBe('192.168.5.20');
  });

  it('the client address: the socket peer, X-Forwarded-For only through TRUSTED_PROXIES', () => {
    const none = trustedProxies('');
    const proxies = trustedProxies('10.0.0.2, 10.1.0.0/16 ::1');
    const h = (peer: string | undefined, xff?: string) =>
      new Headers({
        ...(peer !== undefined ? { [PEER_HEADER]: peer } : {}),
        ...(xff ? { 'x-forwarded-for': xff } : {}),
      });
    expect(clientIp(h('192.168.1.7', '8.8.8.8'), none)).toBe('192.168.1.7'); // a desk cannot name another address
    expect(clientIp(h('10.0.0.2', '192.168.1.7'), proxies)).toBe('192.168.1.7');
    expect(clientIp(h('10.0.0.2', '6.6.6.6, 192.168.1.7, 10.1.4.4'), proxies)).toBe('192.168.1.7'); // client-sent part ignored
    expect(clientIp(h('10.0.0.2', 'garbage, 10.1.4.4'), proxies)).toBe('10.1.4.4');
    expect(clientIp(h('10.0.0.2', 'x'.repeat(100_000)), proxies)).toBe('10.0.0.2');
    expect(clientIp(h('::ffff:192.168.1.7'), none)).toBe('192.168.1.7');
    expect(clientIp(h(undefined, '192.168.1.7'), proxies)).toBeNull(); // not through the web server: unknown
    expect(clientIp({ [PEER_HEADER]: '::1', 'x-forwarded-for': '192.168.9.9' }, proxies)).toBe('192.168.9.9');
    expect(normalizeIp('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(() => trustedProxies('10.0.0.0/33')).toThrow(/TRUSTED_PROXIES/);
    expect(() => trustedProxies('proxy.local')).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('sessions: polling and lifetime', () => {
  it('background polling neither counts as activity nor keeps an idle session open', async () => {
    const username = await newUser();
    const result = await login(db, username, PASSWORD, null);
    if (!result.ok) throw new Error('login failed');
    const t = (await db.userSession.findUniqueOrThrow({ where: { id: result.sessionId } })).lastSeenAt.getTime();
    // A desk left alone, its lists refreshing every few seconds for 29 minutes: still signed in, but not "active".
    for (let minute = 1; minute <= 29; minute += 4) {
      expect(
        await touchSession(db, result.sessionId, new Date(t + minute * 60_000), { activity: false }),
      ).toMatchObject({ name: username });
    }
    expect((await db.userSession.findUniqueOrThrow({ where: { id: result.sessionId } })).lastSeenAt.getTime()).toBe(t);
    // 31 minutes after the last real request the next poll finds the session ended.
    expect(await touchSession(db, result.sessionId, new Date(t + 31 * 60_000), { activity: false })).toBeNull();
    expect(await db.userSession.findUniqueOrThrow({ where: { id: result.sessionId } })).toMatchObject({
      endReason: 'IDLE',
    });
    expect(await touchSession(db, result.sessionId, new Date(t + 31 * 60_000))).toBeNull();
  });

  it(`end after SESSION_MAX_HOURS (default 12) however active`, async () => {
    const username = await newUser();
    const result = await login(db, username, PASSWORD, null);
    if (!result.ok) throw new Error('login failed');
    const t = (await db.userSession.findUniqueOrThrow({ where: { id: result.sessionId } })).createdAt.getTime();
    for (let minute = 20; minute < 12 * 60; minute += 20) {
      expect(
        await touchSession(db, result.sessionId, new Date(t + minute * 60_000)),
        `minute ${minute}`,
      ).not.toBeNull();
    }
    expect(await touchSession(db, result.sessionId, new Date(t + 12 * 3_600_000 + 60_000))).toBeNull();
    expect(await db.userSession.findUniqueOrThrow({ where: { id: result.sessionId } })).toMatchObject({
      endReason: 'EXPIRED',
    });
    const actions = (await db.auditEvent.findMany({ where: { actorName: username }, select: { action: true } })).map(
      (a) => a.action,
    );
    expect(actions).toContain('SESSION_MAX_AGE_EXPIRED');

    const second = await login(db, username, PASSWORD, null);
    if (!second.ok) throw new Error('login failed');
    const t2 = (await db.userSession.findUniqueOrThrow({ where: { id: second.sessionId } })).createdAt.getTime();
    process.env.SESSION_MAX_HOURS = '2';
    try {
      expect(await touchSession(db, second.sessionId, new Date(t2 + 2 * 3_600_000 + 1000))).toBeNull();
    } finally {
      delete process.env.SESSION_MAX_HOURS;
    }
  });
});

describe('API keys: end dates and revocation', () => {
  it('an expired key is refused from its end date on, even while remembered', async () => {
    const { createApiKey, verifyApiKey, expiryFromDays } = await import('./api-keys');
    const t0 = new Date();
    const { key } = await createApiKey(db, {
      name: 'kiosk-het-han',
      role: 'RECEPTIONIST',
      facilityId: facility.id,
      expiresAt: new Date(t0.getTime() + 10_000),
    });
    expect(await verifyApiKey(db, key, t0)).toMatchObject({ kind: 'API_KEY', name: 'kiosk-het-han' });
    expect(await verifyApiKey(db, key, new Date(t0.getTime() + 9_000))).not.toBeNull(); // remembered (cache)
    expect(await verifyApiKey(db, key, new Date(t0.getTime() + 10_000))).toBeNull();
    expect(await verifyApiKey(db, key, new Date(t0.getTime() + 3_600_000))).toBeNull();
    expect(expiryFromDays(30, t0)!.getTime() - t0.getTime()).toBe(30 * 86_400_000);
    expect(expiryFromDays(null, t0)).toBeNull();
  });

  it("an administrator revokes only their own facility's keys", async () => {
    const { createApiKey, revokeApiKey, verifyApiKey } = await import('./api-keys');
    const other = await testFacility(db);
    const { id, key } = await createApiKey(db, { name: 'may-tram', role: 'SUPPORT', facilityId: other.id });
    expect(await revokeApiKey(db, id, { facilityId: facility.id })).toBe(false);
    expect(await verifyApiKey(db, key)).not.toBeNull();
    expect(await revokeApiKey(db, id, { facilityId: other.id })).toBe(true);
    expect(await verifyApiKey(db, key)).toBeNull();
  });
});
