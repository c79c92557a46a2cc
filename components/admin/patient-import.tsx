'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Messages } from '@/lib/i18n/messages';
import { formatDateTime } from '@/lib/time/local-day';
import { FIELD_LABELS, IMPORT_FIELDS, type ImportField } from '@/lib/patients/import/columns';
import type { ImportJobResponse, UploadPreview } from '@/lib/patients/import/uploads';
import { errorText } from '@/components/api-fetch';
import { importFileUrl, importJob, listImports, startImport, uploadImportFile } from './admin.resource';

type T = Messages['patientImport'];
type Job = ImportJobResponse;
const COUNT_KEYS = [
  'read',
  'created',
  'enriched',
  'identical',
  'duplicates',
  'folded',
  'conflicts',
  'rejected',
  'notes',
  'blank',
] as const;

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

/**
 * Admin page: the HIS's patient export imported in three steps — upload (with its progress), a preview of the
 * columns found (each can be re-assigned or ignored) and of the first rows, then a dry run or the import with a
 * progress bar; the counts, the report and the conflicts file at the end. Interrupted imports can be resumed.
 */
export function PatientImportPanel({ t, maxMb }: { t: T; maxMb: number }) {
  const [preview, setPreview] = useState<UploadPreview | null>(null);
  const [fields, setFields] = useState<(ImportField | null)[]>([]);
  const [uploadPct, setUploadPct] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [history, setHistory] = useState<Job[]>([]);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const loadHistory = useCallback(async () => {
    const answer = await listImports().catch(() => null);
    if (answer) setHistory(answer.imports);
  }, []);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- loadHistory() sets state only once its fetch answers
  useEffect(() => void loadHistory(), [loadHistory]);

  // While a job runs, its progress every second.
  useEffect(() => {
    if (!job || job.status === 'DONE' || job.status === 'FAILED' || (!job.running && job.progress > 0 && job.resumable))
      return;
    const timer = setTimeout(async () => {
      const next = await importJob(job.id, { poll: true }).catch(() => null);
      if (next) setJob(next);
    }, 1000);
    return () => clearTimeout(timer);
  }, [job]);

  // A finished job joins the history, however it was seen finishing: a small file can be done by the first read.
  const finished = job && (job.status === 'DONE' || job.status === 'FAILED') ? `${job.id}:${job.status}` : null;
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- loadHistory() sets state only once its fetch answers
    if (finished) void loadHistory();
  }, [finished, loadHistory]);

  const choose = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setPreview(null);
    setJob(null);
    setUploadPct(0);
    try {
      const p = await uploadImportFile(file, setUploadPct);
      setPreview(p);
      setFields(p.columns.map((c) => c.field));
    } catch (e) {
      setError(errorText(e, t.uploadFailed));
    } finally {
      setUploadPct(null);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  const start = async (input: { upload: string; fileName: string; dryRun: boolean; withMap: boolean }) => {
    setBusy(true);
    setError(null);
    try {
      const map =
        input.withMap && preview
          ? Object.fromEntries(preview.columns.map((c, i) => [c.header, fields[i] ?? null]))
          : undefined;
      const started = await startImport({
        upload: input.upload,
        fileName: input.fileName,
        dryRun: input.dryRun,
        ...(map ? { map } : {}),
      }).catch((e: unknown) => e as Error);
      if (started instanceof Error) return setError(errorText(started, t.uploadFailed));
      const first = await importJob(started.jobId).catch(() => null);
      if (first) setJob(first);
    } finally {
      setBusy(false);
    }
  };

  const missing = preview ? (['fullName', 'birthDate'] as const).filter((f) => !fields.includes(f)) : [];
  const noIdentifier = preview
    ? !fields.some((f) => f && ['hospitalCode', 'personalId', 'cmnd', 'bhytCard', 'bhxhNumber'].includes(f))
    : false;
  const canRun =
    preview &&
    missing.length === 0 &&
    !noIdentifier &&
    !busy &&
    (!job || job.status === 'DONE' || job.status === 'FAILED');

  return (
    <section aria-labelledby="patient-import-title" className="space-y-3" data-testid="patient-import">
      <h2 id="patient-import-title" className="text-lg font-semibold">
        {t.title}
      </h2>
      <div className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
        <p className="text-sm text-slate-700">{fill(t.intro, { max: maxMb })}</p>
        <div className="flex flex-wrap items-center gap-3">
          <label className="cursor-pointer rounded-md bg-sky-700 px-4 py-2 text-sm font-semibold text-white focus-within:ring-2 focus-within:ring-sky-500 hover:bg-sky-800">
            {t.choose}
            <input
              ref={fileInput}
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              className="sr-only"
              onChange={(e) => void choose(e.target.files?.[0])}
              disabled={uploadPct !== null}
            />
          </label>
          {uploadPct !== null && (
            <span role="status" className="text-sm">
              {fill(t.uploading, { pct: uploadPct })}
            </span>
          )}
        </div>
        {error && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-sm text-red-900">
            {error}
          </p>
        )}

        {preview && (
          <div className="space-y-2">
            <p className="text-sm">
              {fill(t.detected, {
                file: preview.fileName,
                format: preview.encoding ? `${preview.format}, ${preview.encoding}` : preview.format,
                row: preview.headerRow,
              })}
            </p>
            <div className="overflow-x-auto">
              <table className="min-w-full text-left text-sm" data-testid="import-preview">
                <thead className="bg-slate-100">
                  <tr>
                    {preview.columns.map((c, i) => (
                      <th key={i} className="p-2 align-top font-medium">
                        <div className="whitespace-nowrap">{c.header}</div>
                        <select
                          aria-label={`${c.header}`}
                          value={fields[i] ?? ''}
                          className="mt-1 rounded border border-slate-300 bg-white px-1 py-0.5 text-xs font-normal"
                          onChange={(e) =>
                            setFields((f) =>
                              f.map((x, j) => (j === i ? ((e.target.value || null) as ImportField | null) : x)),
                            )
                          }
                        >
                          <option value="">{t.ignore}</option>
                          {IMPORT_FIELDS.map((f) => (
                            <option key={f} value={f}>
                              {FIELD_LABELS[f]}
                            </option>
                          ))}
                        </select>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.sample.map((row, r) => (
                    <tr key={r} className="border-t">
                      {row.map((cell, i) => (
                        <td
                          key={i}
                          title={cell}
                          className={`max-w-64 truncate whitespace-nowrap p-2 ${fields[i] ? '' : 'text-slate-400'}`}
                        >
                          {cell}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="text-xs text-slate-600">{fill(t.sample, { n: preview.sample.length })}</p>
            {(missing.length > 0 || noIdentifier) && (
              <p role="alert" className="text-sm text-red-800">
                {fill(t.missing, {
                  cols: [
                    ...missing.map((f) => FIELD_LABELS[f]),
                    ...(noIdentifier ? [`${FIELD_LABELS.hospitalCode} / ${FIELD_LABELS.personalId}`] : []),
                  ].join(', '),
                })}
              </p>
            )}
            <div className="flex flex-wrap gap-2">
              <button
                type="button"
                disabled={!canRun}
                onClick={() =>
                  void start({ upload: preview.upload, fileName: preview.fileName, dryRun: true, withMap: true })
                }
                className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60"
              >
                {t.dryRun}
              </button>
              <button
                type="button"
                disabled={!canRun}
                onClick={() =>
                  void start({ upload: preview.upload, fileName: preview.fileName, dryRun: false, withMap: true })
                }
                className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800 focus:outline-none focus:ring-2 focus:ring-sky-500 disabled:opacity-60"
              >
                {t.run}
              </button>
              {busy && (
                <span role="status" className="self-center text-sm">
                  {t.starting}
                </span>
              )}
            </div>
          </div>
        )}

        {job && (
          <JobProgress
            t={t}
            job={job}
            onResume={() =>
              void start({ upload: job.upload, fileName: job.fileName, dryRun: job.dryRun, withMap: false })
            }
          />
        )}
      </div>

      {history.length > 0 && (
        <div>
          <h3 className="mb-1 font-medium">{t.history}</h3>
          <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
            <thead className="bg-slate-100">
              <tr>
                <th className="p-2">{t.colFile}</th>
                <th className="p-2">{t.colWhen}</th>
                <th className="p-2">{t.colMode}</th>
                <th className="p-2">{t.colState}</th>
                <th className="p-2" />
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id} className="border-t">
                  <td className="p-2">{h.fileName}</td>
                  <td className="p-2 tabular-nums">{formatDateTime(new Date(h.createdAt))}</td>
                  <td className="p-2">{h.dryRun ? t.modeDry : t.modeReal}</td>
                  <td className="p-2">
                    {t.status[h.status] ?? h.status}
                    {h.status !== 'DONE' && h.status !== 'FAILED' ? ` (${h.progress} %)` : ''}
                  </td>
                  <td className="p-2 text-right">
                    {h.status === 'DONE' && (
                      <a className="text-sky-800 underline" href={importFileUrl(h.id, 'report')}>
                        {t.report}
                      </a>
                    )}
                    {h.resumable && (
                      <button type="button" className="text-sky-800 underline" onClick={() => setJob(h)}>
                        {t.resume}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function JobProgress({ t, job, onResume }: { t: T; job: Job; onResume: () => void }) {
  const done = job.status === 'DONE';
  const stalled = !done && job.status !== 'FAILED' && !job.running && job.resumable;
  return (
    <div className="space-y-2" data-testid="import-job" data-status={job.status}>
      <div className="flex items-center gap-3">
        <progress
          max={100}
          value={job.progress}
          className="h-3 w-full max-w-md"
          aria-label={t.status[job.status] ?? job.status}
        />
        <span role="status" className="text-sm tabular-nums">
          {job.progress} % — {t.status[job.status] ?? job.status}
        </span>
      </div>
      {job.status === 'FAILED' && (
        <p role="alert" className="text-sm text-red-800">
          {job.error}
        </p>
      )}
      {stalled && (
        <p className="text-sm text-amber-900">
          {t.interrupted}{' '}
          <button
            type="button"
            onClick={onResume}
            className="rounded-md border border-amber-400 px-3 py-1 font-semibold hover:bg-amber-50 focus:outline-none focus:ring-2 focus:ring-sky-500"
          >
            {t.resume}
          </button>
        </p>
      )}
      {done && job.counts && (
        <div className="space-y-2">
          <h3 className="font-medium">{job.dryRun ? t.resultDry : t.result}</h3>
          <table className="text-sm" data-testid="import-counts">
            <tbody>
              {COUNT_KEYS.map((k) => (
                <tr key={k} data-count={k}>
                  <td className="pr-6">{t.counts[k]}</td>
                  <td className="text-right font-semibold tabular-nums">{job.counts![k].toLocaleString('vi-VN')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="flex flex-wrap gap-4 text-sm">
            <a className="text-sky-800 underline" href={importFileUrl(job.id, 'report')}>
              {t.report}
            </a>
            {job.counts.conflicts > 0 && (
              <a className="text-sky-800 underline" href={importFileUrl(job.id, 'conflicts')}>
                {t.conflicts}
              </a>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
