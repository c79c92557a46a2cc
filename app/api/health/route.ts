import pg from 'pg';
import { migrationStatus } from '@/lib/db/migrate';

export const dynamic = 'force-dynamic';

/** 200 only when the database answers and every migration is applied; 503 otherwise. No data, no auth. */
export async function GET() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const status = await migrationStatus(client);
    if (status.pending.length > 0 || status.failed.length > 0) {
      return Response.json({ status: 'migrations-pending', pending: status.pending.length, failed: status.failed.length }, { status: 503 });
    }
    return Response.json({ status: 'ok' });
  } catch {
    return Response.json({ status: 'database-unavailable' }, { status: 503 });
  } finally {
    await client.end().catch(() => {});
  }
}
