import type { Db } from '../db/client';
import { audit } from '../audit';
import { dummyPasswordHash, verifyPassword } from './password';
import { startSession } from './sessions';
import type { Role } from './roles';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export type LoginResult =
  | { ok: true; userId: string; username: string; fullName: string; role: Role; sessionId: string }
  | { ok: false; reason: 'INVALID' }
  | { ok: false; reason: 'LOCKED'; lockedUntil: Date };

/**
 * Checks a username and password. Five failures in a row lock the account for 15 minutes (a correct
 * password does not help while locked). Success, failure and lock-out are audit events.
 */
export async function login(db: Db, username: string, password: string, ip: string | null, now = new Date()): Promise<LoginResult> {
  const user = await db.user.findUnique({ where: { username } });
  if (!user || !user.active) {
    await verifyPassword(password, await dummyPasswordHash()); // same cost whether or not the account exists
    await audit(db, { action: 'LOGIN_FAILED', outcome: 'FAILURE', actorName: username.slice(0, 64), ip, details: { reason: user ? 'inactive' : 'unknown-user' } });
    return { ok: false, reason: 'INVALID' };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    await audit(db, { action: 'LOGIN_FAILED', outcome: 'DENIED', actorName: username, facilityId: user.facilityId, ip, details: { reason: 'locked' } });
    return { ok: false, reason: 'LOCKED', lockedUntil: user.lockedUntil };
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
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
    await audit(db, { action: 'LOGIN_FAILED', outcome: 'FAILURE', actorName: username, facilityId: user.facilityId, ip, details: { reason: 'bad-password', failures: row?.failedLogins ?? null } });
    if (row?.lockedUntil && row.lockedUntil > now) {
      await audit(db, { action: 'ACCOUNT_LOCKED', outcome: 'DENIED', actorName: username, facilityId: user.facilityId, ip, details: { minutes: LOCK_MINUTES } });
      return { ok: false, reason: 'LOCKED', lockedUntil: row.lockedUntil };
    }
    return { ok: false, reason: 'INVALID' };
  }
  const sessionId = await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
    const id = await startSession(tx, user.id);
    await audit(tx, { action: 'LOGIN', actorName: username, facilityId: user.facilityId, ip, entityType: 'UserSession', entityId: id });
    return id;
  });
  return { ok: true, userId: user.id, username: user.username, fullName: user.fullName, role: user.role, sessionId };
}
