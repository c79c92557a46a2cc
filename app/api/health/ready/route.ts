import { appHealth } from '@/lib/ops/health';

export const dynamic = 'force-dynamic';

/**
 * The whole chain works: database, migrations, a live hand-off worker, no hand-off older than
 * HANDOFF_BACKLOG_WARN_SECONDS. 503 with the same body as `/api/health` otherwise (for monitoring, not for a
 * load balancer: a dead worker does not stop the desks from checking patients in).
 */
export async function GET() {
  const health = await appHealth();
  const ok = health.problems.length === 0;
  return Response.json(health, { status: ok ? 200 : 503, headers: { 'Cache-Control': 'no-store' } });
}
