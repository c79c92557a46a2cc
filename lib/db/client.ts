import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, Prisma } from './generated/client';

export { Prisma };
export type Db = PrismaClient;
/** A client or an open transaction: data-access functions take this so callers decide the transaction. */
export type DbTx = PrismaClient | Prisma.TransactionClient;

const urls = new WeakMap<PrismaClient, { connectionString: string; poolSize: number }>();

export function createDb(connectionString: string, poolSize = Number(process.env.DB_POOL_SIZE ?? 10)): PrismaClient {
  const db = new PrismaClient({ adapter: new PrismaPg({ connectionString, max: poolSize }) });
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
