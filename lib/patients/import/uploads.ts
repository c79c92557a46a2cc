import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { audit } from '../../audit';
import type { Principal } from '../../auth/roles';
import { maskIdentifier } from '../../identity';
import { log } from '../../log';
import { FIELD_LABELS, IMPORT_FIELDS, headerKey, type ImportField } from './columns';
import { ImportFileError, inspectFile, type Cell } from './read';
import { getImportJob, prepareImport, previewFile, runImport, type ImportJob } from './run';
import type { Jsonified } from '../../http/json';

/**
 * The admin page's side of the import: an upload is streamed to disk under a size cap (never held in memory),
 * named by its SHA-256 inside the facility's folder (a re-upload of the same file is the same upload, and a run
 * interrupted by a restart finds its file again), checked by content (CSV text or XLSX zip, whatever its name),
 * previewed, then imported by this server process in the background while the page polls the job.
 */
export const IMPORT_MAX_BYTES = Number(process.env.IMPORT_MAX_BYTES ?? 400 * 1024 * 1024);
const KEEP_UPLOADS_DAYS = 7;

function uploadsDir(facilityId: string): string {
  return path.resolve(process.env.DATA_DIR ?? '.data', 'imports', facilityId);
}

/** The stored upload of this facility with this hash (hex, so never a path of someone's choosing). */
export function uploadPath(facilityId: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ImportFileError('NO_UPLOAD', 'Không tìm thấy tệp đã tải lên.');
  return path.join(uploadsDir(facilityId), sha256);
}

export type UploadPreview = {
  upload: string;
  fileName: string;
  bytes: number;
  format: 'CSV' | 'XLSX';
  encoding: string | null;
  headerRow: number;
  columns: { header: string; field: ImportField | null }[];
  missing: ImportField[];
  /** the first rows under the header, identifiers masked (the preview is for checking the columns) */
  sample: string[][];
};

/** Streams `body` to the facility's uploads folder; refuses more than `maxBytes` (the part read is deleted). */
export async function saveUpload(
  facilityId: string,
  body: ReadableStream<Uint8Array>,
  maxBytes = IMPORT_MAX_BYTES,
): Promise<{ path: string; sha256: string; bytes: number }> {
  const dir = uploadsDir(facilityId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await removeStaleUploads(dir);
  const part = path.join(dir, `${randomUUID()}.part`);
  const out = createWriteStream(part, { mode: 0o600 });
  const hash = createHash('sha256');
  let bytes = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        void reader.cancel().catch(() => {});
        throw new ImportFileError('TOO_LARGE', `Tệp lớn quá ${Math.round(maxBytes / 1048576)} MB (IMPORT_MAX_BYTES).`);
      }
      hash.update(value);
      if (!out.write(value)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (bytes === 0) throw new ImportFileError('EMPTY_FILE', 'Tệp rỗng.');
    const sha256 = hash.digest('hex');
    const final = path.join(dir, sha256);
    await rename(part, final);
    return { path: final, sha256, bytes };
  } catch (error) {
    out.destroy();
    await rm(part, { force: true });
    throw error;
  }
}

async function removeStaleUploads(dir: string) {
  const before = Date.now() - KEEP_UPLOADS_DAYS * 86_400_000;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (info && info.mtimeMs < before) await rm(file, { force: true });
  }
}

const ID_FIELDS = new Set<ImportField>(['personalId', 'cmnd', 'bhytCard', 'bhxhNumber', 'phone']);

function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date)
    return `${String(cell.getUTCDate()).padStart(2, '0')}/${String(cell.getUTCMonth() + 1).padStart(2, '0')}/${cell.getUTCFullYear()}`;
  return String(cell).normalize('NFC').trim().slice(0, 120);
}

/** The columns found (or as `map` says) and the first rows, for the admin to check before importing. */
export async function previewUpload(
  facilityId: string,
  sha256: string,
  fileName: string,
  map?: Map<string, ImportField | null>,
): Promise<UploadPreview> {
  const file = uploadPath(facilityId, sha256);
  const inspected = await inspectFile(file);
  const preview = await previewFile(file, inspected, map, 5);
  const { fields, headers } = preview.columns;
  return {
    upload: sha256,
    fileName,
    bytes: inspected.bytes,
    format: inspected.format,
    encoding: inspected.encoding,
    headerRow: preview.headerRow,
    columns: headers.map((header, i) => ({ header, field: fields[i] ?? null })),
    missing: preview.columns.missing,
    sample: preview.sample.map((r) =>
      headers.map((_, i) => {
        const text = cellText(r.cells[i]);
        const field = fields[i];
        return field && ID_FIELDS.has(field) && text ? maskIdentifier(text.replace(/\s/g, '')) : text;
      }),
    ),
  };
}

/** `{ "Mã BN": "hospitalCode", "Ghi chú": null }` from the page → the map the reader takes. */
export function columnMap(record: Record<string, string | null>): Map<string, ImportField | null> {
  const map = new Map<string, ImportField | null>();
  for (const [header, field] of Object.entries(record)) {
    if (field !== null && !(IMPORT_FIELDS as readonly string[]).includes(field))
      throw new ImportFileError('BAD_MAP', `Không có trường "${field}".`);
    map.set(headerKey(header), field as ImportField | null);
  }
  return map;
}

const running = new Set<string>();

/**
 * Creates (or finds, to resume) the job for this upload and runs it in the background of this process. The page
 * polls `importJob`. A real run that finishes deletes the upload; a dry run keeps it for the real run.
 */
export async function startImport(
  pool: pg.Pool,
  actor: Principal,
  input: { upload: string; fileName: string; dryRun: boolean; map?: Map<string, ImportField | null> },
) {
  const file = uploadPath(actor.facilityId, input.upload);
  if (!(await stat(file).catch(() => null)))
    throw new ImportFileError('NO_UPLOAD', 'Tệp đã tải lên không còn trên máy chủ: hãy tải lên lại.');
  const options = {
    facilityId: actor.facilityId,
    path: file,
    fileName: input.fileName,
    dryRun: input.dryRun,
    map: input.map,
    actor,
  };
  const { job, resumed } = await prepareImport(pool, options);
  await audit(pool, {
    action: 'PATIENT_IMPORT_STARTED',
    actor,
    entityType: 'PatientImport',
    entityId: job.id,
    details: { dryRun: input.dryRun, resumed },
  });
  if (!running.has(job.id)) {
    running.add(job.id);
    void runImport(pool, { ...options, jobId: job.id })
      .then(async (done) => {
        if (!done.dryRun && done.status === 'DONE') await rm(file, { force: true });
      })
      .catch((error: Error) => log.error({ jobId: job.id, err: error.message.slice(0, 300) }, 'patient import stopped'))
      .finally(() => running.delete(job.id));
  }
  return { jobId: job.id, resumed };
}

export type JobView = Pick<
  ImportJob,
  | 'id'
  | 'status'
  | 'dryRun'
  | 'fileName'
  | 'format'
  | 'encoding'
  | 'progress'
  | 'counts'
  | 'error'
  | 'createdAt'
  | 'finishedAt'
> & {
  running: boolean;
  /** an unfinished job whose upload is still here can be resumed */
  resumable: boolean;
  upload: string;
};

function view(job: ImportJob & { fileHash: string; facilityId: string }, exists: boolean): JobView {
  const { id, status, dryRun, fileName, format, encoding, progress, counts, error, createdAt, finishedAt } = job;
  return {
    id,
    status,
    dryRun,
    fileName,
    format,
    encoding,
    progress,
    counts,
    error,
    createdAt,
    finishedAt,
    upload: job.fileHash,
    running: running.has(id),
    resumable: !running.has(id) && status !== 'DONE' && status !== 'FAILED' && exists,
  };
}

export async function importJob(pool: pg.Pool, facilityId: string, id: string): Promise<JobView | null> {
  const job = await getImportJob(pool, facilityId, id);
  if (!job) return null;
  return view(job, Boolean(await stat(uploadPath(facilityId, job.fileHash)).catch(() => null)));
}

/** The facility's last imports, newest first. */
export async function recentImports(pool: pg.Pool, facilityId: string): Promise<JobView[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id::text FROM "PatientImport" WHERE "facilityId" = $1::uuid ORDER BY "createdAt" DESC LIMIT 10`,
    [facilityId],
  );
  const jobs = await Promise.all(rows.map((r) => importJob(pool, facilityId, r.id)));
  return jobs.filter((j): j is JobView => j !== null);
}

export { FIELD_LABELS };

/** 200 from GET /api/v1/patient-imports/:id (polled while the import runs). */
export type ImportJobResponse = Jsonified<JobView>;
/** 200 from GET /api/v1/patient-imports: the facility's last imports. */
export type ImportsResponse = { imports: ImportJobResponse[] };
/** 202 from POST /api/v1/patient-imports/start. */
export type ImportStartedResponse = Awaited<ReturnType<typeof startImport>>;
