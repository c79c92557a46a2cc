import type pg from 'pg';
import { importCounts, type ImportCounts } from './counts';
import { audit } from '../../audit';
import type { Principal } from '../../auth/roles';
import { isRetryableConflict } from '../../db/transaction';
import { localDay } from '../../time/local-day';
import { FIELD_LABELS, detectColumns, findHeaderRow, type DetectedColumns, type ImportField } from './columns';
import { ImportFileError, inspectFile, readRows, type Cell, type InspectedFile, type TextEncoding } from './read';
import { readRecord, type ImportRecord } from './rows';

/**
 * Importing the HIS's patient master, in four passes over one job row (PatientImport) that keeps the file's hash and
 * a cursor per pass, so a run that is interrupted anywhere resumes where it stopped, and a finished file imported
 * again changes nothing:
 *
 * 1. STAGING: the file is streamed; each row is validated (rows.ts) and staged in PatientImportRow, a few thousand
 *    rows per transaction together with the cursor. Memory holds one chunk, never the file.
 * 2. CHECKING (one transaction, set-based SQL over the whole file): exact duplicate rows; rows that share an
 *    identifier are one person — folded into the first row when they agree (name, birth date, single-valued numbers),
 *    all refused as conflicts when they do not (e.g. one CCCD under two names); two rows that point at the same
 *    existing record through different numbers are a conflict too (the HIS has that person twice).
 * 3. APPLYING, in batches by row number (one transaction each, with the cursor): each row is matched against the
 *    database by all its identifiers (a hospital code among this facility's codes): none → created; one record that
 *    agrees → enriched with what it lacks (identifiers, blank fields, the BHYT card) or left unchanged; several
 *    records, or one that disagrees → conflict (never merged automatically). A dry run decides the same and writes
 *    no patient data.
 * 4. DONE: the counts are kept on the job; staged rows are deleted except those in conflict (the conflicts file);
 *    ANALYZE, since autovacuum is off.
 *
 * The decisions are the same in a dry run and in the real run: rows that could affect each other are folded into
 * one before any write, so applying one batch cannot change what another decides.
 */

export type { ImportCounts } from './counts';

export type ImportJob = {
  id: string;
  status: 'STAGING' | 'CHECKING' | 'APPLYING' | 'DONE' | 'FAILED';
  dryRun: boolean;
  fileName: string;
  format: 'CSV' | 'XLSX';
  encoding: string | null;
  progress: number;
  counts: ImportCounts | null;
  columns: { headers: string[]; fields: (ImportField | null)[] };
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

export type ImportOptions = {
  facilityId: string;
  /** the file on disk (an upload already streamed to disk, or a CLI argument) */
  path: string;
  /** as the user named it: shown on the report, never used as a path */
  fileName: string;
  dryRun?: boolean;
  map?: Map<string, ImportField | null>;
  encoding?: TextEncoding;
  actor: Principal | { name: string; facilityId: string };
  /** rows per staging transaction and per apply batch */
  batchSize?: number;
  /** checked between transactions: throwing here leaves the job to be resumed (tests use it to interrupt) */
  checkpoint?: (job: { id: string; status: string; stagedTo: number; appliedTo: number }) => void | Promise<void>;
  onProgress?: (progress: number, status: string) => void;
  /** a job already created by prepareImport (the admin page starts it, then runs it in the background) */
  jobId?: string;
  /** milliseconds spent per statement (its first words), for the benchmark */
  profile?: Map<string, number>;
};

export const IMPORT_BATCH_ROWS = Number(process.env.IMPORT_BATCH_ROWS ?? 10_000);

const SELECT_JOB = `SELECT id::text, status, "dryRun", "fileName", format, encoding, progress, counts, columns, error, "createdAt", "finishedAt",
  "facilityId"::text AS "facilityId", "fileHash", "headerRow", "stagedTo", "appliedTo", "lastRow", "blankRows" FROM "PatientImport"`;
type JobRow = ImportJob & {
  facilityId: string;
  fileHash: string;
  headerRow: number;
  stagedTo: number;
  appliedTo: number;
  lastRow: number | null;
  blankRows: number;
};

export async function getImportJob(
  db: pg.Pool | pg.PoolClient,
  facilityId: string,
  id: string,
): Promise<JobRow | null> {
  const { rows } = await db.query<JobRow>(`${SELECT_JOB} WHERE id = $1::uuid AND "facilityId" = $2::uuid`, [
    id,
    facilityId,
  ]);
  return rows[0] ?? null;
}

/** The header row and the columns it names, from the first rows of the file. */
export async function previewFile(path: string, file: InspectedFile, map?: Map<string, ImportField | null>, rows = 20) {
  const first: { rowNumber: number; cells: Cell[] }[] = [];
  for await (const batch of readRows(path, file)) {
    first.push(...batch);
    if (first.length >= rows + 20) break;
  }
  const at = findHeaderRow(
    first.map((r) => r.cells),
    map,
  );
  if (at < 0) {
    throw new ImportFileError(
      'NO_HEADER',
      'Không tìm thấy dòng tiêu đề có cột Họ tên và Ngày sinh trong 20 dòng đầu. Dùng --map "Tên cột=fullName,…" để chỉ rõ cột.',
    );
  }
  const columns = detectColumns(first[at]!.cells, map);
  return { headerRow: first[at]!.rowNumber, columns, sample: first.slice(at + 1, at + 1 + rows) };
}

function describeMissing(columns: DetectedColumns): string {
  return columns.missing
    .map((f) =>
      f === 'hospitalCode' ? 'một cột nhận diện (Mã BN, Số CCCD, CMND, thẻ BHYT hoặc mã số BHXH)' : FIELD_LABELS[f],
    )
    .join(', ');
}

/**
 * Finds the unfinished job for this file (same facility, hash and mode) or creates one. Throws ImportFileError when
 * the file cannot be imported at all (type, header, required columns).
 */
export async function prepareImport(
  pool: pg.Pool,
  options: ImportOptions,
): Promise<{ job: JobRow; file: InspectedFile; resumed: boolean }> {
  const file = await inspectFile(options.path, options.encoding);
  const preview = await previewFile(options.path, file, options.map, 0);
  if (preview.columns.missing.length)
    throw new ImportFileError('COLUMNS_MISSING', `Tệp thiếu cột: ${describeMissing(preview.columns)}.`);
  const dryRun = options.dryRun ?? false;
  const {
    rows: [open],
  } = await pool.query<JobRow>(
    `${SELECT_JOB} WHERE "facilityId" = $1::uuid AND "fileHash" = $2 AND "dryRun" = $3 AND status NOT IN ('DONE', 'FAILED') ORDER BY "createdAt" DESC LIMIT 1`,
    [options.facilityId, file.sha256, dryRun],
  );
  if (open) return { job: open, file, resumed: true };
  const columns = { headers: preview.columns.headers, fields: preview.columns.fields };
  const {
    rows: [created],
  } = await pool.query<{ id: string }>(
    `INSERT INTO "PatientImport" ("facilityId", "fileName", "fileHash", "fileBytes", format, encoding, columns, "dryRun", status, "headerRow", "appliedTo", "startedBy", "updatedAt")
     VALUES ($1::uuid, $2, $3, $4, $5, $6, $7::jsonb, $8, 'STAGING', $9, $9, $10, now()) RETURNING id::text`,
    [
      options.facilityId,
      options.fileName.slice(0, 200),
      file.sha256,
      file.bytes,
      file.format,
      file.encoding,
      JSON.stringify(columns),
      dryRun,
      preview.headerRow,
      options.actor.name,
    ],
  );
  const job = (await getImportJob(pool, options.facilityId, created!.id))!;
  return { job, file, resumed: false };
}

/** Runs (or resumes) an import to its end. Returns the finished job with its counts. */
export async function runImport(pool: pg.Pool, options: ImportOptions): Promise<ImportJob & { resumed: boolean }> {
  let resumed = false;
  let job: JobRow;
  let file: InspectedFile;
  if (options.jobId) {
    job = (await getImportJob(pool, options.facilityId, options.jobId)) ?? failNoJob();
    file = await inspectFile(options.path, (job.encoding as TextEncoding | null) ?? options.encoding);
    if (file.sha256 !== job.fileHash)
      throw new ImportFileError('FILE_CHANGED', 'Tệp đã thay đổi kể từ khi bắt đầu nhập.');
  } else {
    ({ job, file, resumed } = await prepareImport(pool, options));
  }
  const client = await pool.connect();
  try {
    // One runner per job, wherever it runs (CLI, web server): held for the session, so a crash releases it.
    const {
      rows: [lock],
    } = await client.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(hashtextextended('patient-import:' || $1, 0)) AS ok`,
      [job.id],
    );
    if (!lock!.ok) throw new ImportFileError('ALREADY_RUNNING', 'Tệp này đang được nhập ở một phiên khác.');
    // Each batch's statements are planned afresh on new temporary tables: JIT-compiling them costs more (about
    // 0.2 s a statement) than running them. More memory for the whole-file checks' sorts and hashes.
    await client.query(`SET jit = off; SET work_mem = '64MB'`);
    try {
      const run = new Run(client, options, job, file);
      await run.toEnd();
    } catch (error) {
      if (!(error instanceof Interrupted)) {
        await client.query('ROLLBACK').catch(() => {});
        // A file that cannot be read further is the file's fault: the job fails with the reason. Anything else
        // (database down, process killed) leaves the job to be resumed.
        if (error instanceof ImportFileError) {
          await client.query(
            `UPDATE "PatientImport" SET status = 'FAILED', error = $2, "updatedAt" = now() WHERE id = $1::uuid`,
            [job.id, error.message],
          );
        }
      }
      throw error;
    } finally {
      await client
        .query(`SELECT pg_advisory_unlock(hashtextextended('patient-import:' || $1, 0))`, [job.id])
        .catch(() => {});
      await client.query('RESET jit; RESET work_mem').catch(() => {});
    }
  } finally {
    client.release();
  }
  const done = (await getImportJob(pool, options.facilityId, job.id))!;
  return { ...done, resumed };
}

function failNoJob(): never {
  throw new ImportFileError('NO_JOB', 'Không tìm thấy lần nhập này.');
}

/** Thrown by a checkpoint to stop a run (tests): the job stays resumable. */
export class Interrupted extends Error {}

const KEYS = (
  alias: string,
) => `(VALUES ('HOSPITAL_CODE', ${alias}."hospitalCode"), ('PERSONAL_ID', ${alias}."personalId"), ('CMND', ${alias}.cmnd),
  ('BHYT_CARD', ${alias}."bhytCard"), ('BHXH_NUMBER', ${alias}."bhxhNumber")) AS k(system, value)`;
/** Identifier row `i` is key `k` (a hospital code being this facility's: `facility` is its parameter). */
const SAME_IDENTIFIER = (
  i: string,
  k: string,
  facility: string,
) => `${i}.system = ${k}.system::"IdentifierSystem" AND ${i}.value = ${k}.value
  AND ${i}."assigningFacilityId" IS NOT DISTINCT FROM (CASE WHEN ${k}.system = 'HOSPITAL_CODE' THEN ${facility}::uuid END)`;
const SYSTEM_COLUMN: Record<string, ImportField> = {
  HOSPITAL_CODE: 'hospitalCode',
  PERSONAL_ID: 'personalId',
  CMND: 'cmnd',
  BHYT_CARD: 'bhytCard',
  BHXH_NUMBER: 'bhxhNumber',
};

class Run {
  private readonly batchSize: number;
  private pendingCounts: ImportCounts | null = null;
  private readonly today = localDay();

  constructor(
    private db: pg.PoolClient,
    private options: ImportOptions,
    private job: JobRow,
    private file: InspectedFile,
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? IMPORT_BATCH_ROWS);
    const profile = options.profile;
    if (profile) {
      const query = db.query.bind(db) as (text: string | pg.QueryConfig, values?: unknown[]) => Promise<pg.QueryResult>;
      const timed = async (text: string | pg.QueryConfig, values?: unknown[]) => {
        const started = performance.now();
        try {
          return await query(text, values);
        } finally {
          const key = (typeof text === 'string' ? text : text.text).replace(/\s+/g, ' ').trim().slice(0, 48);
          profile.set(key, (profile.get(key) ?? 0) + performance.now() - started);
        }
      };
      this.db = { query: timed } as unknown as pg.PoolClient;
    }
  }

  private get fields(): (ImportField | null)[] {
    return this.job.columns.fields;
  }

  /** The file's header for a field (what the user calls that column). */
  private columnOf(field: ImportField | null): string | null {
    if (!field) return null;
    const i = this.fields.indexOf(field);
    return i >= 0 ? (this.job.columns.headers[i] ?? FIELD_LABELS[field]) : FIELD_LABELS[field];
  }

  private async checkpoint() {
    await this.options.checkpoint?.({
      id: this.job.id,
      status: this.job.status,
      stagedTo: this.job.stagedTo,
      appliedTo: this.job.appliedTo,
    });
  }

  private async transaction<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.db.query('BEGIN');
      try {
        const result = await fn();
        await this.db.query('COMMIT');
        return result;
      } catch (error) {
        await this.db.query('ROLLBACK');
        // A desk created one of these people a moment ago (unique violation) or a deadlock: decide again.
        if (attempt >= 5 || !isRetryableConflict(error)) throw error;
      }
    }
  }

  private progress(progress: number) {
    this.job.progress = Math.max(0, Math.min(100, Math.floor(progress)));
    this.options.onProgress?.(this.job.progress, this.job.status);
  }

  async toEnd() {
    if (this.job.status === 'STAGING') await this.stage();
    if (this.job.status === 'CHECKING') await this.check();
    if (this.job.status === 'APPLYING') {
      await this.apply();
      await this.finish();
    }
  }

  // ---- 1. staging ----

  private async stage() {
    const { job } = this;
    type Staged = { rowNumber: number; record: ImportRecord | null };
    let chunk: Staged[] = [];
    let issues: { rowNumber: number; kind: string; column: string | null; message: string }[] = [];
    let blanks = 0;
    let lastSeen = job.stagedTo;
    let inFlight: Promise<void> | null = null;
    const flush = async (upTo: number) => {
      const rows = chunk;
      const rowIssues = issues;
      const blankRows = blanks;
      chunk = [];
      issues = [];
      blanks = 0;
      const progress = (upTo / Math.max(1, job.lastRow ?? estimateRows(this.file, upTo))) * 45;
      await this.transaction(async () => {
        if (rows.length) await this.insertStaged(rows);
        if (rowIssues.length) await this.insertIssues(rowIssues);
        await this.db.query(
          `UPDATE "PatientImport" SET "stagedTo" = $2, "blankRows" = "blankRows" + $3, progress = $4, "updatedAt" = now() WHERE id = $1::uuid`,
          [job.id, upTo, blankRows, Math.min(45, Math.floor(progress))],
        );
      });
      job.stagedTo = upTo;
      job.blankRows += blankRows;
      this.progress(Math.min(45, progress));
      await this.checkpoint();
    };
    for await (const batch of readRows(this.options.path, this.file)) {
      for (const row of batch) {
        if (row.rowNumber <= job.stagedTo || row.rowNumber <= job.headerRow) continue;
        lastSeen = row.rowNumber;
        const result = readRecord(row.cells, this.fields, this.today);
        if (result.ok === 'blank') {
          blanks++;
          continue;
        }
        if (result.ok) {
          chunk.push({ rowNumber: row.rowNumber, record: result.record });
          for (const message of result.notes)
            issues.push({ rowNumber: row.rowNumber, kind: 'NOTE', column: this.columnOf('phone'), message });
        } else {
          chunk.push({ rowNumber: row.rowNumber, record: null });
          for (const issue of result.issues)
            issues.push({
              rowNumber: row.rowNumber,
              kind: 'REJECTED',
              column: this.columnOf(issue.field),
              message: issue.message,
            });
        }
        if (chunk.length >= this.batchSize) {
          // The database writes this chunk while the next one is read and checked (two cores: one each).
          await inFlight;
          inFlight = flush(row.rowNumber);
          inFlight.catch(() => {}); // handled where it is awaited; meanwhile not an unhandled rejection
        }
      }
    }
    await inFlight;
    await flush(lastSeen);
    await this.db.query(
      `UPDATE "PatientImport" SET status = 'CHECKING', "lastRow" = $2, "updatedAt" = now() WHERE id = $1::uuid`,
      [job.id, lastSeen],
    );
    job.lastRow = lastSeen;
    job.status = 'CHECKING';
    this.progress(45);
  }

  private async insertStaged(rows: { rowNumber: number; record: ImportRecord | null }[]) {
    const col = <K extends keyof ImportRecord>(k: K) => rows.map((r) => (r.record ? r.record[k] : null));
    await this.db.query(
      `INSERT INTO "PatientImportRow" ("importId", "rowNumber", status, "hospitalCode", "fullName", "normalizedName", "birthDate", sex,
         "personalId", cmnd, "bhytCard", "bhxhNumber", "bhytFrom", "bhytTo", phone, address)
       SELECT $1::uuid, r.n, CASE WHEN r.name IS NULL THEN 'REJECTED' ELSE 'VALID' END, r.code, r.name, r.norm, r.birth, r.sex::"Sex",
         r.pid, r.cmnd, r.card, r.bhxh, r.vfrom, r.vto, r.phone, r.address
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
         $12::text[], $13::text[], $14::text[], $15::text[]) AS r(n, code, name, norm, birth, sex, pid, cmnd, card, bhxh, vfrom, vto, phone, address)`,
      [
        this.job.id,
        rows.map((r) => r.rowNumber),
        col('hospitalCode'),
        col('fullName'),
        col('normalizedName'),
        col('birthDate'),
        col('sex'),
        col('personalId'),
        col('cmnd'),
        col('bhytCard'),
        col('bhxhNumber'),
        col('bhytFrom'),
        col('bhytTo'),
        col('phone'),
        col('address'),
      ],
    );
  }

  private async insertIssues(
    issues: { rowNumber: number; kind: string; column: string | null; message: string; detail?: unknown }[],
  ) {
    await this.db.query(
      `INSERT INTO "PatientImportIssue" ("importId", "rowNumber", kind, "column", message, detail)
       SELECT $1::uuid, i.n, i.kind, left(i.col, 100), i.message, i.detail::jsonb FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) AS i(n, kind, col, message, detail)`,
      [
        this.job.id,
        issues.map((i) => i.rowNumber),
        issues.map((i) => i.kind),
        issues.map((i) => i.column),
        issues.map((i) => i.message),
        issues.map((i) => (i.detail === undefined ? null : JSON.stringify(i.detail))),
      ],
    );
  }

  // ---- 2. checking the file against itself ----

  private async check() {
    const { job } = this;
    const q = (text: string, values: unknown[] = [job.id]) => this.db.query(text, values);
    await this.transaction(async () => {
      await q(`SET LOCAL work_mem = '256MB'`, []); // whole-file sorts and hashes (a million rows, a few million numbers)
      // Exact copies of an earlier row.
      await q(`UPDATE "PatientImportRow" r SET status = 'DUPLICATE', "leadRow" = d.first
        FROM (SELECT "rowNumber", min("rowNumber") OVER (PARTITION BY md5(ROW("hospitalCode", "fullName", "birthDate", sex, "personalId", cmnd,
                "bhytCard", "bhxhNumber", "bhytFrom", "bhytTo", phone, address)::text)) AS first
              FROM "PatientImportRow" WHERE "importId" = $1::uuid AND status = 'VALID') d
        WHERE r."importId" = $1::uuid AND r."rowNumber" = d."rowNumber" AND d.first <> d."rowNumber"`);
      // Every identifier of every remaining row; those that more than one row carries; the groups of rows they join.
      await q(`CREATE TEMP TABLE import_keys ON COMMIT DROP AS
        SELECT r."rowNumber" AS row, k.system, k.value FROM "PatientImportRow" r CROSS JOIN LATERAL ${KEYS('r')}
        WHERE r."importId" = $1::uuid AND r.status = 'VALID' AND k.value IS NOT NULL`);
      await q(
        `CREATE TEMP TABLE import_shared ON COMMIT DROP AS
        SELECT k.row, k.system, k.value FROM import_keys k
        JOIN (SELECT system, value FROM import_keys GROUP BY 1, 2 HAVING count(*) > 1) s USING (system, value)`,
        [],
      );
      await q(
        `CREATE TEMP TABLE import_group ON COMMIT DROP AS SELECT DISTINCT row, row AS label FROM import_shared`,
        [],
      );
      await q(`CREATE INDEX ON import_group (row)`, []);
      // Label propagation: each row takes the smallest label of the rows it shares an identifier with, until stable.
      for (let i = 0; i < 1000; i++) {
        const { rowCount } = await q(
          `UPDATE import_group g SET label = m.label FROM (
            SELECT a.row, min(gb.label) AS label FROM import_shared a JOIN import_shared b USING (system, value) JOIN import_group gb ON gb.row = b.row
            GROUP BY a.row) m
          WHERE m.row = g.row AND m.label < g.label`,
          [],
        );
        if (!rowCount) break;
      }
      // A group is one person when its rows agree: same name and birth date, at most one personal ID, hospital code,
      // BHXH number and sex. Otherwise every row of it is a conflict.
      await q(`CREATE TEMP TABLE import_groups ON COMMIT DROP AS
        SELECT g.label, array_agg(g.row ORDER BY g.row) AS rows,
          count(DISTINCT (r."normalizedName", r."birthDate")) = 1 AND count(DISTINCT r."personalId") <= 1 AND count(DISTINCT r."hospitalCode") <= 1
            AND count(DISTINCT r."bhxhNumber") <= 1 AND count(DISTINCT r.sex) <= 1 AS agree
        FROM import_group g JOIN "PatientImportRow" r ON r."importId" = $1::uuid AND r."rowNumber" = g.row GROUP BY g.label`);
      const conflicts = await q(`UPDATE "PatientImportRow" r SET status = 'CONFLICT'
        FROM import_group g JOIN import_groups gs ON gs.label = g.label AND NOT gs.agree
        WHERE r."importId" = $1::uuid AND r."rowNumber" = g.row
        RETURNING r."rowNumber" AS row, gs.rows,
          (SELECT array_agg(DISTINCT s.system) FROM import_shared s WHERE s.row = r."rowNumber") AS systems`);
      await this.insertIssues(
        conflicts.rows.map((c: { row: number; rows: number[]; systems: string[] }) => {
          const others = c.rows.filter((n) => n !== c.row);
          const column = this.columnOf(SYSTEM_COLUMN[c.systems[0]!] ?? null);
          return {
            rowNumber: c.row,
            kind: 'CONFLICT',
            column,
            message: `Trùng ${c.systems.map((s) => FIELD_LABELS[SYSTEM_COLUMN[s]!]).join(', ')} với dòng ${others.join(', ')} nhưng khác họ tên, ngày sinh, giới tính hoặc số giấy tờ khác: không nhập dòng nào, cần kiểm tra.`,
            detail: { rows: others },
          };
        }),
      );
      // Groups that agree: the first row is the person, the others are folded into it (first non-blank value in row
      // order; the BHYT card with the latest validity).
      await q(`UPDATE "PatientImportRow" r SET status = 'FOLDED', "leadRow" = g.label
        FROM import_group g JOIN import_groups gs ON gs.label = g.label AND gs.agree
        WHERE r."importId" = $1::uuid AND r."rowNumber" = g.row AND g.row <> g.label`);
      const first = (c: string) =>
        `(array_agg(r.${c} ORDER BY r."rowNumber") FILTER (WHERE r.${c} IS NOT NULL))[1] AS ${c}`;
      const card = (c: string) =>
        `(array_agg(r.${c} ORDER BY r."bhytTo" DESC NULLS LAST, r."rowNumber" DESC) FILTER (WHERE r."bhytCard" IS NOT NULL))[1] AS ${c}`;
      await q(`UPDATE "PatientImportRow" l SET "hospitalCode" = f."hospitalCode", "personalId" = f."personalId", cmnd = f.cmnd, "bhxhNumber" = f."bhxhNumber",
          sex = f.sex, phone = f.phone, address = f.address, "bhytCard" = f."bhytCard", "bhytFrom" = f."bhytFrom", "bhytTo" = f."bhytTo"
        FROM (SELECT g.label, ${['"hospitalCode"', '"personalId"', 'cmnd', '"bhxhNumber"', 'sex', 'phone', 'address'].map(first).join(', ')},
                ${['"bhytCard"', '"bhytFrom"', '"bhytTo"'].map(card).join(', ')}
              FROM import_group g JOIN import_groups gs ON gs.label = g.label AND gs.agree
              JOIN "PatientImportRow" r ON r."importId" = $1::uuid AND r."rowNumber" = g.row GROUP BY g.label) f
        WHERE l."importId" = $1::uuid AND l."rowNumber" = f.label`);
      // Two rows (sharing no number) that point at the same existing record: the HIS has the person twice. The
      // first is applied; the others are conflicts.
      const anyone = (await q(`SELECT EXISTS (SELECT 1 FROM "PatientIdentifier") AS e`, [])).rows[0]!.e as boolean; // none on a first import
      const twice = !anyone
        ? { rows: [] }
        : await q(
            `WITH hits AS (
          SELECT DISTINCT COALESCE(g.label, k.row) AS lead, i."patientId"
          FROM import_keys k LEFT JOIN import_group g ON g.row = k.row
          JOIN "PatientIdentifier" i ON ${SAME_IDENTIFIER('i', 'k', '$2')}),
        single AS (SELECT lead, min("patientId"::text)::uuid AS "patientId" FROM hits GROUP BY lead HAVING count(*) = 1),
        ranked AS (SELECT s.lead, s."patientId", min(s.lead) OVER (PARTITION BY s."patientId") AS first FROM single s)
        UPDATE "PatientImportRow" r SET status = 'CONFLICT' FROM ranked
        WHERE r."importId" = $1::uuid AND r."rowNumber" = ranked.lead AND ranked.lead <> ranked.first AND r.status = 'VALID'
        RETURNING r."rowNumber" AS row, ranked.first, ranked."patientId"::text AS "patientId"`,
            [job.id, this.options.facilityId],
          );
      await this.insertIssues(
        twice.rows.map((c: { row: number; first: number; patientId: string }) => ({
          rowNumber: c.row,
          kind: 'CONFLICT',
          column: null,
          message: `Dòng này và dòng ${c.first} (khác số giấy tờ) cùng trỏ tới một hồ sơ đã có: HIS có thể đang có hai mã cho một người.`,
          detail: { rows: [c.first], patientIds: [c.patientId] },
        })),
      );
      // What the file says about itself is counted now; each batch adds what it decided (with its cursor).
      const { rows } = await q(
        `SELECT status, count(*)::int AS n FROM "PatientImportRow" WHERE "importId" = $1::uuid GROUP BY status`,
      );
      const by = (status: string) => (rows as { status: string; n: number }[]).find((r) => r.status === status)?.n ?? 0;
      job.counts = importCounts({
        read: (rows as { n: number }[]).reduce((n, r) => n + r.n, 0),
        duplicates: by('DUPLICATE'),
        folded: by('FOLDED'),
        conflicts: by('CONFLICT'),
        rejected: by('REJECTED'),
      });
      await q(
        `UPDATE "PatientImport" SET status = 'APPLYING', progress = 50, counts = $2::jsonb, "updatedAt" = now() WHERE id = $1::uuid`,
        [job.id, JSON.stringify(job.counts)],
      );
    });
    job.status = 'APPLYING';
    this.progress(50);
    await this.checkpoint();
  }

  // ---- 3. applying, batch by batch ----

  private async apply() {
    const { job } = this;
    const span = Math.max(1, (job.lastRow ?? job.headerRow) - job.headerRow);
    // autovacuum is off: while a large import grows the tables, fresh statistics keep each batch's look-ups on the
    // indexes (a plan made for an empty table scans it whole, batch after batch). Geometric: a few ANALYZE in all.
    let analyzedAt = -1;
    for (;;) {
      const applied = job.appliedTo - job.headerRow;
      if (!job.dryRun && applied - analyzedAt >= Math.max(50_000, analyzedAt)) {
        await this.db.query('ANALYZE "Patient", "PatientIdentifier", "Coverage"');
        analyzedAt = applied;
      }
      const upTo = await this.transaction(() => this.applyBatch());
      if (upTo === null) break;
      job.appliedTo = upTo;
      job.counts = this.pendingCounts;
      this.progress(50 + ((upTo - job.headerRow) / span) * 49);
      await this.checkpoint();
    }
  }

  /** One batch in the caller's transaction; returns the cursor reached, or null when nothing is left. */
  private async applyBatch(): Promise<number | null> {
    const { job } = this;
    const facility = this.options.facilityId;
    const q = (text: string, values: unknown[] = []) => this.db.query(text, values);
    // A range of row numbers (not "the next N rows"): the primary key reads exactly it, whatever the table's size.
    if (job.appliedTo >= (job.lastRow ?? 0)) return null;
    const upTo = Math.min(job.appliedTo + this.batchSize, job.lastRow!);
    await q(
      `CREATE TEMP TABLE import_batch ON COMMIT DROP AS
      SELECT * FROM "PatientImportRow" WHERE "importId" = $1::uuid AND "rowNumber" > $2 AND "rowNumber" <= $3 AND status = 'VALID'`,
      [job.id, job.appliedTo, upTo],
    );
    await q(`CREATE TEMP TABLE import_bkeys ON COMMIT DROP AS
      SELECT b."rowNumber" AS row, k.system, k.value FROM import_batch b CROSS JOIN LATERAL ${KEYS('b')} WHERE k.value IS NOT NULL`);
    // Temporary tables have no statistics until analyzed: without them the planner guesses, and guesses badly.
    await q(`CREATE INDEX ON import_bkeys (row)`);
    await q(`ANALYZE import_batch, import_bkeys`);
    // Every record the row's numbers lead to (a merged record leads to its survivor).
    await q(
      `CREATE TEMP TABLE import_match ON COMMIT DROP AS
      SELECT k.row, array_agg(DISTINCT COALESCE(s.id, p.id)) AS patients,
        CASE WHEN count(DISTINCT COALESCE(s.id, p.id)) = 1 THEN min(COALESCE(s.id, p.id)::text)::uuid END AS "patientId"
      FROM import_bkeys k JOIN "PatientIdentifier" i ON ${SAME_IDENTIFIER('i', 'k', '$1')}
      JOIN "Patient" p ON p.id = i."patientId" LEFT JOIN "Patient" s ON s.id = p."mergedIntoId"
      GROUP BY k.row`,
      [facility],
    );
    await q(`ANALYZE import_match`);
    // What to do with each row. A record matched through one number must be the same person (name, birth date,
    // sex) and must not hold a different personal ID, BHXH number or hospital code: else it is a conflict.
    await q(
      `CREATE TEMP TABLE import_decision ON COMMIT DROP AS
      SELECT b."rowNumber" AS row, m.patients, CASE
          WHEN m.patients IS NULL THEN 'CREATED'
          WHEN cardinality(m.patients) > 1 THEN 'CONFLICT:MANY'
          WHEN p."normalizedName" <> b."normalizedName" OR (p.sex <> b.sex)
            OR NOT (p."birthDate" = b."birthDate" OR ((length(p."birthDate") = 4 OR length(b."birthDate") = 4) AND left(p."birthDate", 4) = left(b."birthDate", 4)))
            THEN 'CONFLICT:PERSON'
          WHEN EXISTS (SELECT 1 FROM "PatientIdentifier" x WHERE x."patientId" = p.id AND x."retiredAt" IS NULL AND (
              (x.system = 'PERSONAL_ID' AND x.value <> b."personalId") OR (x.system = 'BHXH_NUMBER' AND x.value <> b."bhxhNumber")
              OR (x.system = 'HOSPITAL_CODE' AND x."assigningFacilityId" = $1::uuid AND x.value <> b."hospitalCode")))
            THEN 'CONFLICT:NUMBER'
          WHEN EXISTS (SELECT 1 FROM import_bkeys k WHERE k.row = b."rowNumber"
                AND NOT EXISTS (SELECT 1 FROM "PatientIdentifier" x WHERE x."patientId" = p.id AND ${SAME_IDENTIFIER('x', 'k', '$1')}))
            OR (p.sex IS NULL AND b.sex IS NOT NULL) OR (p.phone IS NULL AND b.phone IS NOT NULL) OR (p.address IS NULL AND b.address IS NOT NULL)
            OR (length(p."birthDate") = 4 AND length(b."birthDate") = 10)
            OR (b."bhytCard" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Coverage" c WHERE c."patientId" = p.id AND c."cardCode" = b."bhytCard"
                  AND (b."bhytFrom" IS NULL OR c."validFrom" IS NOT NULL) AND (b."bhytTo" IS NULL OR c."validTo" IS NOT NULL)))
            THEN 'ENRICHED'
          ELSE 'UNCHANGED' END AS outcome,
        COALESCE(p.id, CASE WHEN m.patients IS NULL THEN gen_random_uuid() END) AS "patientId"
      FROM import_batch b LEFT JOIN import_match m ON m.row = b."rowNumber"
      LEFT JOIN "Patient" p ON p.id = m."patientId"`,
      [facility],
    );
    await q(`ANALYZE import_decision`);
    if (!job.dryRun) await this.write();
    const { rows: decided } = await q(
      `SELECT split_part(outcome, ':', 1) AS outcome, count(*)::int AS n FROM import_decision GROUP BY 1`,
    );
    const counts = { ...job.counts! };
    for (const { outcome, n } of decided as {
      outcome: 'CREATED' | 'ENRICHED' | 'UNCHANGED' | 'CONFLICT';
      n: number;
    }[]) {
      counts[
        ({ CREATED: 'created', ENRICHED: 'enriched', UNCHANGED: 'identical', CONFLICT: 'conflicts' } as const)[outcome]
      ] += n;
    }
    await q(
      `UPDATE "PatientImportRow" r SET status = 'CONFLICT'
      FROM import_decision d WHERE r."importId" = $1::uuid AND r."rowNumber" = d.row AND d.outcome LIKE 'CONFLICT%'`,
      [job.id],
    );
    await q(
      `INSERT INTO "PatientImportIssue" ("importId", "rowNumber", kind, message, detail)
      SELECT $1::uuid, d.row, 'CONFLICT', CASE d.outcome
          WHEN 'CONFLICT:MANY' THEN 'Các số giấy tờ trên dòng thuộc về ' || cardinality(d.patients) || ' hồ sơ khác nhau đã có: cần kiểm tra và gộp hồ sơ (không gộp tự động).'
          WHEN 'CONFLICT:PERSON' THEN 'Số giấy tờ trên dòng đã thuộc một hồ sơ khác họ tên, ngày sinh hoặc giới tính.'
          ELSE 'Hồ sơ khớp với dòng đã có số CCCD, mã số BHXH hoặc mã BN khác với dòng.' END,
        jsonb_build_object('patientIds', to_jsonb(d.patients))
      FROM import_decision d WHERE d.outcome LIKE 'CONFLICT%' ORDER BY d.row`,
      [job.id],
    );
    await q(
      `UPDATE "PatientImport" SET "appliedTo" = $2, progress = $3, counts = $4::jsonb, "updatedAt" = now() WHERE id = $1::uuid`,
      [job.id, upTo, this.job.progress, JSON.stringify(counts)],
    );
    this.pendingCounts = counts; // the job's counts once this batch's transaction commits
    return upTo;
  }

  /** The batch's decisions, written: new records, identifiers, blank fields filled, BHYT cards, audit rows. */
  private async write() {
    const facility = this.options.facilityId;
    const q = (text: string, values: unknown[] = []) => this.db.query(text, values);
    await q(`INSERT INTO "Patient" (id, "fullName", "normalizedName", "birthDate", "birthYear", sex, address, phone, "updatedAt")
      SELECT d."patientId", b."fullName", b."normalizedName", b."birthDate", left(b."birthDate", 4)::smallint, b.sex, b.address, b.phone, now()
      FROM import_decision d JOIN import_batch b ON b."rowNumber" = d.row WHERE d.outcome = 'CREATED' ORDER BY d.row`);
    // No ON CONFLICT: a number a desk took a moment ago aborts the batch, which is then decided again (it matches).
    await q(
      `INSERT INTO "PatientIdentifier" ("patientId", system, value, "assigningFacilityId")
      SELECT d."patientId", k.system::"IdentifierSystem", k.value, CASE WHEN k.system = 'HOSPITAL_CODE' THEN $1::uuid END
      FROM import_decision d JOIN import_bkeys k ON k.row = d.row
      WHERE d.outcome = 'CREATED' OR (d.outcome = 'ENRICHED'
        AND NOT EXISTS (SELECT 1 FROM "PatientIdentifier" x WHERE x."patientId" = d."patientId" AND ${SAME_IDENTIFIER('x', 'k', '$1')}))`,
      [facility],
    );
    await q(`UPDATE "Patient" p SET sex = COALESCE(p.sex, b.sex), phone = COALESCE(p.phone, b.phone), address = COALESCE(p.address, b.address),
        "birthDate" = CASE WHEN length(p."birthDate") = 4 AND length(b."birthDate") = 10 THEN b."birthDate" ELSE p."birthDate" END, "updatedAt" = now()
      FROM import_decision d JOIN import_batch b ON b."rowNumber" = d.row
      WHERE d.outcome = 'ENRICHED' AND p.id = d."patientId" AND ((p.sex IS NULL AND b.sex IS NOT NULL) OR (p.phone IS NULL AND b.phone IS NOT NULL)
        OR (p.address IS NULL AND b.address IS NOT NULL) OR (length(p."birthDate") = 4 AND length(b."birthDate") = 10))`);
    await q(`UPDATE "Coverage" c SET "validFrom" = COALESCE(c."validFrom", b."bhytFrom"), "validTo" = COALESCE(c."validTo", b."bhytTo"), "updatedAt" = now()
      FROM import_decision d JOIN import_batch b ON b."rowNumber" = d.row
      WHERE d.outcome = 'ENRICHED' AND c."patientId" = d."patientId" AND c."cardCode" = b."bhytCard"
        AND ((c."validFrom" IS NULL AND b."bhytFrom" IS NOT NULL) OR (c."validTo" IS NULL AND b."bhytTo" IS NOT NULL))`);
    await q(`INSERT INTO "Coverage" ("patientId", "cardCode", "bhxhNumber", "benefitLevel", "validFrom", "validTo", "updatedAt")
      SELECT d."patientId", b."bhytCard", b."bhxhNumber", substr(b."bhytCard", 3, 1)::smallint, b."bhytFrom", b."bhytTo", now()
      FROM import_decision d JOIN import_batch b ON b."rowNumber" = d.row
      WHERE b."bhytCard" IS NOT NULL AND (d.outcome = 'CREATED' OR (d.outcome = 'ENRICHED'
        AND NOT EXISTS (SELECT 1 FROM "Coverage" c WHERE c."patientId" = d."patientId" AND c."cardCode" = b."bhytCard")))`);
    // The record's trail says where it came from: this import, this row (ids and numbers only, no personal data).
    const actor = this.options.actor;
    const principal = 'kind' in actor ? actor : null;
    await q(
      `INSERT INTO "AuditEvent" (action, outcome, "actorType", "actorId", "actorName", "facilityId", "entityType", "entityId", "patientId", details)
      SELECT CASE d.outcome WHEN 'CREATED' THEN 'PATIENT_IMPORTED' ELSE 'PATIENT_IMPORT_ENRICHED' END, 'SUCCESS', $1, $2::uuid, $3, $4::uuid,
        'PatientImport', $5, d."patientId", jsonb_build_object('row', d.row)
      FROM import_decision d WHERE d.outcome IN ('CREATED', 'ENRICHED')`,
      [principal?.kind ?? 'USER', principal?.id ?? null, actor.name, facility, this.job.id],
    );
  }

  // ---- 4. done ----

  private async finish() {
    const { job } = this;
    const counts = await this.transaction(async () => {
      const {
        rows: [notes],
      } = await this.db.query<{ n: number }>(
        `SELECT count(DISTINCT "rowNumber")::int AS n FROM "PatientImportIssue" WHERE "importId" = $1::uuid AND kind = 'NOTE'`,
        [job.id],
      );
      const counts: ImportCounts = { ...job.counts!, blank: job.blankRows, notes: notes!.n };
      // Staged copies of personal data are kept only as long as needed: rows in conflict stay for the conflicts file.
      await this.db.query(`DELETE FROM "PatientImportRow" WHERE "importId" = $1::uuid AND status <> 'CONFLICT'`, [
        job.id,
      ]);
      await this.db.query(
        `UPDATE "PatientImport" SET status = 'DONE', counts = $2::jsonb, progress = 100, "finishedAt" = now(), "updatedAt" = now() WHERE id = $1::uuid`,
        [job.id, JSON.stringify(counts)],
      );
      const actor = this.options.actor;
      await audit(this.db, {
        action: job.dryRun ? 'PATIENT_IMPORT_DRY_RUN' : 'PATIENTS_IMPORTED',
        ...('kind' in actor ? { actor } : { actorName: actor.name }),
        facilityId: this.options.facilityId,
        entityType: 'PatientImport',
        entityId: job.id,
        details: { ...counts, format: job.format, dryRun: job.dryRun },
      });
      return counts;
    });
    job.status = 'DONE';
    this.progress(100);
    // autovacuum is off on this PostgreSQL: after a bulk load the planner needs fresh statistics.
    if (!job.dryRun && counts.created + counts.enriched > 0) {
      await this.db.query('ANALYZE "Patient", "PatientIdentifier", "Coverage", "PatientNameWord", "AuditEvent"');
    }
  }
}

/** Rows in the file, guessed from the bytes read so far (for the progress bar before the end is known). */
function estimateRows(file: InspectedFile, upTo: number): number {
  return Math.max(upTo, Math.round(file.bytes / 100));
}
