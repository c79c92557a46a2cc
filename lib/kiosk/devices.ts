import { DomainError } from '../errors';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db, DbTx } from '../db/client';
import { audit } from '../audit';
import type { KioskPrincipal, Principal } from '../auth/roles';
import { text, z, uuid } from '../validation';
import type { Jsonified } from '../http/json';

/**
 * Self check-in kiosks as devices. An administrator registers a kiosk and gets a one-time pairing code; the
 * kiosk's browser sends the code once and receives a device token in an HttpOnly cookie. Only SHA-256 hashes of
 * the code and the token are stored (both are random, so a slow KDF adds nothing). Pairing again (a new code)
 * replaces the token: the old browser is signed out when the new one pairs. A disabled kiosk is refused at once.
 */
export const KIOSK_COOKIE = 'tiepdon_kiosk';
export const PAIRING_CODE_TTL_MS = 24 * 60 * 60_000; // registered in the office, paired at the kiosk later that day
/** The cookie outlives any desk session: a kiosk runs for years; an administrator disables or re-pairs it. */
export const DEVICE_COOKIE_MAX_AGE_S = 5 * 365 * 24 * 60 * 60;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
// No 0/O, 1/I/L: the code is read off one screen and typed on another. 10 characters ≈ 50 bits, valid 24 h.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newPairingCode(): string {
  const chars = Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** What a person may type for a code: case, spaces and dashes do not matter. */
export function normalizePairingCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** `POST /api/v1/kiosk/pair`: the one-time code an administrator got when registering the kiosk. */
export const kioskPairSchema = z.object({ code: z.string().trim().min(1).max(40) }).strict();

export const kioskSettingsSchema = z
  .object({
    name: text().min(2, 'Tên kiosk quá ngắn.').max(60, 'Tên kiosk tối đa 60 ký tự.'),
    roomCodes: z.array(z.string().trim().min(1).max(20)).min(1, 'Chọn ít nhất một phòng khám.').max(30),
    offersBhyt: z.boolean(),
    offersSelfPay: z.boolean(),
    /** Whose name and CCCD the BHXH gateway is asked with; required when BHYT is offered. */
    bhytStaffId: uuid().nullable(),
  })
  .strict()
  .refine((k) => k.offersBhyt || k.offersSelfPay, {
    message: 'Kiosk phải nhận ít nhất một đối tượng (BHYT hoặc dịch vụ).',
    path: ['offersBhyt'],
  })
  .refine((k) => !k.offersBhyt || k.bhytStaffId, {
    message: 'Chọn cán bộ tra cứu BHYT (cổng BHXH chỉ nhận cán bộ đã đăng ký).',
    path: ['bhytStaffId'],
  });
export type KioskSettings = z.infer<typeof kioskSettingsSchema>;

/** Rooms and staff must be the facility's own (never another facility's, whatever id or code is sent). */
async function checkedSettings(db: DbTx, facilityId: string, settings: KioskSettings) {
  const codes = [...new Set(settings.roomCodes)];
  const rooms = await db.room.findMany({
    where: { facilityId, code: { in: codes }, active: true },
    select: { id: true, code: true },
  });
  const missing = codes.filter((c) => !rooms.some((r) => r.code === c));
  if (missing.length)
    throw new DomainError('invalid', 'VALIDATION', `Không có phòng khám đang hoạt động: ${missing.join(', ')}.`);
  if (settings.bhytStaffId) {
    const staff = await db.user.findFirst({
      where: { id: settings.bhytStaffId, facilityId, active: true },
      select: { staffIdNumber: true },
    });
    if (!staff) throw new DomainError('invalid', 'VALIDATION', 'Không tìm thấy cán bộ tra cứu BHYT đã chọn.');
    if (!staff.staffIdNumber)
      throw new DomainError(
        'invalid',
        'VALIDATION',
        'Cán bộ đã chọn chưa có số CCCD (cổng BHXH cần số CCCD của cán bộ tra cứu).',
      );
  }
  return codes.map((code, position) => ({ roomId: rooms.find((r) => r.code === code)!.id, position }));
}

/** Registers a kiosk and returns its first pairing code (shown once). */
export async function registerKiosk(
  db: Db,
  admin: Principal,
  settings: KioskSettings,
  now = new Date(),
): Promise<{ id: string; pairingCode: string }> {
  const pairingCode = newPairingCode();
  const id = await db.$transaction(async (tx) => {
    const rooms = await checkedSettings(tx, admin.facilityId, settings);
    if (
      await tx.kiosk.findUnique({ where: { facilityId_name: { facilityId: admin.facilityId, name: settings.name } } })
    ) {
      throw new DomainError('invalid', 'VALIDATION', `Đã có kiosk tên "${settings.name}".`);
    }
    const kiosk = await tx.kiosk.create({
      data: {
        facilityId: admin.facilityId,
        name: settings.name,
        offersBhyt: settings.offersBhyt,
        offersSelfPay: settings.offersSelfPay,
        bhytStaffId: settings.bhytStaffId,
        pairingCodeHash: sha256(normalizePairingCode(pairingCode)),
        pairingExpiresAt: new Date(now.getTime() + PAIRING_CODE_TTL_MS),
        rooms: { create: rooms },
      },
      select: { id: true },
    });
    await audit(tx, {
      action: 'KIOSK_REGISTERED',
      actor: admin,
      entityType: 'Kiosk',
      entityId: kiosk.id,
      details: { rooms: rooms.length, bhyt: settings.offersBhyt, selfPay: settings.offersSelfPay },
    });
    return kiosk.id;
  });
  return { id, pairingCode };
}

export async function updateKiosk(db: Db, admin: Principal, id: string, settings: KioskSettings): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const kiosk = await tx.kiosk.findFirst({ where: { id, facilityId: admin.facilityId }, select: { id: true } });
    if (!kiosk) return false;
    const rooms = await checkedSettings(tx, admin.facilityId, settings);
    const clash = await tx.kiosk.findUnique({
      where: { facilityId_name: { facilityId: admin.facilityId, name: settings.name } },
      select: { id: true },
    });
    if (clash && clash.id !== id) throw new DomainError('invalid', 'VALIDATION', `Đã có kiosk tên "${settings.name}".`);
    await tx.kioskRoom.deleteMany({ where: { kioskId: id } });
    await tx.kiosk.update({
      where: { id },
      data: {
        name: settings.name,
        offersBhyt: settings.offersBhyt,
        offersSelfPay: settings.offersSelfPay,
        bhytStaffId: settings.bhytStaffId,
        rooms: { create: rooms },
      },
    });
    await audit(tx, {
      action: 'KIOSK_UPDATED',
      actor: admin,
      entityType: 'Kiosk',
      entityId: id,
      details: { rooms: rooms.length, bhyt: settings.offersBhyt, selfPay: settings.offersSelfPay },
    });
    return true;
  });
}

/** A new one-time code for a kiosk (a replaced PC, a cleared browser). The paired browser keeps working until the code is used. */
export async function renewPairingCode(db: Db, admin: Principal, id: string, now = new Date()): Promise<string | null> {
  const pairingCode = newPairingCode();
  const { count } = await db.kiosk.updateMany({
    where: { id, facilityId: admin.facilityId },
    data: {
      pairingCodeHash: sha256(normalizePairingCode(pairingCode)),
      pairingExpiresAt: new Date(now.getTime() + PAIRING_CODE_TTL_MS),
    },
  });
  if (count === 0) return null;
  await audit(db, { action: 'KIOSK_PAIRING_CODE', actor: admin, entityType: 'Kiosk', entityId: id });
  return pairingCode;
}

export async function setKioskDisabled(
  db: Db,
  admin: Principal,
  id: string,
  disabled: boolean,
  now = new Date(),
): Promise<boolean> {
  const { count } = await db.kiosk.updateMany({
    where: { id, facilityId: admin.facilityId },
    data: { disabledAt: disabled ? now : null },
  });
  if (count === 0) return false;
  await audit(db, {
    action: disabled ? 'KIOSK_DISABLED' : 'KIOSK_ENABLED',
    actor: admin,
    entityType: 'Kiosk',
    entityId: id,
  });
  return true;
}

/**
 * The kiosk's browser hands in its one-time code: a device token (returned once, for the cookie) replaces any
 * earlier one. A wrong, used or expired code, or a disabled kiosk, gives null. Two browsers racing with one code:
 * the conditional update lets one win.
 */
export async function pairKiosk(
  db: Db,
  typedCode: string,
  ip: string | null,
  now = new Date(),
): Promise<{ token: string; kiosk: KioskPrincipal } | null> {
  const codeHash = sha256(normalizePairingCode(typedCode));
  const token = `tdk_${randomBytes(32).toString('base64url')}`;
  const [kiosk] = await db.kiosk.updateManyAndReturn({
    where: { pairingCodeHash: codeHash, pairingExpiresAt: { gt: now }, disabledAt: null },
    data: {
      pairingCodeHash: null,
      pairingExpiresAt: null,
      deviceTokenHash: sha256(token),
      pairedAt: now,
      lastSeenAt: now,
    },
    select: { id: true, name: true, facilityId: true, facility: { select: { code: true } } },
  });
  if (!kiosk) {
    await audit(db, { action: 'KIOSK_PAIRING_FAILED', outcome: 'FAILURE', ip });
    return null;
  }
  const principal: KioskPrincipal = {
    kind: 'KIOSK',
    id: kiosk.id,
    name: kiosk.name,
    facilityId: kiosk.facilityId,
    facilityCode: kiosk.facility.code,
  };
  await audit(db, { action: 'KIOSK_PAIRED', actor: principal, entityType: 'Kiosk', entityId: kiosk.id, ip });
  return { token, kiosk: principal };
}

/** The kiosk behind a device token, unless it was disabled or re-paired. One indexed read (a kiosk makes a few requests a minute). */
export async function kioskFromToken(db: DbTx, token: string, now = new Date()): Promise<KioskPrincipal | null> {
  if (!/^tdk_[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const kiosk = await db.kiosk.findUnique({
    where: { deviceTokenHash: sha256(token) },
    select: {
      id: true,
      name: true,
      facilityId: true,
      disabledAt: true,
      lastSeenAt: true,
      facility: { select: { code: true } },
    },
  });
  if (!kiosk || kiosk.disabledAt) return null;
  if (!kiosk.lastSeenAt || now.getTime() - kiosk.lastSeenAt.getTime() > 60_000) {
    await db.kiosk.update({ where: { id: kiosk.id }, data: { lastSeenAt: now } }); // "last seen" for the admin page, at most once a minute
  }
  return {
    kind: 'KIOSK',
    id: kiosk.id,
    name: kiosk.name,
    facilityId: kiosk.facilityId,
    facilityCode: kiosk.facility.code,
  };
}

export type KioskRoomChoice = { code: string; name: string; department: string };
export type KioskSetup = {
  name: string;
  facilityName: string;
  rooms: KioskRoomChoice[];
  offersBhyt: boolean;
  offersSelfPay: boolean;
};

/** What the kiosk screen needs to know of itself: its name, facility, rooms (active, in order) and payers. */
export async function kioskSetup(db: DbTx, kioskId: string): Promise<KioskSetup> {
  const k = await db.kiosk.findUniqueOrThrow({
    where: { id: kioskId },
    select: {
      name: true,
      offersBhyt: true,
      offersSelfPay: true,
      facility: { select: { name: true } },
      rooms: {
        orderBy: { position: 'asc' },
        where: { room: { active: true } },
        select: { room: { select: { code: true, name: true, department: true } } },
      },
    },
  });
  return {
    name: k.name,
    facilityName: k.facility.name,
    offersBhyt: k.offersBhyt,
    offersSelfPay: k.offersSelfPay,
    rooms: k.rooms.map((r) => r.room),
  };
}

/** The admin page's list (no hashes, no codes). */
export async function listKiosks(db: DbTx, facilityId: string, now = new Date()) {
  const rows = await db.kiosk.findMany({
    where: { facilityId },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      offersBhyt: true,
      offersSelfPay: true,
      bhytStaffId: true,
      pairedAt: true,
      lastSeenAt: true,
      disabledAt: true,
      pairingExpiresAt: true,
      deviceTokenHash: true,
      rooms: { orderBy: { position: 'asc' }, select: { room: { select: { code: true } } } },
    },
  });
  return rows.map(({ deviceTokenHash, pairingExpiresAt, rooms, ...k }) => ({
    ...k,
    roomCodes: rooms.map((r) => r.room.code),
    paired: deviceTokenHash !== null,
    pairingPending: pairingExpiresAt !== null && pairingExpiresAt > now,
  }));
}

export type KioskRow = Awaited<ReturnType<typeof listKiosks>>[number];
/** 200 from GET /api/v1/kiosks: the kiosks, with the rooms and BHYT look-up staff to choose from. */
export type KiosksResponse = Jsonified<{
  kiosks: KioskRow[];
  rooms: { code: string; name: string }[];
  staff: { id: string; fullName: string; username: string }[];
}>;
/** 201 from POST /api/v1/kiosks: the one-time pairing code, shown this once. */
export type KioskRegisteredResponse = Awaited<ReturnType<typeof registerKiosk>>;
/** 200 from POST /api/v1/kiosks/:id/pairing-code. */
export type PairingCodeResponse = { pairingCode: string };
/** 200 from PATCH /api/v1/kiosks/:id. */
export type KioskDisabledResponse = { ok: true; disabled: boolean };
/** 200 from POST /api/v1/kiosk/pair (with the device cookie). */
export type KioskPairedResponse = { kiosk: { name: string } };
