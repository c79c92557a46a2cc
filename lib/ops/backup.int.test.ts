import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testDb, testFacility } from '../db/test-helpers';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { freePort } from '../db/scratch-cluster';
import { testEncounter, testPatient, testRoom } from '../handoff/test-fixtures';
import { createBackup, listBackups, restoreBackup, RestoreRefused, verifyBackup } from './backup';
import { lastSlot, retention, runDueBackup, type BackupPolicy } from './backup-schedule';

/**
 * Issue 12, "backup → restore round trip into a fresh data folder brings back every row; the nightly schedule is
 * tested with an injected clock". The source is the test database (with patients, encounters, hand-offs, audit
 * rows); the target a new embedded PostgreSQL in an empty data folder, as after a disk failure.
 */
const db = testDb();
const url = inject('databaseUrl');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiepdon-backup-test-'));
let fresh: EmbeddedDatabase | null = null;

beforeAll(async () => {
  const facility = await testFacility(db);
  const room = await testRoom(db, facility.id);
  for (let i = 0; i < 5; i++) {
    const { patient, coverage } = await testPatient(db, { bhyt: i % 2 === 0 });
    await testEncounter(db, facility.id, room.id, patient, { coverageId: coverage?.id ?? null });
  }
  await db.auditEvent.create({
    data: { action: 'TEST_BACKUP', actorType: 'SYSTEM', details: { note: 'dòng nhật ký' } },
  });
  // Text that COPY must escape: tabs, new lines, backslashes, quotes, Vietnamese.
  await db.room.create({
    data: {
      facilityId: facility.id,
      code: `X${Date.now() % 1e6}`,
      name: 'Phòng\tthử\nhai dòng \\ "ngoặc" Đồng Tháp',
      department: 'Khoa Khám bệnh',
    },
  });
});
afterAll(async () => {
  await fresh?.stop();
  await db.$disconnect();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every table's row count and a digest of its rows, as text (UTC), in a stable order. */
async function contents(databaseUrl: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
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

it('backup → restore into a fresh data folder brings back every row of every table; a second restore needs --force', async () => {
  // Workers of earlier test files (stopped now) may have beaten in the last 30 s: restored as they are, their rows
  // would read as an app running on the restored database, and the forced restore below would be refused.
  await db.$executeRawUnsafe(`UPDATE "ProcessHeartbeat" SET "lastSeenAt" = now() - interval '1 hour'`);
  const before = await contents(url);
  expect(Number(before.Encounter!.split(':')[0])).toBeGreaterThanOrEqual(5);
  const backup = await createBackup(url, path.join(tmp, 'backups'));
  expect(listBackups(path.join(tmp, 'backups')).map((f) => f.file)).toEqual([backup.file]);
  expect(backup.rows.Encounter).toBe(Number(before.Encounter!.split(':')[0]));

  fresh = await startEmbeddedPostgres(path.join(tmp, 'fresh-data'), await freePort());
  const counts = await restoreBackup(fresh.url, backup.file);
  expect(counts).toEqual(backup.rows);
  expect(await contents(fresh.url)).toEqual(before);

  // The sequences go on after the restored rows: a new audit row gets a new id.
  const client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  const maxId = (await client.query(`SELECT max(id)::text AS m FROM "AuditEvent"`)).rows[0].m;
  const newId = (
    await client.query(
      `INSERT INTO "AuditEvent" ("action", "actorType") VALUES ('TEST', 'SYSTEM') RETURNING id::text AS id`,
    )
  ).rows[0].id;
  await client.query(`DELETE FROM "AuditEvent" WHERE id = $1`, [newId]);
  await client.end();
  expect(BigInt(newId)).toBeGreaterThan(BigInt(maxId));

  await expect(restoreBackup(fresh.url, backup.file)).rejects.toBeInstanceOf(RestoreRefused);
  expect(await restoreBackup(fresh.url, backup.file, { force: true })).toEqual(backup.rows);
  expect(await contents(fresh.url)).toEqual(before);
}, 120_000);

it('verify restores into a scratch database and counts the rows; a truncated file fails', async () => {
  const dir = path.join(tmp, 'verify');
  const backup = await createBackup(url, dir);
  expect(await verifyBackup(url, backup.file)).toEqual(backup.rows);
  const cut = path.join(dir, 'tiepdon-20260101-000000.tdbak');
  fs.writeFileSync(cut, fs.readFileSync(backup.file).subarray(0, Math.floor(fs.statSync(backup.file).size / 2)));
  await expect(verifyBackup(url, cut)).rejects.toThrow();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const left = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
    `tiepdon_verify_${process.pid}_%`,
  ]);
  await admin.end();
  expect(left.rows).toEqual([]); // scratch databases are dropped, even after a failure
}, 120_000);

it('the nightly schedule, on an injected clock: a backup at the first start, then one per night after 02:00 local, none twice', async () => {
  await db.databaseBackup.deleteMany({});
  const dir = path.join(tmp, 'nightly');
  const policy: BackupPolicy = { hour: 2, daily: 14, weekly: 8 };
  const at = (local: string) => new Date(`${local}+07:00`);
  const made: string[] = [];
  for (const [clock, expected] of [
    ['2026-12-10T01:30:00', true], // first start: no backup yet
    ['2026-12-10T01:45:00', false],
    ['2026-12-10T02:00:00', true], // the night's slot
    ['2026-12-10T09:00:00', false],
    ['2026-12-11T01:59:00', false],
    ['2026-12-11T02:01:00', true],
    ['2026-12-13T23:00:00', true], // the server was off for two nights: it catches up when it comes back
    ['2026-12-14T01:00:00', false],
  ] as const) {
    const result = await runDueBackup(url, dir, at(clock), policy);
    expect({ clock, made: result !== null }).toEqual({ clock, made: expected });
    if (result) made.push(path.basename(result.file));
  }
  expect(made).toEqual([
    'tiepdon-20261210-013000.tdbak',
    'tiepdon-20261210-020000.tdbak',
    'tiepdon-20261211-020100.tdbak',
    'tiepdon-20261213-230000.tdbak',
  ]);
  // Retention: the 01:30 backup of the 10th gave way to the 02:00 one of the same day.
  expect(listBackups(dir).map((f) => path.basename(f.file))).toEqual([...made].slice(1).reverse());
  const rows = await db.databaseBackup.findMany({ orderBy: { finishedAt: 'asc' } });
  expect(rows.map((r) => [r.kind, r.error, r.file])).toEqual(made.map((f) => ['SCHEDULED', null, f]));
  expect(lastSlot(at('2026-12-10T01:59:59'), 2)).toEqual(at('2026-12-09T02:00:00'));
  await db.databaseBackup.deleteMany({}); // the injected clock's future rows must not look like real backups to other tests
}, 120_000);

it('retention keeps the newest backup of each of the last 14 days and of each of the last 8 weeks', () => {
  const day = 86_400_000;
  const start = new Date('2026-01-05T02:00:00+07:00').getTime(); // a Monday
  // 120 nights, two backups on each (02:00 and a manual one at 15:00).
  const files = Array.from({ length: 240 }, (_, i) => ({
    file: `f${i}`,
    sizeBytes: 1,
    at: new Date(start + Math.floor(i / 2) * day + (i % 2) * 13 * 3_600_000),
  }));
  const { keep, remove } = retention(files, { hour: 2, daily: 14, weekly: 8 });
  expect(keep.length + remove.length).toBe(240);
  const localDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
  const days = keep.map((f) => localDay(f.at));
  expect(new Set(days).size).toBe(days.length); // one per day
  const last = files[239]!.at;
  expect(keep[0]!.at).toEqual(last); // the newest is kept
  const daily = keep.filter((f) => last.getTime() - f.at.getTime() < 14 * day);
  expect(daily).toHaveLength(14);
  expect(daily.every((f) => f.at.getUTCHours() === 8)).toBe(true); // 15:00 local: the day's newest
  const older = keep.filter((f) => last.getTime() - f.at.getTime() >= 14 * day);
  expect(older.length).toBeGreaterThanOrEqual(5); // the weeks before the last two, up to 8 weeks in all
  expect(keep.length).toBeLessThanOrEqual(14 + 8);
  expect(last.getTime() - keep[keep.length - 1]!.at.getTime()).toBeLessThan(8 * 7 * day);
});
