import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, type Db } from '../db/client';
import { freshDatabase } from '../db/test-database';
import { testFacility } from '../db/test-helpers';
import { testEncounter, testPatient, testRoom } from '../handoff/test-fixtures';
import { BACKUP_EXTENSION } from '../ops/backup';

/**
 * `npm run cli -- backup create | list | verify | restore` as IT runs them, each in its own process, on scratch
 * databases of the test server: create → list shows the file → verify says it restores → restore over a database
 * with rows is refused without --force (Vietnamese, exit ≠ 0, nothing touched) → restore --force into a new, empty
 * database gives back every row of every table.
 */
const tsx = path.join('node_modules', 'tsx', 'dist', 'cli.mjs');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tiepdon-backup-cli-'));
let sourceUrl: string;
let targetUrl: string;
let source: Db;

beforeAll(async () => {
  sourceUrl = await freshDatabase(inject('serverUrl'), 'tiepdon_backup_cli_source', { migrated: true });
  targetUrl = await freshDatabase(inject('serverUrl'), 'tiepdon_backup_cli_target'); // empty: no schema at all
  source = createDb(sourceUrl, 1);
  const facility = await testFacility(source);
  const room = await testRoom(source, facility.id);
  for (let i = 0; i < 3; i++) {
    const { patient, coverage } = await testPatient(source, { bhyt: i % 2 === 0 });
    await testEncounter(source, facility.id, room.id, patient, { coverageId: coverage?.id ?? null });
  }
  await source.auditEvent.create({
    data: { action: 'TEST_BACKUP', actorType: 'SYSTEM', details: { note: 'dòng nhật ký\tcó tab' } },
  });
});
afterAll(async () => {
  await source?.$disconnect();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function cli(url: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [tsx, 'lib/cli/index.ts', 'backup', ...args], {
    env: { ...process.env, DATABASE_URL: url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

/** Every table's row count and a digest of its rows (UTC text, stable order). */
async function contents(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET TimeZone = 'UTC'`);
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS "name" FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
    );
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM "${name}" t`,
      );
      out[name] = `${rows[0].n}:${rows[0].h}`;
    }
    return out;
  } finally {
    await client.end();
  }
}

const rowsOf = (snapshot: Record<string, string>, table: string) => Number(snapshot[table]!.split(':')[0]);

it('create → list → verify → restore refused without --force → restore --force into an empty database', async () => {
  const before = await contents(sourceUrl);
  expect(rowsOf(before, 'Encounter')).toBe(3);
  expect(rowsOf(before, 'Patient')).toBe(3);

  const empty = cli(sourceUrl, 'list');
  expect(empty.code, empty.err).toBe(0);
  expect(empty.out).toContain('Chưa có bản sao lưu nào');

  // create: into DATA_DIR/backups, saying how many rows.
  const create = cli(sourceUrl, 'create');
  expect(create.code, create.err).toBe(0);
  const file = create.out.trim().split('\n').at(-1)!;
  expect(path.dirname(file)).toBe(path.join(dataDir, 'backups'));
  expect(file.endsWith(BACKUP_EXTENSION)).toBe(true);
  expect(fs.existsSync(file)).toBe(true);
  const total = Object.values(before).reduce((sum, entry) => sum + Number(entry.split(':')[0]), 0);
  expect(create.out).toMatch(new RegExp(`Đã sao lưu \\d+ dòng`));
  // The rows of the app's tables plus _prisma_migrations.
  expect(Number(/Đã sao lưu (\d+) dòng/.exec(create.out)![1])).toBeGreaterThanOrEqual(total);

  // list: the new file, with its size.
  const list = cli(sourceUrl, 'list');
  expect(list.code, list.err).toBe(0);
  expect(list.out).toContain(path.basename(file));
  expect(list.out).not.toContain('Chưa có bản sao lưu nào');

  // verify: restored into a scratch database (and dropped), counts as in the file.
  const verify = cli(sourceUrl, 'verify', file);
  expect(verify.code, verify.err).toBe(0);
  expect(verify.out).toContain('Tệp sao lưu dùng được');
  expect(verify.out).toMatch(/^Encounter\s+3$/m);
  expect(verify.out).toMatch(/^Patient\s+3$/m);
  const scratch = new pg.Client({ connectionString: sourceUrl });
  await scratch.connect();
  const leftovers = await scratch.query(`SELECT datname FROM pg_database WHERE datname LIKE 'tiepdon_verify_%'`);
  await scratch.end();
  expect(leftovers.rows).toEqual([]);

  // restore over a database that has rows, without --force: refused in Vietnamese, nothing touched.
  const afterCreate = await contents(sourceUrl); // + the backup's own record
  const refused = cli(sourceUrl, 'restore', file);
  expect(refused.code).not.toBe(0);
  expect(refused.err).toContain('Cơ sở dữ liệu đích đã có dữ liệu: dùng --force để ghi đè');
  expect(await contents(sourceUrl)).toEqual(afterCreate);

  // restore --force into a new, empty database: every row of every table, as it was when the backup was made.
  const restore = cli(targetUrl, 'restore', file, '--force');
  expect(restore.code, restore.err).toBe(0);
  expect(restore.out).toContain(`Đã khôi phục`);
  expect(restore.out).toContain(path.basename(file));
  expect(await contents(targetUrl)).toEqual(before);

  // A missing file: exit 2 in Vietnamese.
  const missing = cli(targetUrl, 'verify', path.join(dataDir, 'khong-co.tdbak'));
  expect(missing.code).toBe(2);
  expect(missing.err).toContain('Không có tệp');
}, 300_000);
