import { z } from '@/lib/validation';
import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { auditedRecord, effectivePurpose } from '@/lib/patients/lookup';
import { correctDemographics } from '@/lib/patients/corrections';
import type { Purpose } from '@/lib/codes';
import { purposeSchema } from '../_query';
import { demographicsCorrectionSchema, patientIdSchema } from '@/lib/patients/schemas';

/** One patient's record: identifiers with history, coverage, this facility's encounters with hand-off state, audit trail. */
const recordQuery = z.object({ purpose: purposeSchema.optional() });

export const GET = apiRoute<undefined, { id: string }, 'search', typeof recordQuery>(
  { area: 'search', query: recordQuery },
  async ({ req, principal, params, query }) => {
    if (!patientIdSchema.safeParse(params.id).success)
      return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    const purpose = effectivePurpose(principal, query.purpose as Purpose | undefined);
    if (!purpose) return jsonError(400, 'PURPOSE_REQUIRED', 'Hãy chọn mục đích tra cứu trước khi xem hồ sơ.');
    const record = await auditedRecord(getDb(), principal, purpose, params.id, clientIp(req.headers));
    if (!record) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    return Response.json(record, { headers: { 'cache-control': 'no-store' } });
  },
);

const correction = demographicsCorrectionSchema;

/** Corrects demographics (audited with the reason). */
export const PATCH = apiRoute<typeof correction, { id: string }>(
  { area: 'search', body: correction },
  async ({ principal, body, params }) => {
    if (!patientIdSchema.safeParse(params.id).success)
      return jsonError(404, 'NOT_FOUND', 'Không tìm thấy hồ sơ người bệnh.');
    const p = await correctDemographics(getDb(), principal, params.id, body);
    return Response.json({ id: p.id, updatedAt: p.updatedAt });
  },
);
