import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getPgPool } from '@/lib/db/pg';
import { importJob } from '@/lib/patients/import/uploads';
import { uuid } from '@/lib/validation';

/** One import of the caller's facility: status, progress, counts (polled by the admin page while it runs). */
export const GET = apiRoute<undefined, { id: string }>({ area: 'admin' }, async ({ principal, params }) => {
  const job = uuid().safeParse(params.id).success
    ? await importJob(getPgPool(), principal.facilityId, params.id)
    : null;
  return job ? Response.json(job) : jsonError(404, 'NOT_FOUND', 'Không tìm thấy lần nhập này.');
});
