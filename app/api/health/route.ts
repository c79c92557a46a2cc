import { appHealth } from '@/lib/ops/health';

export const dynamic = 'force-dynamic';

/**
 * Liveness of the web server: 200 when the database answers and every migration is applied, else 503. The body
 * also says whether a hand-off worker is alive and how old the oldest undelivered hand-off is (`status:
 * "degraded"` with `problems`); `/api/health/ready` turns those into a 503 too. No personal data, no auth.
 */
export async function GET() {
  const health = await appHealth();
  const down = health.status === 'database-unavailable' || health.status === 'migrations-pending';
  return Response.json(health, {
    status: down ? 503 : 200,
    headers: down ? { 'Retry-After': '5', 'Cache-Control': 'no-store' } : { 'Cache-Control': 'no-store' },
  });
}
