import path from 'node:path';
import { describeDatabaseUrl } from '../db/connection-info';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import { log } from '../log';

export type OpenedDatabase = { url: string; embedded: boolean; stop: () => Promise<void> };

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR (default .data) on
 * EMBEDDED_PG_PORT (default 54329: the standard 5432 is often taken). Pending migrations are applied either way,
 * and the log says which database is in use (never the password).
 */
export async function openDatabase(options: { migrate?: boolean } = {}): Promise<OpenedDatabase> {
  let opened: OpenedDatabase;
  if (process.env.DATABASE_URL) {
    opened = { url: process.env.DATABASE_URL, embedded: false, stop: async () => {} };
  } else {
    const dir = path.resolve(process.env.DATA_DIR ?? '.data');
    const server = await startEmbeddedPostgres(dir, Number(process.env.EMBEDDED_PG_PORT ?? 54329));
    opened = { url: server.url, embedded: true, stop: server.stop };
  }
  log.info({ database: describeDatabaseUrl(opened.url), embedded: opened.embedded }, 'using database');
  if (options.migrate !== false) {
    const applied = await migrate(opened.url);
    log.info(
      { applied: applied.length, migrations: applied },
      applied.length ? 'migrations applied' : 'database schema up to date',
    );
  }
  return opened;
}
