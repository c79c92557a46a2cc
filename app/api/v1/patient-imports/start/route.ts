import { text, z } from '@/lib/validation';
import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getPgPool } from '@/lib/db/pg';
import { IMPORT_FIELDS } from '@/lib/patients/import/columns';
import { ImportFileError } from '@/lib/patients/import/read';
import { columnMap, startImport } from '@/lib/patients/import/uploads';

const body = z
  .object({
    upload: z.string().regex(/^[0-9a-f]{64}$/, 'Mã tệp tải lên không hợp lệ.'),
    fileName: text().min(1).max(200),
    dryRun: z.boolean(),
    /** header → field (null: ignore the column), from the preview; absent: the columns as detected */
    map: z.record(z.string().max(100), z.enum(IMPORT_FIELDS).nullable()).optional(),
  })
  .strict();

/** Starts (or resumes) importing an upload; the import runs in the background, the page polls …/patient-imports/:id. */
export const POST = apiRoute({ area: 'admin', body }, async ({ principal, body }) => {
  try {
    const started = await startImport(getPgPool(), principal, {
      ...body,
      map: body.map ? columnMap(body.map) : undefined,
    });
    return Response.json(started, { status: 202 });
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    return jsonError(error.code === 'ALREADY_RUNNING' ? 409 : 400, error.code, error.message);
  }
});
