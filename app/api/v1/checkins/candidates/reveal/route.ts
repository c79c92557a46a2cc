import { apiRoute, jsonError } from '@/app/_lib/guard';
import { getDb } from '@/lib/db/client';
import { pgPoolOf } from '@/lib/db/pg';
import { revealCandidate } from '@/lib/encounters/candidates';
import type { CandidateRevealResponse } from '@/lib/encounters/check-in';
import { z } from '@/lib/validation';

const body = z.object({ token: z.string().max(200) }).strict();

/**
 * The receptionist picked one of a not-found answer's likely duplicates: its record (full birth date, address,
 * masked identifiers), audited with that patient's id. 404 for a token that is forged, expired or another desk's.
 */
export const POST = apiRoute({ area: 'desk', body }, async ({ principal, body }) => {
  const patient = await revealCandidate(pgPoolOf(getDb()), principal, body.token);
  if (!patient) return jsonError(404, 'CANDIDATE_EXPIRED', 'Lựa chọn hồ sơ đã hết hạn. Vui lòng quét lại thẻ.');
  const answer: CandidateRevealResponse = { patient };
  return Response.json(answer, { headers: { 'cache-control': 'no-store' } });
});
