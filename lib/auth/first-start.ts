import type { Db } from '../db/client';
import { audit } from '../audit';
import { isLoopbackHost } from '../net/listen';
import { hashPassword, temporaryPassword } from './password';

/**
 * What every start checks (lib/cli/launch.ts): no account with the published demo password while the app can be
 * reached from other machines, and an administrator to begin with.
 *
 * A demo start (the embedded database, or SEED_DEMO=1; SEED_DEMO=0 never) creates the demo facility and accounts,
 * whose password (DEMO) is in the README. Any start then makes the first administrator if the database has a
 * facility and no ADMIN account at all: on a demo database that is never (the demo has one); on a real one it is
 * `quantri` with a generated password shown once, to be changed at first sign-in.
 */

/** Why the app would be reachable from other machines, or null when it serves this machine only. */
export function networkExposure(env: NodeJS.ProcessEnv = process.env): string | null {
  const host = env.HOST?.trim() || '127.0.0.1';
  if (!isLoopbackHost(host)) return `HOST=${host}`;
  // Behind a reverse proxy the server itself listens on loopback; the proxy's public URL says where desks come from.
  if (env.NEXTAUTH_URL) {
    try {
      if (!isLoopbackHost(new URL(env.NEXTAUTH_URL).hostname)) return `NEXTAUTH_URL=${env.NEXTAUTH_URL}`;
    } catch {
      /* checked by the launcher */
    }
  }
  if (env.TRUSTED_PROXIES?.trim()) return `TRUSTED_PROXIES=${env.TRUSTED_PROXIES.trim()}`;
  return null;
}

/** Active accounts that still have the published demo password (disabled ones cannot sign in). */
export async function demoPasswordAccounts(db: Db): Promise<string[]> {
  const users = await db.user.findMany({
    where: { passwordState: 'DEMO', active: true },
    orderBy: { username: 'asc' },
    select: { username: true },
  });
  return users.map((u) => u.username);
}

/** The launcher's refusal, Vietnamese then English, with the commands that fix it. */
export function demoPasswordRefusal(accounts: string[], exposure: string): string {
  const list = accounts.join(', ');
  return [
    `Không khởi động: ứng dụng sẽ phục vụ mạng (${exposure}) trong khi các tài khoản sau vẫn dùng mật khẩu demo đã công bố trong README: ${list}.`,
    `Refusing to start: the app would serve the network (${exposure}) while these accounts still have the demo password published in the README: ${list}.`,
    '',
    'Cách khắc phục / what to do (với mỗi tài khoản / for each account):',
    `  npm run cli -- user reset-password ${accounts[0]}   # mật khẩu mới in ra một lần, đổi khi đăng nhập / new password printed once, changed at sign-in`,
    `  npm run cli -- user disable ${accounts[0]}          # hoặc ngừng tài khoản / or disable the account`,
    'Hoặc chạy thử chỉ trên máy này: bỏ HOST (mặc định 127.0.0.1). / Or try the demo on this machine only: leave HOST unset (127.0.0.1).',
  ].join('\n');
}

export type FirstAdmin =
  | { status: 'exists' }
  | { status: 'no-facility' }
  | { status: 'created'; username: string; password: string; facilityCode: string };

const FIRST_ADMIN_LOCK = 7_211_001; // pg_advisory_xact_lock key: two launchers starting together make one admin

/**
 * The first administrator, when the database has a facility (the oldest) and no ADMIN account (even a disabled
 * one: `user enable` brings that back). Username `quantri` (or `quantri2`… if taken), a generated TEMPORARY
 * password returned once. Also run by `npm run cli -- facility create`, whichever comes first.
 */
export async function ensureFirstAdmin(db: Db): Promise<FirstAdmin> {
  if (await db.user.findFirst({ where: { role: 'ADMIN' }, select: { id: true } })) return { status: 'exists' };
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`;
    if (await tx.user.findFirst({ where: { role: 'ADMIN' }, select: { id: true } }))
      return { status: 'exists' } as const;
    const facility = await tx.facility.findFirst({
      orderBy: [{ createdAt: 'asc' }, { code: 'asc' }],
      select: { id: true, code: true },
    });
    if (!facility) return { status: 'no-facility' } as const;
    const taken = new Set(
      (await tx.user.findMany({ where: { username: { startsWith: 'quantri' } }, select: { username: true } })).map(
        (u) => u.username,
      ),
    );
    let username = 'quantri';
    for (let n = 2; taken.has(username); n++) username = `quantri${n}`;
    const user = await tx.user.create({
      data: {
        username,
        fullName: 'Quản trị hệ thống',
        role: 'ADMIN',
        facilityId: facility.id,
        passwordHash,
        passwordState: 'TEMPORARY',
      },
      select: { id: true },
    });
    await audit(tx, {
      action: 'USER_CREATED',
      actorName: 'system:first-start',
      facilityId: facility.id,
      entityType: 'User',
      entityId: user.id,
      details: { role: 'ADMIN', firstAdmin: true },
    });
    return { status: 'created', username, password, facilityCode: facility.code } as const;
  });
}

/** How a new first administrator is announced (console, once; not the JSON log's fields). */
export function firstAdminNotice(admin: { username: string; password: string; facilityCode: string }): string {
  return [
    `Đã tạo tài khoản quản trị đầu tiên / first administrator created: ${admin.username} (cơ sở / facility ${admin.facilityCode})`,
    'Mật khẩu tạm thời, chỉ hiện một lần, phải đổi khi đăng nhập lần đầu / temporary password, shown once, changed at first sign-in:',
    `  ${admin.password}`,
    `Quên mật khẩu này? / lost it? npm run cli -- user reset-password ${admin.username}`,
  ].join('\n');
}
