import { apiRoute, jsonError } from '@/app/_lib/guard';
import { audit } from '@/lib/audit';
import { getDb } from '@/lib/db/client';
import { uuid } from '@/lib/validation';

const id = uuid('Mã lượt khám không hợp lệ.');

/**
 * `POST /api/v1/encounters/:id/slip-printed`: the desk (or kiosk) says the print dialog for the exam slip opened
 * (components/print/print-frame.ts). Only then is EXAM_SLIP_PRINTED recorded: viewing the slip page is not
 * printing it.
 */
export const POST = apiRoute<undefined, { id: string }>({ area: 'desk' }, async ({ principal, params }) => {
  const parsed = id.safeParse(params.id);
  if (!parsed.success) return jsonError(400, 'VALIDATION', parsed.error.issues[0]!.message);
  const db = getDb();
  const encounter = await db.encounter.findFirst({
    where: { id: parsed.data, facilityId: principal.facilityId },
    select: { id: true, patientId: true },
  });
  if (!encounter) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy lượt khám.');
  await audit(db, {
    action: 'EXAM_SLIP_PRINTED',
    actor: principal,
    patientId: encounter.patientId,
    entityType: 'Encounter',
    entityId: encounter.id,
  });
  return new Response(null, { status: 204 });
});
