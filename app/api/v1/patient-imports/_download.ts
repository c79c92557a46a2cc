import { PassThrough, Readable } from 'node:stream';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getPgPool } from '@/lib/db/pg';
import { audit } from '@/lib/audit';
import { log } from '@/lib/log';
import { XLSX_TYPE } from '@/app/api/v1/reports/_xlsx';
import { getImportJob } from '@/lib/patients/import/run';
import { writeConflicts, writeReport } from '@/lib/patients/import/report';
import { uuid } from '@/lib/validation';

/** GET …/patient-imports/:id/report or …/conflicts: the workbook, streamed as it is written (audited). */
export function downloadRoute(kind: 'report' | 'conflicts') {
  return apiRoute<undefined, { id: string }>({ area: 'admin' }, async ({ principal, params }) => {
    const pool = getPgPool();
    const job = uuid().safeParse(params.id).success ? await getImportJob(pool, principal.facilityId, params.id) : null;
    if (!job) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy lần nhập này.');
    await audit(pool, {
      action: 'PATIENT_IMPORT_REPORT_DOWNLOADED',
      actor: principal,
      entityType: 'PatientImport',
      entityId: job.id,
      details: { kind },
    });
    const out = new PassThrough();
    (kind === 'report' ? writeReport(pool, job, out) : writeConflicts(pool, job, out)).catch((error: Error) => {
      log.error({ jobId: job.id, err: error.message.slice(0, 200) }, 'import report failed');
      out.destroy(error);
    });
    const name = `nhap-benh-nhan-${job.id.slice(0, 8)}-${kind === 'report' ? 'bao-cao' : 'xung-dot'}.xlsx`;
    return new Response(Readable.toWeb(out) as ReadableStream, {
      headers: {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      },
    });
  });
}
