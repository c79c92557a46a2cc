import pg from 'pg';
import { startEmbeddedPostgres } from './embedded';
import { withDatabase } from './connection-info';
import { migrate } from './migrate';

/**
 * The PostgreSQL server tests run against: DATABASE_URL's server when set (CI uses the machine's service),
 * else an embedded one under .data/test. Tests never touch DATABASE_URL's own database: they use fresh ones.
 */
export async function testServer(): Promise<{ serverUrl: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { serverUrl: process.env.DATABASE_URL, stop: async () => {} };
  const embedded = await startEmbeddedPostgres('.data/test', Number(process.env.TEST_PG_PORT ?? 54330));
  return { serverUrl: embedded.url, stop: embedded.stop };
}

/** Drops and re-creates `name` on the server of `serverUrl`; returns its URL. Optionally migrated. */
export async function freshDatabase(
  serverUrl: string,
  name: string,
  options: { migrated?: boolean } = {},
): Promise<string> {
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  if (options.migrated) await migrate(url);
  return url;
}
