import fs from 'node:fs';
import path from 'node:path';
import { newPgClient } from '../db/pool';
import { log } from '../log';
import { createBackup, listBackups, recordBackup, type BackupFile, type BackupResult } from './backup';
import { fromLocalClock, localClock, localDay } from '../time/local-day';

/**
 * The nightly backup of the embedded database, run by the hand-off worker that `npm start` starts (it is given
 * BACKUP_DIR = DATA_DIR/backups; with DATABASE_URL the DBA's own backups apply and nothing is scheduled).
 * Every tick (a minute) it asks: has a backup succeeded since the last `BACKUP_HOUR` (local, default 02:00)? If
 * not, it makes one — so a server that was off at 02:00 backs up when it comes back — then applies the retention
 * (the newest backup of each of the last 14 days and of each of the last 8 weeks). A failure is logged and
 * recorded, and tried again after 30 minutes. The clock is injected (tests run nights in milliseconds).
 */
export type BackupPolicy = { hour: number; daily: number; weekly: number };

const RETRY_AFTER_MS = 30 * 60_000;
const LOCK_KEY = 72707370; // one backup at a time, whichever process asks

export function backupPolicy(env: Record<string, string | undefined> = process.env): BackupPolicy {
  const hour = Number(env.BACKUP_HOUR);
  return { hour: Number.isInteger(hour) && hour >= 0 && hour < 24 ? hour : 2, daily: 14, weekly: 8 };
}

/** The latest scheduled time at or before `now`: today's `hour` (local), or yesterday's if not yet reached. */
export function lastSlot(now: Date, hour: number): Date {
  const local = localClock(now);
  let slot = fromLocalClock(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), hour)).getTime();
  if (slot > now.getTime()) slot -= 86_400_000;
  return new Date(slot);
}

/** Monday of the local week. */
const localWeekKey = (at: Date) => {
  const local = localClock(at);
  return new Date(local.getTime() - ((local.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
};

/** Which backups to keep: the newest of each of the last `daily` days and of each of the last `weekly` weeks. */
export function retention(files: BackupFile[], policy: BackupPolicy): { keep: BackupFile[]; remove: BackupFile[] } {
  const newestFirst = [...files].sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<BackupFile>();
  for (const [key, count] of [
    [localDay, policy.daily],
    [localWeekKey, policy.weekly],
  ] as const) {
    const seen = new Set<string>();
    for (const f of newestFirst) {
      const k = key(f.at);
      if (seen.has(k)) continue;
      if (seen.size >= count) break;
      seen.add(k);
      keep.add(f);
    }
  }
  return { keep: newestFirst.filter((f) => keep.has(f)), remove: newestFirst.filter((f) => !keep.has(f)) };
}

export function applyRetention(dir: string, policy: BackupPolicy): string[] {
  const { remove } = retention(listBackups(dir), policy);
  for (const f of remove) fs.rmSync(f.file, { force: true });
  // A half-written file of a backup that was killed.
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const full = path.join(dir, name);
    if (name.endsWith('.partial') && Date.now() - fs.statSync(full).mtimeMs > 86_400_000)
      fs.rmSync(full, { force: true });
  }
  return remove.map((f) => path.basename(f.file));
}

/** Makes the backup if one is due at `now` (see above); null when none was due (or another process is at it). */
export async function runDueBackup(
  url: string,
  dir: string,
  now: Date,
  policy: BackupPolicy,
): Promise<BackupResult | null> {
  const client = newPgClient({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ ok: Date | null; failed: Date | null }>(
      `SELECT max("finishedAt") FILTER (WHERE "error" IS NULL) AS "ok", max("finishedAt") FILTER (WHERE "error" IS NOT NULL) AS "failed" FROM "DatabaseBackup"`,
    );
    const { ok, failed } = rows[0]!;
    if (ok && ok >= lastSlot(now, policy.hour)) return null;
    if (failed && (!ok || failed > ok) && now.getTime() - failed.getTime() < RETRY_AFTER_MS) return null;
    if (
      !(await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS "locked"', [LOCK_KEY])).rows[0]!
        .locked
    )
      return null;
    try {
      const result = await createBackup(url, dir, now);
      await recordBackup(url, {
        file: result.file,
        kind: 'SCHEDULED',
        startedAt: now,
        finishedAt: now,
        sizeBytes: result.sizeBytes,
        rows: result.totalRows,
      });
      const removed = applyRetention(dir, policy);
      log.info(
        { file: path.basename(result.file), sizeBytes: result.sizeBytes, rows: result.totalRows, removed },
        'database backup made',
      );
      return result;
    } catch (error) {
      const message = (error as Error).message;
      log.error({ err: message, dir }, 'database backup failed: trying again in 30 minutes');
      await recordBackup(url, { file: '', kind: 'SCHEDULED', startedAt: now, finishedAt: now, error: message }).catch(
        () => {},
      );
      return null;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/** Ticks every `everyMs` in the worker; `stop()` waits for a backup in progress. */
export function startBackupScheduler(
  url: string,
  dir: string,
  options: { everyMs?: number; clock?: () => Date; policy?: BackupPolicy } = {},
) {
  const policy = options.policy ?? backupPolicy();
  const clock = options.clock ?? (() => new Date());
  let running: Promise<unknown> | null = null;
  const tick = () => {
    running ??= runDueBackup(url, dir, clock(), policy)
      .catch((error) => log.error({ err: (error as Error).message }, 'backup schedule check failed'))
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, options.everyMs ?? 60_000);
  timer.unref();
  log.info(
    { dir, hour: policy.hour, keepDaily: policy.daily, keepWeekly: policy.weekly },
    'nightly database backups scheduled',
  );
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
