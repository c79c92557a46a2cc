import type { Db } from '../db/client';
import { audit } from '../audit';
import { cleanText } from '../identity/normalize';
import { normalizeIp } from '../net/client-ip';
import { isLoopbackHost } from '../net/listen';
import { dummyPasswordHash, verifyPassword } from './password';
import { startSession } from './sessions';
import type { Role } from './roles';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;
/** Failed sign-ins from one client address (whatever the accounts) before it is refused for the rest of the window. */
export const MAX_FAILED_PER_ADDRESS = 20;
export const THROTTLE_MINUTES = 15;

/** Why a sign-in failed: for the audit trail and tests only. The person signing in is told none of it. */
export type LoginFailure =
  'unknown-user' | 'inactive' | 'locked' | 'bad-password' | 'address-throttled' | 'demo-password-remote';

export type LoginResult =
  | { ok: true; userId: string; username: string; fullName: string; role: Role; sessionId: string }
  | { ok: false; reason: 'INVALID'; failure: LoginFailure };

/** How long the last password check took: a throttled address waits as long, without the CPU work. */
let verifyMs = 200;

/**
 * Checks a username and password. Five failures in a row lock the account for 15 minutes (a correct password does
 * not help while locked); 20 failures from one address within 15 minutes refuse that address until the window ends
 * (guessing across many accounts). Every failure gives the same answer in the same time: unknown, disabled, locked
 * and wrong all cost one scrypt check and say "INVALID", so neither the text nor the timing tells which accounts
 * exist or are locked. Success, failures, lock-outs and throttling are audit events, whatever the input.
 */
export async function login(
  db: Db,
  rawUsername: string,
  password: string,
  rawIp: string | null,
  now = new Date(),
): Promise<LoginResult> {
  const ip = normalizeIp(rawIp); // a valid address or none: it keys the throttle row and the audit column
  // A user name is never stored from here, but it goes into the audit row and a query: no control characters.
  const username = cleanText(rawUsername).toLowerCase().slice(0, 64);
  const fail = async (
    failure: LoginFailure,
    user: { facilityId: string } | null,
    outcome: 'FAILURE' | 'DENIED',
    details: Record<string, string | number | null> = {},
  ) => {
    await audit(db, {
      action: 'LOGIN_FAILED',
      outcome,
      actorName: username,
      facilityId: user?.facilityId ?? null,
      ip,
      details: { reason: failure, ...details },
    });
    if (failure !== 'address-throttled' && ip) await countAddressFailure(db, ip, now);
    return { ok: false as const, reason: 'INVALID' as const, failure };
  };

  if (ip && (await addressThrottled(db, ip, now))) {
    await new Promise((resolve) => setTimeout(resolve, verifyMs));
    return fail('address-throttled', null, 'DENIED');
  }
  const user = await db.user.findUnique({ where: { username } });
  const started = performance.now();
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  verifyMs = Math.round(performance.now() - started);
  if (!user || !user.active) return fail(user ? 'inactive' : 'unknown-user', user, 'FAILURE');
  if (user.lockedUntil && user.lockedUntil > now) return fail('locked', user, 'DENIED');
  // The demo password is published: such an account signs in from this machine only, whatever the server listens
  // on (a reverse proxy, demo data seeded into a database already on the network).
  if (user.passwordState === 'DEMO' && ip && !isLoopbackHost(ip)) return fail('demo-password-remote', user, 'DENIED');
  if (!passwordOk) {
    // One atomic statement: concurrent wrong guesses all count. A lock that has run out starts a new count.
    const [row] = await db.$queryRaw<{ failedLogins: number; lockedUntil: Date | null }[]>`
      UPDATE "User" SET
        "failedLogins" = CASE WHEN "lockedUntil" IS NOT NULL AND "lockedUntil" <= ${now} THEN 1 ELSE "failedLogins" + 1 END,
        "lockedUntil" = CASE
          WHEN "lockedUntil" IS NOT NULL AND "lockedUntil" <= ${now} THEN NULL
          WHEN "failedLogins" + 1 >= ${MAX_FAILED_LOGINS} THEN ${new Date(now.getTime() + LOCK_MINUTES * 60_000)}
          ELSE "lockedUntil" END,
        "updatedAt" = ${now}
      WHERE id = ${user.id}::uuid
      RETURNING "failedLogins", "lockedUntil"`;
    const result = await fail('bad-password', user, 'FAILURE', { failures: row?.failedLogins ?? null });
    if (row?.lockedUntil && row.lockedUntil > now) {
      await audit(db, {
        action: 'ACCOUNT_LOCKED',
        outcome: 'DENIED',
        actorName: username,
        facilityId: user.facilityId,
        ip,
        details: { minutes: LOCK_MINUTES },
      });
    }
    return result;
  }
  const sessionId = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
    const id = await startSession(tx, user.id);
    await audit(tx, {
      action: 'LOGIN',
      actorName: username,
      facilityId: user.facilityId,
      ip,
      entityType: 'UserSession',
      entityId: id,
    });
    return id;
  });
  return { ok: true, userId: user.id, username: user.username, fullName: user.fullName, role: user.role, sessionId };
}

async function addressThrottled(db: Db, ip: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - THROTTLE_MINUTES * 60_000);
  const row = await db.signInThrottle.findUnique({ where: { ip }, select: { failures: true, windowStart: true } });
  return !!row && row.windowStart > since && row.failures >= MAX_FAILED_PER_ADDRESS;
}

/** One more failure for the address, in its current window (a window that has run out starts a new one). */
async function countAddressFailure(db: Db, ip: string, now: Date): Promise<void> {
  const since = new Date(now.getTime() - THROTTLE_MINUTES * 60_000);
  await db.$executeRaw`
    INSERT INTO "SignInThrottle" (ip, failures, "windowStart") VALUES (${ip}, 1, ${now})
    ON CONFLICT (ip) DO UPDATE SET
      failures = CASE WHEN "SignInThrottle"."windowStart" <= ${since} THEN 1 ELSE "SignInThrottle".failures + 1 END,
      "windowStart" = CASE WHEN "SignInThrottle"."windowStart" <= ${since} THEN ${now} ELSE "SignInThrottle"."windowStart" END`;
}
