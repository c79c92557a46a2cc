import { z } from '@/lib/validation';
import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { auditedSearch, effectivePurpose } from '@/lib/patients/lookup';
import type { Purpose } from '@/lib/codes';
import { purposeSchema } from './_query';

const query = z.object({
  q: z.string({ message: 'Thiếu nội dung tìm kiếm (q).' }).max(200, 'Nội dung tìm kiếm quá dài.'),
  purpose: purposeSchema.optional(),
  birth: z.string().max(10).optional(),
  phone: z.string().max(20).optional(),
  page: z.coerce.number().int().min(1).max(1000).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

/** Patient search (support team). Users must give a purpose; API keys may omit it (the key's name is recorded). */
export const GET = apiRoute({ area: 'search', query }, async ({ req, principal, query: q }) => {
  const { purpose, ...input } = q;
  const recorded = effectivePurpose(principal, purpose as Purpose | undefined);
  if (!recorded) return jsonError(400, 'PURPOSE_REQUIRED', 'Hãy chọn mục đích tra cứu trước khi tìm.');
  return Response.json(await auditedSearch(getDb(), principal, recorded, input, clientIp(req.headers)));
});
