import { apiRoute, clientIp, jsonError } from '@/app/_lib/guard';
import { z, uuid } from '@/lib/validation';
import { getDb } from '@/lib/db/client';
import { verifyCoverage, type CoverageVerifyResponse } from '@/lib/insurance/verify';

const body = z.object({ coverageId: uuid('coverageId phải là mã (UUID) của thẻ BHYT.') }).strict();

/**
 * Re-verifies one BHYT coverage with the BHXH gateway as the signed-in receptionist (their name and CCCD
 * are sent as hoTenCb/cccdCb, so an API key cannot do this). 200 with the outcome even when the gateway is
 * unavailable: the answer's `status` says what happened.
 */
export const POST = apiRoute({ area: 'desk', body }, async ({ req, principal, body }) => {
  if (principal.kind !== 'USER')
    return jsonError(
      403,
      'STAFF_REQUIRED',
      'Tra cứu thẻ BHYT cần tài khoản cán bộ đăng nhập (cổng BHXH yêu cầu họ tên và CCCD người tra cứu).',
    );
  const db = getDb();
  const [staff, inFacility] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: principal.id }, select: { fullName: true, staffIdNumber: true } }),
    db.encounter.findFirst({
      where: { coverageId: body.coverageId, facilityId: principal.facilityId },
      select: { id: true },
    }),
  ]);
  if (!inFacility) return jsonError(404, 'NOT_FOUND', 'Không tìm thấy thẻ BHYT này trong các lượt khám của cơ sở.');
  const outcome = await verifyCoverage(db, { coverageId: body.coverageId }, staff, {
    actor: principal,
    ip: clientIp(req.headers),
  });
  return Response.json({
    coverageId: outcome.coverageId,
    status: outcome.status,
    resultCode: outcome.resultCode ?? null,
    message: outcome.message,
    configError: outcome.configError ?? false,
    manualCheck: outcome.manualCheck ?? false,
    verification: outcome.verification,
    encountersUpdated: outcome.encountersUpdated,
  } satisfies CoverageVerifyResponse);
});
