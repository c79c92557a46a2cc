import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { correctDemographics } from '@/lib/patients/corrections';
import { z } from '@/lib/validation';
import { changeError } from '../../_query';

const body = z.object({
  change: z.object({
    fullName: z.string().trim().min(2, 'Họ tên quá ngắn.').max(100).optional(),
    dateOfBirth: z.string().regex(/^\d{4}(-\d{2}-\d{2})?$/, 'Ngày sinh phải có dạng YYYY-MM-DD hoặc YYYY.').optional(),
    sex: z.enum(['M', 'F']).optional(),
    address: z.string().trim().max(300).optional(),
  }).strict().refine((c) => Object.keys(c).length > 0, { message: 'Chưa chọn trường nào để cập nhật.' }),
  reason: z.string().trim().min(3, 'Cần ghi lý do thay đổi.').max(200),
}).strict();

/** `POST /api/v1/patients/:id/demographics` — the desk's "cập nhật từ thẻ": the card's values replace the record's. */
export const POST = apiRoute<typeof body, { id: string }>({ area: 'desk', body }, async ({ principal, body, params }) => {
  if (!z.string().uuid().safeParse(params.id).success) return jsonError(404, 'PATIENT_NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
  const { dateOfBirth, ...rest } = body.change;
  try {
    const p = await correctDemographics(getDb(), principal, params.id, { ...rest, ...(dateOfBirth ? { birthDate: dateOfBirth } : {}), reason: body.reason });
    return Response.json({ patient: { id: p.id, fullName: p.fullName, birthDate: p.birthDate, sex: p.sex, address: p.address, phone: p.phone } });
  } catch (error) {
    return changeError(error);
  }
});
