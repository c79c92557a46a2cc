import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb } from '../db/client';
import { seedDemo } from '../db/demo';
import {
  demoPasswordAccounts,
  demoPasswordRefusal,
  ensureFirstAdmin,
  firstAdminNotice,
  networkExposure,
} from '../auth/first-start';
import { log } from '../log';
import { isLoopbackHost } from '../net/listen';
import { loadServerTls } from '../net/server-tls';
import { openDatabase } from './database';
import { supervise } from './supervise';
import { envFor } from './child-env';

/**
 * `npm start` / `npm run dev`: database (DATABASE_URL, or the embedded one), migrations, demo data on the
 * embedded database (or with SEED_DEMO=1; never with SEED_DEMO=0), the first administrator of a real database
 * (lib/auth/first-start.ts), a production build when sources changed, then two children: the web server
 * (lib/cli/web-server.ts: Next.js on HTTP or HTTPS, HOST:PORT) and the hand-off worker. It refuses to serve the
 * network while an account still has the published demo password.
 */
const mode = process.argv[2] === 'dev' ? 'dev' : 'start';
const port = Number(process.env.PORT ?? 3000);
// Loopback unless told otherwise: serving the LAN is a decision (HOST=0.0.0.0 or the server's address).
const host = process.env.HOST?.trim() || '127.0.0.1';
const root = process.cwd();
const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of ['app', 'components', 'lib', 'public']) if (fs.existsSync(dir)) walk(dir);
  for (const file of ['next.config.js', 'proxy.ts', 'package.json', 'postcss.config.mjs'])
    if (fs.existsSync(file)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  return newest;
}

function ensureBuild() {
  const buildId = path.join(root, process.env.NEXT_DIST_DIR ?? '.next', 'BUILD_ID');
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs > newestSourceMtime()) return;
  log.info('building the app (first start or sources changed)…');
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error('next build failed');
}

/** A persistent secret for the embedded/demo setup; real deployments set NEXTAUTH_SECRET themselves. */
function authSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.resolve(process.env.DATA_DIR ?? '.data', 'auth-secret');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  log.warn('NEXTAUTH_SECRET not set: using a generated one from the data folder (set it in production)');
  return fs.readFileSync(file, 'utf8').trim();
}

/** The addresses desks type, for the start-up log: HOST itself, or every LAN address when HOST is a wildcard. */
function publicUrls(scheme: string): string[] {
  const hosts =
    host === '0.0.0.0' || host === '::'
      ? Object.values(os.networkInterfaces())
          .flat()
          .filter((a) => a && !a.internal && a.family === 'IPv4')
          .map((a) => a!.address)
      : [host.includes(':') ? `[${host}]` : host];
  return hosts.map((h) => `${scheme}://${h}:${port}`);
}

async function main() {
  // Settings first: a wrong certificate path is one clear message, before the database or a build.
  const serverTls = loadServerTls();
  if (process.env.NEXTAUTH_URL && !/^https?:\/\/[^/]+/.test(process.env.NEXTAUTH_URL)) {
    throw new Error(
      `NEXTAUTH_URL phải là địa chỉ http(s)://… / must be an http(s):// URL: ${process.env.NEXTAUTH_URL}`,
    );
  }
  const database = await openDatabase();
  const db = createDb(database.url, 1);
  let refusal: string | null = null;
  try {
    const demo = process.env.SEED_DEMO === '1' || (database.embedded && process.env.SEED_DEMO !== '0');
    if (demo && (await seedDemo(db)).created)
      log.info('demo facility, rooms and users created (see README for the accounts)');
    const admin = await ensureFirstAdmin(db);
    if (admin.status === 'created') {
      log.info(
        { username: admin.username, facility: admin.facilityCode },
        'first administrator created (password on the console, once)',
      );
      console.log(firstAdminNotice(admin));
    } else if (admin.status === 'no-facility') {
      log.warn(
        'chưa có cơ sở nào / no facility yet: npm run cli -- facility create --code <mã> --name "…" (creates the first administrator)',
      );
    }
    // The published demo password never reaches the network (issue 10): fix the accounts or stay on this machine.
    const exposure = networkExposure();
    const demoAccounts = exposure ? await demoPasswordAccounts(db) : [];
    if (exposure && demoAccounts.length) {
      log.error({ exposure, accounts: demoAccounts }, 'refusing to serve the network with demo passwords');
      refusal = demoPasswordRefusal(demoAccounts, exposure);
    }
  } finally {
    await db.$disconnect();
  }
  if (refusal) {
    console.error(refusal);
    await database.stop().catch(() => {});
    process.exit(1);
  }
  if (mode === 'start') ensureBuild();
  if (serverTls && mode === 'dev')
    throw new Error('HTTPS chỉ dùng với npm start / HTTPS is served by npm start only, not npm run dev');
  const scheme = serverTls ? 'https' : 'http';
  if (serverTls) {
    const days = Math.floor((serverTls.notAfter.getTime() - Date.now()) / 86_400_000);
    const info = { cert: serverTls.certPath, names: serverTls.names, notAfter: serverTls.notAfter.toISOString() };
    if (days < 0)
      log.error(
        info,
        'chứng chỉ HTTPS đã hết hạn, trình duyệt sẽ chặn / the HTTPS certificate has expired, browsers will refuse it: npm run cli -- tls init --host …',
      );
    else if (days < 30)
      log.warn(
        info,
        `chứng chỉ HTTPS hết hạn sau ${days} ngày / the HTTPS certificate expires in ${days} days: npm run cli -- tls init --host …`,
      );
    else log.info(info, 'serving HTTPS');
  } else if (!isLoopbackHost(host)) {
    log.warn(
      { host },
      'phục vụ mạng LAN qua HTTP: mật khẩu đi qua mạng không mã hóa, máy tiếp đón không dùng được camera / serving the LAN over plain HTTP: passwords cross the network in clear and desks cannot use the camera. Run: npm run cli -- tls init --host <address>',
    );
  }
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: authSecret(),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  // next-auth builds its URLs (sign-out's redirect) and picks Secure cookie names from the request's scheme and
  // host, which web-server.ts sets from the connection: a desk on https://10.x.x.x:3000 comes back there, not to
  // localhost. NEXTAUTH_URL, when set (behind a reverse proxy), is the one public URL instead.
  const webEnv = {
    ...env,
    HOST: host,
    PORT: String(port),
    NODE_ENV: (mode === 'dev' ? 'development' : 'production') as 'development' | 'production',
    ...(process.env.NEXTAUTH_URL ? {} : { AUTH_TRUST_HOST: '1' }),
  };
  // Both children are supervised (lib/cli/supervise.ts): restarted with back-off when they die, and ended with
  // the launcher. `node --import tsx` (not the tsx CLI) so a signal reaches the child itself. `npm run dev` keeps
  // `next dev` (hot reload; HTTP on HOST only). If a child keeps failing at start, the launcher gives up with
  // exit code 1 (a service manager then sees the failure).
  let stopping = false;
  // CPU_PROFILE_DIR: both children write a V8 CPU profile there when they exit (benchmarks: BENCH_PROFILE).
  // Node refuses --cpu-prof in NODE_OPTIONS, hence a setting of our own.
  const profile = process.env.CPU_PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.CPU_PROFILE_DIR)}`]
    : [];
  const giveUp = (name: string) => void shutdown(`${name} keeps failing`, 1);
  const children = [
    supervise({
      name: 'web server',
      command: process.execPath,
      args:
        mode === 'dev'
          ? [nextBin, 'dev', '-H', host, '-p', String(port)]
          : [...profile, '--import', 'tsx', path.join('lib', 'cli', 'web-server.ts')],
      options: { env: envFor('web', webEnv) },
      onGiveUp: giveUp,
    }),
  ];
  log.info({ urls: publicUrls(scheme) }, `Tiếp đón ${mode === 'dev' ? '(dev) ' : ''}starting`);
  // The HIS hand-off worker runs beside the web server unless told not to (NO_WORKER=1, e.g. when
  // `npm run worker` runs on other machines).
  if (process.env.NO_WORKER !== '1') {
    children.push(
      supervise({
        name: 'hand-off worker',
        command: process.execPath,
        args: [...profile, '--import', 'tsx', path.join('lib', 'handoff', 'worker-main.ts')],
        options: {
          env: envFor('worker', {
            ...env,
            ...(database.embedded ? { BACKUP_DIR: path.resolve(process.env.DATA_DIR ?? '.data', 'backups') } : {}),
          }),
        },
        onGiveUp: giveUp,
      }),
    );
  }
  const shutdown = async (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'Tiếp đón stopping');
    await Promise.all(children.map((c) => c.stop('SIGTERM')));
    await database.stop().catch(() => {});
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
}

main().catch(async (error) => {
  log.error({ err: (error as Error).message }, 'could not start');
  process.exit(1);
});
