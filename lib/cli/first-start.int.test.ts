import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createDb, type Db } from '../db/client';
import { freshDatabase } from '../db/test-database';
import { demoPasswordAccounts } from '../auth/first-start';
import { login } from '../auth/login';
import { touchSession } from '../auth/sessions';
import { administerUser } from '../auth/users';

/**
 * `npm start` (the real launcher) and `npm run cli -- user …` as a hospital IT lead runs them: the demo never
 * serves the network, the CLI fixes the accounts, and a real database gets its first administrator.
 */
const PORT = String(Number(process.env.E2E_PORT ?? 3100) + 7);
const tsx = path.join('node_modules', 'tsx', 'dist', 'cli.mjs');
let demoUrl: string;
let realUrl: string;
const dbs: Db[] = [];

beforeAll(async () => {
  demoUrl = await freshDatabase(inject('serverUrl'), 'tiepdon_first_start_demo', { migrated: true });
  realUrl = await freshDatabase(inject('serverUrl'), 'tiepdon_first_start_real', { migrated: true });
});
afterAll(async () => Promise.all(dbs.map((d) => d.$disconnect())));

const appEnv = (url: string, extra: Record<string, string>) => ({
  ...process.env,
  DATABASE_URL: url,
  PORT,
  NO_WORKER: '1',
  NEXTAUTH_SECRET: 'test-secret-not-for-production',
  LOG_LEVEL: 'warn',
  ...extra,
});

function cli(url: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [tsx, 'lib/cli/index.ts', ...args], {
    env: appEnv(url, {}),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

it('HOST=0.0.0.0 with demo accounts: refuses to start, saying which accounts and what to run; fixed by the CLI', async () => {
  const launcher = spawnSync(process.execPath, [tsx, 'lib/cli/launch.ts', 'start'], {
    env: appEnv(demoUrl, { SEED_DEMO: '1', HOST: '0.0.0.0' }),
    encoding: 'utf8',
    timeout: 90_000,
  });
  expect(launcher.status).toBe(1);
  expect(launcher.stderr).toContain('Không khởi động: ứng dụng sẽ phục vụ mạng (HOST=0.0.0.0)');
  expect(launcher.stderr).toContain('Refusing to start: the app would serve the network (HOST=0.0.0.0)');
  expect(launcher.stderr).toContain('hotro, letan, quanly, quantri');
  expect(launcher.stderr).toContain('npm run cli -- user reset-password hotro');
  expect(launcher.stderr).toContain('npm run cli -- user disable hotro');

  const db = createDb(demoUrl, 1);
  dbs.push(db);
  expect(await demoPasswordAccounts(db)).toEqual(['hotro', 'letan', 'quanly', 'quantri']);
  const reset = cli(demoUrl, 'user', 'reset-password', 'quantri');
  expect(reset.code).toBe(0);
  const password = reset.out.trim().split('\n').at(-1)!;
  expect(password).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
  expect(cli(demoUrl, 'user', 'disable', 'letan')).toMatchObject({
    code: 0,
    out: expect.stringContaining('letan: đã ngừng'),
  });
  expect(await demoPasswordAccounts(db)).toEqual(['hotro', 'quanly']);
  // The same rule as the CLI's (lib/auth/users.ts), without two more processes on a busy machine.
  for (const name of ['hotro', 'quanly'])
    await administerUser(db, 'disable', { username: name }, { actorName: 'cli:test' });
  expect(await demoPasswordAccounts(db)).toEqual([]);
  // The new password works from a desk on the network, and must be changed first.
  const signedIn = await login(db, 'quantri', password, '10.20.0.31');
  if (!signedIn.ok) throw new Error(signedIn.failure);
  expect((await touchSession(db, signedIn.sessionId))?.mustChangePassword).toBe(true);
  expect(
    await db.auditEvent.count({
      where: { action: { in: ['USER_PASSWORD_RESET', 'USER_DISABLED'] }, actorName: { startsWith: 'cli:' } },
    }),
  ).toBe(4);
}, 180_000);

it('a real start (DATABASE_URL, no demo) creates the first administrator and shows its password once', async () => {
  const db = createDb(realUrl, 1);
  dbs.push(db);
  await db.facility.create({ data: { code: '58001', name: 'Trung tâm Y tế thử' } });
  const launcher = spawn(process.execPath, [tsx, 'lib/cli/launch.ts', 'start'], {
    env: appEnv(realUrl, {}),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no first administrator within 90 s:\n${out}`)), 90_000);
      launcher.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (/first administrator created: quantri[\s\S]*\n {2}\S+\n/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
      launcher.on('exit', (code) => reject(new Error(`launcher exited (${code}):\n${out}`)));
    });
  } finally {
    process.kill(-launcher.pid!, 'SIGKILL'); // the launcher goes on to build and serve: not this test's business
  }
  const password = /shown once, changed at first sign-in:\n {2}(\S+)\n/.exec(out)![1]!;
  expect(out).toContain('cơ sở / facility 58001');
  const signedIn = await login(db, 'quantri', password, '127.0.0.1');
  if (!signedIn.ok) throw new Error(signedIn.failure);
  expect((await touchSession(db, signedIn.sessionId))?.mustChangePassword).toBe(true);
  expect(await db.user.count()).toBe(1); // no demo accounts on a real database
}, 180_000);
