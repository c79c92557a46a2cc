import { apiRoute } from '@/app/_lib/guard';
import { METRICS_ROLES } from '@/lib/auth/roles';
import { getPgPool } from '@/lib/db/pg';
import { renderMetrics } from '@/lib/ops/metrics';

export const dynamic = 'force-dynamic';

/**
 * Prometheus metrics (text format), for an API key with the MONITOR role (or an administrator). Not audited:
 * system-wide counts and ages, no personal data, asked every few seconds.
 */
export const GET = apiRoute({ area: null, roles: METRICS_ROLES }, async () => {
  const { contentType, body } = await renderMetrics(getPgPool());
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
});
