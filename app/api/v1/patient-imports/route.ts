import { rm } from 'node:fs/promises';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getPgPool } from '@/lib/db/pg';
import { audit } from '@/lib/audit';
import { ImportFileError } from '@/lib/patients/import/read';
import { previewUpload, recentImports, saveUpload, uploadPath } from '@/lib/patients/import/uploads';

/** The facility's last imports (the admin page lists them, with a resume button for an interrupted one). */
export const GET = apiRoute({ area: 'admin' }, async ({ principal }) =>
  Response.json({ imports: await recentImports(getPgPool(), principal.facilityId) }),
);

/**
 * Upload of a HIS export: the body is the file itself (Content-Type: application/octet-stream), `?name=` its name.
 * Streamed to disk under IMPORT_MAX_BYTES, checked by its content (CSV or XLSX), answered with the columns found
 * and the first rows (identifiers masked). Nothing is imported yet.
 */
export const POST = apiRoute({ area: 'admin', rawBody: 'application/octet-stream' }, async ({ req, principal }) => {
  const name = (new URL(req.url).searchParams.get('name') ?? 'tep-nhap')
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f/\\]/g, '_')
    .slice(0, 200);
  if (!req.body) return jsonError(400, 'EMPTY_FILE', 'Tệp rỗng.');
  let saved: { sha256: string; bytes: number } | null = null;
  try {
    saved = await saveUpload(principal.facilityId, req.body);
    const preview = await previewUpload(principal.facilityId, saved.sha256, name);
    await audit(getPgPool(), {
      action: 'PATIENT_IMPORT_UPLOADED',
      actor: principal,
      entityType: 'PatientImportUpload',
      entityId: saved.sha256.slice(0, 16),
      details: { bytes: saved.bytes, format: preview.format },
    });
    return Response.json(preview, { status: 201 });
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    if (saved) await rm(uploadPath(principal.facilityId, saved.sha256), { force: true });
    return jsonError(error.code === 'TOO_LARGE' ? 413 : 400, error.code, error.message);
  }
});
