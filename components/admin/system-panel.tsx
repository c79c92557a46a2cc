import { getPgPool } from '@/lib/db/pg';
import { listProcesses } from '@/lib/ops/heartbeat';
import { breakerPolicy } from '@/lib/handoff/breaker';
import { formatDateTime } from '@/lib/time/local-day';
import type { Messages } from '@/lib/i18n/messages';

type T = Messages['ops'];

/** A backup older than this is a warning (nightly backups, with a couple of hours' slack). */
const BACKUP_STALE_MS = 26 * 3_600_000;

type BackupRow = { file: string; finishedAt: Date; sizeBytes: number | null; error: string | null };
async function lastBackups(
  pool: ReturnType<typeof getPgPool>,
): Promise<{ ok: BackupRow | null; failed: BackupRow | null }> {
  const { rows } = await pool.query<BackupRow & { ok: boolean }>(`
    (SELECT true AS "ok", "file", "finishedAt", "sizeBytes"::float8 AS "sizeBytes", "error" FROM "DatabaseBackup" WHERE "error" IS NULL ORDER BY "finishedAt" DESC LIMIT 1)
    UNION ALL
    (SELECT false, "file", "finishedAt", "sizeBytes"::float8, "error" FROM "DatabaseBackup" WHERE "error" IS NOT NULL ORDER BY "finishedAt" DESC LIMIT 1)`);
  return { ok: rows.find((r) => r.ok) ?? null, failed: rows.find((r) => !r.ok) ?? null };
}

/**
 * Admin page: what runs and whether it is healthy, from the processes' heartbeats (lib/ops/heartbeat.ts) and the
 * hand-off targets' circuits (lib/handoff/breaker.ts): the web servers and workers with their automatic restarts,
 * and which HIS target is down since when; the last database backup (lib/ops/backup.ts), with a warning when it
 * is older than 26 hours or the last attempt failed.
 */
export async function SystemPanel({ t, facilityId }: { t: T; facilityId: string }) {
  const pool = getPgPool();
  const [processes, targets] = await Promise.all([
    listProcesses(pool),
    pool
      .query<{
        key: string;
        target: string;
        facilityCode: string | null;
        facilityName: string | null;
        state: string;
        failures: number;
        openedAt: Date | null;
      }>(
        // One circuit per destination: a facility's own HIS (HL7 v2), or one every facility shares.
        `SELECT s."key", s."target"::text AS "target", f."code" AS "facilityCode", f."name" AS "facilityName",
                s."state", s."failures", s."openedAt"
         FROM "HandoffTargetState" s LEFT JOIN "Facility" f ON f."id" = s."facilityId"
         WHERE s."facilityId" IS NULL OR s."facilityId" = $1::uuid -- this facility's HIS, and the shared ones
         ORDER BY s."target", f."code" NULLS FIRST`,
        [facilityId],
      )
      .then((r) => r.rows),
  ]);
  const probeSeconds = Math.round(breakerPolicy().probeMs / 1000);
  const backup = await lastBackups(pool);
  const workersAlive = processes.some((p) => p.kind === 'WORKER' && p.alive);
  return (
    <section aria-labelledby="ops-title" className="space-y-3" data-testid="system-panel">
      <h2 id="ops-title" className="text-lg font-semibold">
        {t.title}
      </h2>
      {!workersAlive && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-red-900">
          {t.noWorker}
        </p>
      )}
      <h3 className="font-medium">{t.processes}</h3>
      <table className="w-full rounded-lg bg-white text-left text-sm shadow-sm">
        <thead className="bg-slate-100">
          <tr>
            <th className="p-2">{t.colKind}</th>
            <th className="p-2">{t.colHost}</th>
            <th className="p-2">{t.colPid}</th>
            <th className="p-2">{t.colStarted}</th>
            <th className="p-2">{t.colSeen}</th>
            <th className="p-2 text-right">{t.colRestarts}</th>
            <th className="p-2">{t.colLastExit}</th>
            <th className="p-2">{t.colState}</th>
          </tr>
        </thead>
        <tbody>
          {processes.map((p) => (
            <tr
              key={p.id}
              className={`border-t ${p.alive ? '' : 'text-slate-500'}`}
              data-testid="process-row"
              data-kind={p.kind}
              data-alive={p.alive}
            >
              <td className="p-2">{p.kind === 'WEB' ? t.kindWeb : t.kindWorker}</td>
              <td className="p-2 font-mono">{p.host}</td>
              <td className="p-2 font-mono">{p.pid}</td>
              <td className="p-2 tabular-nums">{formatDateTime(p.startedAt)}</td>
              <td className="p-2 tabular-nums">{formatDateTime(p.lastSeenAt)}</td>
              <td className={`p-2 text-right tabular-nums ${p.restarts > 0 ? 'font-semibold text-amber-800' : ''}`}>
                {p.restarts}
              </td>
              <td className="p-2">{p.lastExit ?? '—'}</td>
              <td className="p-2">
                <span
                  className={`rounded-full border px-2 py-0.5 ${p.alive ? 'border-emerald-300 bg-emerald-50 text-emerald-900' : 'border-slate-300 bg-slate-50'}`}
                >
                  {p.alive ? t.running : t.stopped}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="font-medium">{t.targets}</h3>
      {targets.length === 0 ? (
        <p className="text-sm text-slate-600">{t.noTargets}</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {targets.map((s) => (
            <li key={s.key} data-testid="target-state" data-state={s.state} data-facility={s.facilityCode ?? undefined}>
              <span className="font-mono">{s.target}</span>
              {s.facilityCode && (
                <>
                  {' '}
                  (<span className="font-mono">{s.facilityCode}</span> <span lang="vi">{s.facilityName}</span>)
                </>
              )}
              :{' '}
              {s.state === 'OPEN' && s.openedAt ? (
                <span className="text-amber-900">
                  {t.targetOpen.replace('{since}', formatDateTime(s.openedAt)).replace('{probe}', String(probeSeconds))}
                </span>
              ) : (
                <span className="text-emerald-900">{t.targetOk}</span>
              )}
              {s.failures > 0 && (
                <span className="text-slate-600"> · {t.targetFailures.replace('{n}', String(s.failures))}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3 className="font-medium">{t.backups}</h3>
      <div className="space-y-1 text-sm" data-testid="backup-status">
        {backup.ok ? (
          <p>
            {t.backupLast
              .replace('{when}', formatDateTime(backup.ok.finishedAt))
              .replace('{file}', backup.ok.file)
              .replace('{size}', `${((backup.ok.sizeBytes ?? 0) / 1048576).toFixed(1)} MB`)}
          </p>
        ) : (
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-amber-900">
            {t.backupNone}
          </p>
        )}
        {/* eslint-disable-next-line react-hooks/purity -- a server component: rendered once per request */}
        {backup.ok && Date.now() - backup.ok.finishedAt.getTime() > BACKUP_STALE_MS && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-2 text-red-900">
            {t.backupOld}
          </p>
        )}
        {backup.failed && (!backup.ok || backup.failed.finishedAt > backup.ok.finishedAt) && (
          <p role="alert" className="text-red-900">
            {t.backupFailed
              .replace('{when}', formatDateTime(backup.failed.finishedAt))
              .replace('{error}', backup.failed.error ?? '')}
          </p>
        )}
      </div>
    </section>
  );
}
