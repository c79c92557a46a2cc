import type { DbTx } from '../db/client';
import { audit } from '../audit';
import type { Principal, Role } from './roles';

/** Desk PCs are shared: a session ends after this long without a request (SESSION_IDLE_MINUTES, default 30). */
export function idleTimeoutMs(): number {
  const minutes = Number(process.env.SESSION_IDLE_MINUTES ?? 30);
  return (Number.isFinite(minutes) && minutes > 0 ? minutes : 30) * 60_000;
}

export async function startSession(db: DbTx, userId: string): Promise<string> {
  const session = await db.userSession.create({ data: { userId }, select: { id: true } });
  return session.id;
}

type Row = { id: string; username: string; fullName: string; role: Role; facilityId: string; facilityCode: string };

/**
 * The signed-in user behind a session id, if the session is open, not idle, and the account active and unlocked.
 * Each call counts as activity. An idle session is ended (and audited) so it cannot come back.
 */
export async function touchSession(db: DbTx, sessionId: string, now = new Date()): Promise<Principal | null> {
  const idleSince = new Date(now.getTime() - idleTimeoutMs());
  const rows = await db.$queryRaw<Row[]>`
    UPDATE "UserSession" s SET "lastSeenAt" = ${now}
    FROM "User" u JOIN "Facility" f ON f.id = u."facilityId"
    WHERE s.id = ${sessionId}::uuid AND s."endedAt" IS NULL AND s."lastSeenAt" > ${idleSince}
      AND u.id = s."userId" AND u.active AND (u."lockedUntil" IS NULL OR u."lockedUntil" <= ${now})
    RETURNING u.id, u.username, u."fullName", u.role::text AS role, u."facilityId", f.code AS "facilityCode"`;
  const row = rows[0];
  if (row) {
    return { kind: 'USER', id: row.id, name: row.username, fullName: row.fullName, role: row.role, facilityId: row.facilityId, facilityCode: row.facilityCode, sessionId };
  }
  const ended = await db.userSession.updateManyAndReturn({
    where: { id: sessionId, endedAt: null, lastSeenAt: { lte: idleSince } },
    data: { endedAt: now, endReason: 'IDLE' },
    select: { userId: true, user: { select: { username: true, facilityId: true } } },
  });
  for (const s of ended) {
    await audit(db, { action: 'SESSION_IDLE_EXPIRED', actorName: s.user.username, facilityId: s.user.facilityId, entityType: 'UserSession', entityId: sessionId });
  }
  return null;
}

export async function endSession(db: DbTx, sessionId: string, reason: 'LOGOUT' | 'LOCKED', now = new Date()): Promise<void> {
  const ended = await db.userSession.updateManyAndReturn({
    where: { id: sessionId, endedAt: null },
    data: { endedAt: now, endReason: reason },
    select: { user: { select: { id: true, username: true, facilityId: true } } },
  });
  for (const s of ended) {
    await audit(db, { action: 'LOGOUT', actorName: s.user.username, facilityId: s.user.facilityId, entityType: 'UserSession', entityId: sessionId });
  }
}
