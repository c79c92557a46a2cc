import fs from 'node:fs';
import path from 'node:path';
import { formatDateTime } from '../time/local-day';
import { createBackup, listBackups, recordBackup, restoreBackup, RestoreRefused, verifyBackup } from '../ops/backup';
import { openDatabase } from './database';

/**
 * `npm run cli -- backup create | list | verify <file> | restore <file> [--force]` (lib/ops/backup.ts). Files
 * live in DATA_DIR/backups (`--out DIR` for create and list). Works on the embedded database and on DATABASE_URL.
 */
export const BACKUP_USAGE =
  'Cách dùng / usage: npm run cli -- backup create [--out THƯ-MỤC] | backup list [--out THƯ-MỤC] | backup verify <tệp> | backup restore <tệp> [--force]';

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;

export async function backupCli(
  verb: string | undefined,
  file: string | undefined,
  options: { out?: string; force?: boolean },
): Promise<number> {
  const dir = path.resolve(options.out ?? path.join(process.env.DATA_DIR ?? '.data', 'backups'));
  if (verb === 'list') {
    const files = listBackups(dir);
    if (!files.length) console.log(`Chưa có bản sao lưu nào trong ${dir} / no backups in ${dir}`);
    for (const f of files) console.log(`${formatDateTime(f.at)}  ${mb(f.sizeBytes).padStart(10)}  ${f.file}`);
    return 0;
  }
  if (verb !== 'create' && verb !== 'verify' && verb !== 'restore') return usage();
  if (verb !== 'create' && (!file || !fs.existsSync(file))) {
    console.error(file ? `Không có tệp ${file} / no such file` : BACKUP_USAGE);
    return 2;
  }
  // A restore rebuilds the schema itself: no migrations first.
  const database = await openDatabase({ migrate: verb !== 'restore' });
  try {
    if (verb === 'create') {
      const startedAt = new Date();
      const result = await createBackup(database.url, dir, startedAt);
      await recordBackup(database.url, {
        file: result.file,
        kind: 'MANUAL',
        startedAt,
        sizeBytes: result.sizeBytes,
        rows: result.totalRows,
      });
      console.log(
        `Đã sao lưu ${result.totalRows} dòng (${mb(result.sizeBytes)}) / backed up ${result.totalRows} rows:\n${result.file}`,
      );
    } else if (verb === 'verify') {
      const counts = await verifyBackup(database.url, file!);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      for (const [table, n] of Object.entries(counts)) if (n > 0) console.log(`${table.padEnd(28)} ${n}`);
      console.log(
        `Tệp sao lưu dùng được: khôi phục thử ${total} dòng, đủ như trong tệp / the backup restores: ${total} rows, as many as it holds`,
      );
    } else {
      const counts = await restoreBackup(database.url, file!, { force: options.force });
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      console.log(
        `Đã khôi phục ${total} dòng từ ${path.basename(file!)} / restored ${total} rows. Khởi động lại ứng dụng / start the app again: npm start`,
      );
    }
    return 0;
  } catch (error) {
    console.error((error as Error).message);
    return error instanceof RestoreRefused ? 2 : 1;
  } finally {
    await database.stop();
  }
}

function usage(): number {
  console.error(BACKUP_USAGE);
  return 2;
}
