import { text, z } from '../validation';
import type { Db, DbTx } from '../db/client';
import { audit } from '../audit';
import { hashPassword, passwordProblem, temporaryPassword, verifyPassword } from './password';
import { endUserSessions } from './sessions';
import type { Jsonified } from '../http/json';
import { USER_ROLES, type Principal, type Role } from './roles';
import { DomainError } from '../errors';
import type { AuditAction, PasswordState } from '../codes';

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9._-]{3,32}$/, 'Tên đăng nhập: 3–32 ký tự a-z, 0-9, dấu chấm, gạch.');

/** A password someone chooses (a new account's, one's own new one): passwordProblem's rules. */
export const passwordSchema = z
  .string()
  .max(256, 'Mật khẩu quá dài.')
  .superRefine((p, ctx) => {
    const problem = passwordProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const newUserSchema = z.object({
  username: usernameSchema,
  fullName: text().min(2, 'Họ tên quá ngắn.').max(100),
  role: z.enum(USER_ROLES),
  facilityCode: z.string().regex(/^[0-9A-Z]{5}$/, 'Mã cơ sở gồm 5 ký tự.'),
  password: passwordSchema,
  staffIdNumber: z
    .string()
    .regex(/^\d{12}$/, 'Số CCCD của nhân viên gồm 12 chữ số.')
    .optional(),
});
export type NewUser = z.infer<typeof newUserSchema>;

/**
 * Creates an account. `passwordState` says who chose the password: the CLI gives TEMPORARY (whoever typed it is
 * not the user, who changes it at first sign-in); OWN (the default) is for accounts whose password is the user's.
 */
export async function createUser(
  db: DbTx,
  input: NewUser,
  options: { passwordState?: PasswordState } = {},
): Promise<{ id: string }> {
  const facility = await db.facility.findUnique({ where: { code: input.facilityCode } });
  if (!facility) throw new Error(`Không có cơ sở mã ${input.facilityCode}.`);
  return db.user.create({
    data: {
      username: input.username,
      fullName: input.fullName,
      role: input.role,
      facilityId: facility.id,
      staffIdNumber: input.staffIdNumber ?? null,
      passwordHash: await hashPassword(input.password),
      passwordState: options.passwordState ?? 'OWN',
    },
    select: { id: true },
  });
}

export type UserRow = {
  id: string;
  username: string;
  fullName: string;
  role: Role;
  active: boolean;
  locked: boolean;
  passwordState: PasswordState;
  lastSignInAt: Date | null;
};

/** The facility's accounts for the admin page: state only (active, locked, password state), never a hash. */
export async function listUsers(db: Db, facilityId: string, now = new Date()): Promise<UserRow[]> {
  const users = await db.user.findMany({
    where: { facilityId },
    orderBy: { username: 'asc' },
    select: {
      id: true,
      username: true,
      fullName: true,
      role: true,
      active: true,
      lockedUntil: true,
      passwordState: true,
      sessions: { orderBy: { createdAt: 'desc' }, take: 1, select: { createdAt: true } },
    },
  });
  return users.map(({ lockedUntil, sessions, ...u }) => ({
    ...u,
    locked: !!lockedUntil && lockedUntil > now,
    lastSignInAt: sessions[0]?.createdAt ?? null,
  }));
}

export const USER_ACTIONS = ['disable', 'enable', 'reset-password', 'unlock'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export type UserActionResult = {
  ok: true;
  username: string;
  /** reset-password only: shown once, never stored in clear */ temporaryPassword?: string;
};

const AUDIT_ACTION: Record<UserAction, AuditAction> = {
  disable: 'USER_DISABLED',
  enable: 'USER_ENABLED',
  'reset-password': 'USER_PASSWORD_RESET',
  unlock: 'USER_UNLOCKED',
};

/**
 * Account administration, one rule for the CLI and the admin page: disable (ends the user's sessions), enable,
 * reset-password (a generated password, returned once, changed at the next sign-in; unlocks the account and ends
 * its sessions), unlock (clears the failed sign-ins). The admin page passes its principal, and finds only users
 * of its own facility and may not disable or reset its own account; the CLI passes `actorName` and finds any.
 * Audited with the target's facility. Refusals: DomainError not-found UNKNOWN_USER, conflict OWN_ACCOUNT.
 */
export async function administerUser(
  db: Db,
  action: UserAction,
  target: { id: string } | { username: string },
  by: { actor: Principal } | { actorName: string },
  now = new Date(),
): Promise<UserActionResult> {
  const scope = 'actor' in by ? { facilityId: by.actor.facilityId } : {};
  const user = await db.user.findFirst({
    where: { ...target, ...scope },
    select: { id: true, username: true, facilityId: true },
  });
  if (!user) throw new DomainError('not-found', 'UNKNOWN_USER', 'Không tìm thấy người dùng này.');
  if ('actor' in by && by.actor.id === user.id && (action === 'disable' || action === 'reset-password')) {
    throw new DomainError(
      'conflict',
      'OWN_ACCOUNT',
      'Không thể tự ngừng hoặc cấp lại mật khẩu cho chính tài khoản đang dùng (đổi mật khẩu của mình ở trang Đổi mật khẩu).',
    );
  }
  const password = action === 'reset-password' ? temporaryPassword() : undefined;
  const passwordHash = password ? await hashPassword(password) : undefined; // outside the transaction: ~0.2 s of CPU
  await db.$transaction(async (tx) => {
    let sessionsEnded = 0;
    if (action === 'disable') {
      await tx.user.update({ where: { id: user.id }, data: { active: false } });
      sessionsEnded = await endUserSessions(tx, user.id, 'DISABLED', { now });
    } else if (action === 'enable') {
      await tx.user.update({ where: { id: user.id }, data: { active: true } });
    } else if (action === 'reset-password') {
      await tx.user.update({
        where: { id: user.id },
        data: { passwordHash, passwordState: 'TEMPORARY', failedLogins: 0, lockedUntil: null },
      });
      sessionsEnded = await endUserSessions(tx, user.id, 'PASSWORD_RESET', { now });
    } else {
      await tx.user.update({ where: { id: user.id }, data: { failedLogins: 0, lockedUntil: null } });
    }
    await audit(tx, {
      action: AUDIT_ACTION[action],
      ...by,
      facilityId: user.facilityId,
      entityType: 'User',
      entityId: user.id,
      details: { username: user.username, sessionsEnded },
    });
  });
  return { ok: true, username: user.username, ...(password ? { temporaryPassword: password } : {}) };
}

export type PasswordChangeResult = { ok: true };

/**
 * A signed-in user changes their own password (forced after a generated one, or by choice): the current password
 * is checked, the new one follows passwordProblem and differs from it (else DomainError invalid WRONG_PASSWORD,
 * SAME_PASSWORD, WEAK_PASSWORD); the account's other sessions end.
 */
export async function changeOwnPassword(
  db: Db,
  user: Principal,
  current: string,
  next: string,
  now = new Date(),
): Promise<PasswordChangeResult> {
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  if (!(await verifyPassword(current, row.passwordHash))) {
    await audit(db, {
      action: 'PASSWORD_CHANGE_FAILED',
      outcome: 'FAILURE',
      actor: user,
      entityType: 'User',
      entityId: user.id,
    });
    throw new DomainError('invalid', 'WRONG_PASSWORD', 'Mật khẩu hiện tại không đúng.');
  }
  if (next === current) throw new DomainError('invalid', 'SAME_PASSWORD', 'Mật khẩu mới phải khác mật khẩu hiện tại.');
  const problem = passwordProblem(next);
  if (problem) throw new DomainError('invalid', 'WEAK_PASSWORD', problem);
  const passwordHash = await hashPassword(next);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, passwordState: 'OWN' } });
    const sessionsEnded = await endUserSessions(tx, user.id, 'PASSWORD_CHANGED', { except: user.sessionId, now });
    await audit(tx, {
      action: 'PASSWORD_CHANGED',
      actor: user,
      entityType: 'User',
      entityId: user.id,
      details: { sessionsEnded },
    });
  });
  return { ok: true };
}

/** 200 from GET /api/v1/users. */
export type UsersResponse = Jsonified<{ users: UserRow[] }>;
/** 200 from POST /api/v1/users/:id/account (`temporaryPassword` after reset-password only). */
export type UserAccountResponse = Extract<UserActionResult, { ok: true }>;
/** 200 from POST /api/v1/me/password. */
export type PasswordChangeResponse = { changed: true };
