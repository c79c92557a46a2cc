import type { Db } from '../db/client';
import { audit } from '../audit';
import { DomainError } from '../errors';
import type { Actor, Principal } from '../auth/roles';

/**
 * Exam rooms as the desk uses them. One rule decides whether a check-in may go to a room (`usableRoom`: it exists
 * in the caller's facility and is active); the desk page and the check-in both take their default from
 * `defaultRoom`.
 */
export type DeskRoom = { id: string; code: string; name: string; active: boolean };

const ROOM_FIELDS = { id: true, code: true, name: true, active: true, facilityId: true } as const;
type RoomRow = DeskRoom & { facilityId: string };

/** A room a check-in may go to: in the caller's facility and active. */
export function usableRoom(room: RoomRow | null | undefined, facilityId: string): DeskRoom | null {
  if (!room || !room.active || room.facilityId !== facilityId) return null;
  return { id: room.id, code: room.code, name: room.name, active: true };
}

/** Rooms change a few times a year and are read on every check-in: remembered for 30 s. */
const roomCache = new Map<string, { room: RoomRow | null; until: number }>();

/** The facility's room with this code, if a check-in may go there. */
export async function findRoom(db: Db, facilityId: string, code: string, now = new Date()): Promise<DeskRoom | null> {
  const key = `${facilityId}:${code}`;
  const hit = roomCache.get(key);
  if (hit && hit.until > now.getTime()) return usableRoom(hit.room, facilityId);
  const room = await db.room.findUnique({ where: { facilityId_code: { facilityId, code } }, select: ROOM_FIELDS });
  if (roomCache.size > 5_000) roomCache.clear();
  roomCache.set(key, { room, until: now.getTime() + 30_000 });
  return usableRoom(room, facilityId);
}

/**
 * Where a receptionist checks patients in unless they choose otherwise: the room an administrator assigned them,
 * else the room they used last — each only while usable. Nobody else (API keys, kiosks) has one, and there is no
 * silent fallback to "the first room" (that was the emergency room, "CC", for a new receptionist): the desk
 * asks for a room instead.
 */
export async function defaultRoom(db: Db, actor: Actor): Promise<DeskRoom | null> {
  if (actor.kind !== 'USER') return null;
  const user = await db.user.findUnique({
    where: { id: actor.id },
    select: { assignedRoom: { select: ROOM_FIELDS }, lastRoom: { select: ROOM_FIELDS } },
  });
  return usableRoom(user?.assignedRoom, actor.facilityId) ?? usableRoom(user?.lastRoom, actor.facilityId);
}

export type RoomAssignment = { userId: string; username: string; fullName: string; roomCode: string | null };

/** The facility's desk staff (receptionists and administrators, who may use the desk) and their assigned rooms. */
export async function roomAssignments(
  db: Db,
  facilityId: string,
): Promise<{ staff: RoomAssignment[]; rooms: { code: string; name: string }[] }> {
  const [users, rooms] = await Promise.all([
    db.user.findMany({
      where: { facilityId, role: { in: ['RECEPTIONIST', 'ADMIN'] }, active: true },
      orderBy: [{ role: 'desc' }, { username: 'asc' }],
      select: { id: true, username: true, fullName: true, assignedRoom: { select: { code: true, active: true } } },
    }),
    db.room.findMany({
      where: { facilityId, active: true },
      orderBy: { code: 'asc' },
      select: { code: true, name: true },
    }),
  ]);
  return {
    staff: users.map((u) => ({
      userId: u.id,
      username: u.username,
      fullName: u.fullName,
      roomCode: u.assignedRoom?.active ? u.assignedRoom.code : null,
    })),
    rooms,
  };
}

/** An administrator sets (or clears, with null) a desk user's room; only within the administrator's facility (else not-found UNKNOWN_USER), only an active room (else invalid UNKNOWN_ROOM). Audited. */
export async function assignRoom(
  db: Db,
  admin: Principal,
  userId: string,
  roomCode: string | null,
): Promise<{ ok: true }> {
  const user = await db.user.findFirst({
    where: { id: userId, facilityId: admin.facilityId, role: { in: ['RECEPTIONIST', 'ADMIN'] } },
    select: { id: true },
  });
  if (!user) throw new DomainError('not-found', 'UNKNOWN_USER', 'Không có người dùng này ở quầy tiếp đón của cơ sở.');
  const room = roomCode === null ? null : await findRoom(db, admin.facilityId, roomCode);
  if (roomCode !== null && !room)
    throw new DomainError('invalid', 'UNKNOWN_ROOM', `Không có phòng khám "${roomCode}" đang hoạt động.`);
  await db.user.update({ where: { id: user.id }, data: { assignedRoomId: room?.id ?? null } });
  await audit(db, {
    action: 'ROOM_ASSIGNED',
    actor: admin,
    entityType: 'User',
    entityId: user.id,
    details: { room: room?.code ?? null },
  });
  return { ok: true };
}

/** 200 from PUT /api/v1/users/:id/room. */
export type RoomAssignedResponse = { roomCode: string | null };
