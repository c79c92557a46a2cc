import type { Db, DbTx } from '../db/client';
import { pgPoolOf, prepared, sql } from '../db/pg';
import { audit } from '../audit';
import type { Principal, Role } from './roles';

/**
 * Desk PCs are shared: a session ends after this long without activity (SESSION_IDLE_MINUTES, default 30).
 * Activity is a person's request: a page, an action, the idle guard's report of keyboard or mouse use; not the
 * screen's own background polling (POLL_HEADER, lib/auth/polling.ts), which would keep a desk left alone open.
 */
export function idleTimeoutMs(): number {
  const minutes = Number(process.env.SESSION_IDLE_MINUTES ?? 30);
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : 30) * 60_000;
}

/** However active, a session ends this long after sign-in (SESSION_MAX_HOURS, default 12: about one shift). */
export function sessionMaxMs(): number {
  const hours = Number(process.env.SESSION_MAX_HOURS ?? 12);
  return (Number.isFinite(hours) && hours > 0 ? hours : 12) * 3_600_000;
}

export async function startSession(db: DbTx, userId: string): Promise<string> {
  const session = await db.userSession.create({ data: { userId }, select: { id: true } });
  return session.id;
}

type Row = {
  id: string;
  username: string;
  fullName: string;
  role: Role;
  facilityId: string;
  facilityCode: string;
  passwordState: string;
};

// Every request of a signed-in person runs one of these: plain `pg`, prepared (lib/db/pg.ts), not Prisma.
const OPEN = `s.id = $1::uuid AND s."endedAt" IS NULL AND s."lastSeenAt" > $2 AND s."createdAt" > $3
      AND u.id = s."userId" AND u.active AND (u."lockedUntil" IS NULL OR u."lockedUntil" <= $4)`;
const COLUMNS = `u.id::text AS id, u.username, u."fullName", u.role::text AS role, u."facilityId"::text AS "facilityId", f.code AS "facilityCode", u."passwordState"::text AS "passwordState"`;
const READ_SESSION = prepared(
  'session-read',
  `SELECT ${COLUMNS} FROM "UserSession" s, "User" u JOIN "Facility" f ON f.id = u."facilityId" WHERE ${OPEN}`,
);
const TOUCH_SESSION = prepared(
  'session-touch',
  `UPDATE "UserSession" s SET "lastSeenAt" = $4 FROM "User" u JOIN "Facility" f ON f.id = u."facilityId" WHERE ${OPEN} RETURNING ${COLUMNS}`,
);

/**
 * The signed-in user behind a session id, if the session is open, neither idle nor past its maximum age, and the
 * account active and unlocked. With `activity` (the default) the call counts as activity; a background poll
 * passes `activity: false` and only reads. A session found idle or too old is ended (and audited) so it cannot
 * come back.
 */
export async function touchSession(
  db: Db,
  sessionId: string,
  now = new Date(),
  options: { activity?: boolean } = {},
): Promise<Principal | null> {
  const idleSince = new Date(now.getTime() - idleTimeoutMs());
  const startedAfter = new Date(now.getTime() - sessionMaxMs());
  const rows = await sql(pgPoolOf(db))<Row>(
    options.activity === false ? READ_SESSION : TOUCH_SESSION,
    sessionId,
    idleSince,
    startedAfter,
    now,
  );
  const row = rows[0];
  if (row) {
    return {
      kind: 'USER',
      id: row.id,
      name: row.username,
      fullName: row.fullName,
      role: row.role,
      facilityId: row.facilityId,
      facilityCode: row.facilityCode,
      sessionId,
      ...(row.passwordState === 'TEMPORARY' ? { mustChangePassword: true } : {}),
    };
  }
  for (const [reason, action, where] of [
    ['EXPIRED', 'SESSION_MAX_AGE_EXPIRED', { createdAt: { lte: startedAfter } }],
    ['IDLE', 'SESSION_IDLE_EXPIRED', { lastSeenAt: { lte: idleSince } }],
  ] as const) {
    const ended = await db.userSession.updateManyAndReturn({
      where: { id: sessionId, endedAt: null, ...where },
      data: { endedAt: now, endReason: reason },
      select: { userId: true, user: { select: { username: true, facilityId: true } } },
    });
    for (const s of ended) {
      await audit(db, {
        action,
        actorName: s.user.username,
        facilityId: s.user.facilityId,
        entityType: 'UserSession',
        entityId: sessionId,
      });
    }
  }
  return null;
}

export async function endSession(
  db: DbTx,
  sessionId: string,
  reason: 'LOGOUT' | 'LOCKED',
  now = new Date(),
): Promise<void> {
  const ended = await db.userSession.updateManyAndReturn({
    where: { id: sessionId, endedAt: null },
    data: { endedAt: now, endReason: reason },
    select: { user: { select: { id: true, username: true, facilityId: true } } },
  });
  for (const s of ended) {
    await audit(db, {
      action: 'LOGOUT',
      actorName: s.user.username,
      facilityId: s.user.facilityId,
      entityType: 'UserSession',
      entityId: sessionId,
    });
  }
}

/** Ends every open session of a user (disabled, password reset or changed), but `except` (the one changing it). */
export async function endUserSessions(
  db: DbTx,
  userId: string,
  reason: 'DISABLED' | 'PASSWORD_RESET' | 'PASSWORD_CHANGED',
  options: { except?: string; now?: Date } = {},
): Promise<number> {
  const { count } = await db.userSession.updateMany({
    where: { userId, endedAt: null, ...(options.except ? { id: { not: options.except } } : {}) },
    data: { endedAt: options.now ?? new Date(), endReason: reason },
  });
  return count;
}
