import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDb } from '../db/client';
import { seedDemo } from '../db/demo';
import { log } from '../log';
import { openDatabase } from './database';

/**
 * `npm start` / `npm run dev`: database (DATABASE_URL, or the embedded one), migrations, demo data on the
 * embedded database (or with SEED_DEMO=1), a production build when sources changed, then Next.js.
 */
const mode = process.argv[2] === 'dev' ? 'dev' : 'start';
const port = Number(process.env.PORT ?? 3000);
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
  for (const file of ['next.config.js', 'package.json', 'postcss.config.mjs']) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  return newest;
}

function ensureBuild() {
  const buildId = path.join(root, process.env.NEXT_DIST_DIR ?? '.next', 'BUILD_ID');
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs > newestSourceMtime()) return;
  log.info('building the app (first start or sources changed)…');
  const result = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
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

async function main() {
  const database = await openDatabase();
  if (database.embedded || process.env.SEED_DEMO === '1') {
    const db = createDb(database.url, 1);
    const { created } = await seedDemo(db);
    await db.$disconnect();
    if (created) log.info('demo facility, rooms and users created (see README for the accounts)');
  }
  if (mode === 'start') ensureBuild();
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    NEXTAUTH_SECRET: authSecret(),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const child = spawn(process.execPath, [nextBin, mode, '-p', String(port)], { stdio: 'inherit', env });
  log.info({ url: `http://localhost:${port}` }, `Tiếp đón ${mode === 'dev' ? '(dev) ' : ''}starting`);
  // The HIS hand-off worker runs beside the web server unless told not to (NO_WORKER=1, e.g. when
  // `npm run worker` runs on other machines). `node --import tsx` so a kill reaches the worker itself.
  const worker = process.env.NO_WORKER === '1' ? null
    : spawn(process.execPath, ['--import', 'tsx', path.join('lib', 'handoff', 'worker-main.ts')], { stdio: 'inherit', env });
  worker?.on('exit', (code, signal) => { if (!stopping) log.error({ code, signal }, 'hand-off worker stopped'); });
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    worker?.kill(signal);
    child.kill(signal);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  child.on('exit', async (code) => {
    await database.stop().catch(() => {});
    process.exit(code ?? 0);
  });
}

main().catch(async (error) => {
  log.error({ err: (error as Error).message }, 'could not start');
  process.exit(1);
});
