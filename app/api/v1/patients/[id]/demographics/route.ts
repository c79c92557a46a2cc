import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { demographicsChangeSchema, updateDemographics } from '@/lib/patients/demographics';
import { z } from '@/lib/validation';

const body = z.object({
  change: demographicsChangeSchema,
  reason: z.string().trim().min(3, 'Cần ghi lý do thay đổi.').max(200),
}).strict();

/** `POST /api/v1/patients/:id/demographics` — e.g. "cập nhật từ thẻ" at the desk. Desk staff and administrators. */
export const POST = apiRoute<typeof body, { id: string }>({ area: 'desk', body }, async ({ principal, body, params }) => {
  if (!z.string().uuid().safeParse(params.id).success) return jsonError(400, 'VALIDATION', 'Mã hồ sơ không hợp lệ.');
  const db = getDb();
  const exists = await db.patient.findUnique({ where: { id: params.id }, select: { id: true, mergedIntoId: true } });
  if (!exists || exists.mergedIntoId) return jsonError(404, 'PATIENT_NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
  const patient = await db.$transaction((tx) => updateDemographics(tx, { patientId: params.id, change: body.change, reason: body.reason, actor: principal }));
  return Response.json({ patient });
});
