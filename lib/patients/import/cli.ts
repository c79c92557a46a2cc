import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { newPgPool } from '../../db/pool';
import { parseColumnMap } from './columns';
import { ImportFileError, type TextEncoding } from './read';
import { COUNT_LABELS, writeConflicts, writeReport } from './report';
import { runImport, type ImportCounts } from './run';

/**
 * `npm run cli -- patients import <file.csv|file.xlsx> [--dry-run] [--facility CODE] [--map "Mã BN=hospitalCode,…"]
 *   [--encoding utf-8|cp1258] [--out DIR]`: imports (or resumes importing) the file, prints the counts and writes the
 * report and the conflicts file into DIR (default: the current folder). Exit code 0 when done, 1 on error.
 */
export async function importPatientsCli(
  url: string,
  file: string | undefined,
  values: {
    'dry-run'?: boolean;
    facility?: string;
    map?: string;
    encoding?: string;
    out?: string;
    actor: string;
  },
): Promise<void> {
  if (!file)
    throw new ImportFileError(
      'USAGE',
      'Cách dùng: npm run cli -- patients import <tệp.csv|tệp.xlsx> [--dry-run] [--facility MÃ] [--map "Tên cột=trường,…"] [--encoding cp1258] [--out THƯ_MỤC]',
    );
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new ImportFileError('NO_FILE', `Không có tệp ${file}.`);
  const encoding = values.encoding
    ? ({ 'utf-8': 'UTF-8', utf8: 'UTF-8', cp1258: 'CP1258', 'windows-1258': 'CP1258' } as Record<string, TextEncoding>)[
        values.encoding.toLowerCase()
      ]
    : undefined;
  if (values.encoding && !encoding) throw new ImportFileError('USAGE', '--encoding: utf-8 hoặc cp1258.');
  const pool = newPgPool({ connectionString: url, max: 2 });
  try {
    const facilities = await pool.query<{ id: string; code: string }>(
      values.facility
        ? 'SELECT id::text, code FROM "Facility" WHERE code = $1'
        : 'SELECT id::text, code FROM "Facility" ORDER BY code LIMIT 2',
      values.facility ? [values.facility] : [],
    );
    if (facilities.rows.length !== 1) {
      throw new ImportFileError(
        'USAGE',
        values.facility ? `Không có cơ sở mã ${values.facility}.` : 'Có nhiều cơ sở: chọn một bằng --facility MÃ.',
      );
    }
    const facility = facilities.rows[0]!;
    const started = Date.now();
    let last = -1;
    const job = await runImport(pool, {
      facilityId: facility.id,
      path: file,
      fileName: path.basename(file),
      dryRun: values['dry-run'] ?? false,
      map: values.map ? parseColumnMap(values.map) : undefined,
      encoding,
      actor: { name: values.actor, facilityId: facility.id },
      onProgress: (p, status) => {
        if (p === last) return;
        last = p;
        process.stdout.write(`\r${status.padEnd(9)} ${String(p).padStart(3)} %`);
      },
    });
    process.stdout.write('\n');
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `${job.dryRun ? 'Chạy thử (không ghi gì)' : 'Đã nhập'} ${job.fileName} vào cơ sở ${facility.code} trong ${seconds.toFixed(1)} s${job.resumed ? ' (tiếp tục lần nhập dở)' : ''}:`,
    );
    for (const [key, label] of Object.entries(COUNT_LABELS) as [keyof ImportCounts, string][]) {
      console.log(`  ${label.padEnd(58)} ${String(job.counts?.[key] ?? 0).padStart(9)}`);
    }
    const out = values.out ?? '.';
    const base = path.join(out, `nhap-benh-nhan-${job.id.slice(0, 8)}`);
    await writeXlsx(`${base}-bao-cao.xlsx`, (s) => writeReport(pool, job, s));
    console.log(`Báo cáo: ${base}-bao-cao.xlsx`);
    if (job.counts?.conflicts) {
      await writeXlsx(`${base}-xung-dot.xlsx`, (s) => writeConflicts(pool, job, s));
      console.log(`Tệp xung đột: ${base}-xung-dot.xlsx`);
    }
  } finally {
    await pool.end();
  }
}

async function writeXlsx(file: string, write: (out: PassThrough) => Promise<void>) {
  const stream = new PassThrough();
  await Promise.all([write(stream), pipeline(stream, createWriteStream(file))]);
}
