import { z } from '@/lib/validation';
import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { auditedRecord, effectivePurpose } from '@/lib/patients/lookup';
import { correctDemographics } from '@/lib/patients/corrections';
import type { Purpose } from '@/lib/patients/purposes';
import { changeError, parseQuery, purposeSchema, reasonSchema, uuidSchema } from '../_query';

/** One patient's record: identifiers with history, coverage, encounters with hand-off state, audit trail. */
export const GET = apiRoute<undefined, { id: string }>({ area: 'search' }, async ({ req, principal, params }) => {
  const parsed = parseQuery(req, z.object({ purpose: purposeSchema.optional() }));
  if ('error' in parsed) return parsed.error;
  if (!uuidSchema.safeParse(params.id).success) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
  const purpose = effectivePurpose(principal, parsed.data.purpose as Purpose | undefined);
  if (!purpose) return jsonError(400, 'PURPOSE_REQUIRED', 'Hãy chọn mục đích tra cứu trước khi xem hồ sơ.');
  const record = await auditedRecord(getDb(), principal, purpose, params.id, clientIp(req.headers));
  if (!record) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
  return Response.json(record, { headers: { 'cache-control': 'no-store' } });
});

const correction = z.object({
  fullName: z.string().trim().min(2, 'Họ tên quá ngắn.').max(100, 'Họ tên quá dài.').optional(),
  birthDate: z.string().regex(/^\d{4}(-\d{2}-\d{2})?$/, 'Ngày sinh phải có dạng YYYY-MM-DD hoặc YYYY.').optional(),
  sex: z.enum(['M', 'F']).nullable().optional(),
  phone: z.string().regex(/^[+\d\s.-]{8,20}$/, 'Số điện thoại không hợp lệ.').nullable().optional(),
  address: z.string().trim().max(300, 'Địa chỉ quá dài.').nullable().optional(),
  reason: reasonSchema,
}).strict();

/** Corrects demographics (audited with the reason). */
export const PATCH = apiRoute<typeof correction, { id: string }>({ area: 'search', body: correction }, async ({ principal, body, params }) => {
  if (!uuidSchema.safeParse(params.id).success) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
  try {
    const p = await correctDemographics(getDb(), principal, params.id, body);
    return Response.json({ id: p.id, updatedAt: p.updatedAt });
  } catch (error) {
    return changeError(error);
  }
});
