import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from './generated/client';
import { newPgPool } from './pool';

export { Prisma };
export type Db = PrismaClient;
/** A client or an open transaction: data-access functions take this so callers decide the transaction. */
export type DbTx = PrismaClient | Prisma.TransactionClient;

// On globalThis, like the app's client below: Next.js bundles this module more than once (pages, route handlers),
// and a client made by one copy must be known to the others (else pgPoolOf(getDb()) fails on a page).
const urls = ((
  globalThis as unknown as { tiepDonDbUrls?: WeakMap<PrismaClient, { connectionString: string; poolSize: number }> }
).tiepDonDbUrls ??= new WeakMap());

export function createDb(connectionString: string, poolSize = Number(process.env.DB_POOL_SIZE ?? 10)): PrismaClient {
  const pool = newPgPool({ connectionString, max: poolSize });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  urls.set(db, { connectionString, poolSize });
  return db;
}

/** Where a client made by `createDb` connects (so its hot-path `pg` pool, `pgPoolOf(db)`, goes to the same database). */
export function connectionOf(db: PrismaClient): { connectionString: string; poolSize: number } {
  const found = urls.get(db);
  if (!found) throw new Error('not a client made by createDb()');
  return found;
}

const holder = globalThis as unknown as { tiepDonDb?: PrismaClient };

/** The app's client, on DATABASE_URL (set by the launcher, which also starts the embedded server). */
export function getDb(): PrismaClient {
  if (!holder.tiepDonDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set: start the app with `npm start` or `npm run dev`.');
    holder.tiepDonDb = createDb(url);
  }
  return holder.tiepDonDb;
}
