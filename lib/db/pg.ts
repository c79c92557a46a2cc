import pg from 'pg';
import { connectionOf, getDb, type Db, type DbTx, type Prisma } from './client';
import { isRetryableConflict } from './transaction';
import { newPgPool } from './pool';

/**
 * Plain `pg` beside Prisma, for the hot paths only (check-in transaction, hand-off worker): a raw query through
 * Prisma costs 0.5–2 ms of Node CPU, through `pg` about 0.35 ms, and CPU per request decides throughput here.
 * Everything else stays on Prisma (`getDb()`).
 */
export type PgClient = pg.PoolClient | pg.Pool | pg.Client;

/** Rows typed like Prisma's raw queries return them: int8 → bigint, date → UTC midnight. */
const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === 20) return (s: string) => BigInt(s);
    if (oid === 1082) return (s: string) => new Date(`${s}T00:00:00Z`);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

export function createPgPool(connectionString: string, max = Number(process.env.DB_POOL_SIZE ?? 10)): pg.Pool {
  return newPgPool({ connectionString, max, types, allowExitOnIdle: true });
}

// Shared by every copy of this module in the process (see lib/db/client.ts): one pool per client.
const pools = ((globalThis as unknown as { tiepDonPgPools?: WeakMap<Db, pg.Pool> }).tiepDonPgPools ??= new WeakMap());

/** The `pg` pool beside a Prisma client (same database, same size), made on first use. */
export function pgPoolOf(db: Db): pg.Pool {
  let pool = pools.get(db);
  if (!pool) {
    const { connectionString, poolSize } = connectionOf(db);
    pool = createPgPool(connectionString, poolSize);
    pools.set(db, pool);
  }
  return pool;
}

/** The app's pool on DATABASE_URL, beside `getDb()`. */
export function getPgPool(): pg.Pool {
  return pgPoolOf(getDb());
}

/**
 * What the shared data-access functions (audit, patient match, encounter opening) take: anything that runs SQL —
 * a Prisma client or transaction, a `pg` pool (each statement a transaction of its own) or connection. They speak
 * SQL through `sql(db)`, so one implementation serves both.
 */
export type Queryable = DbTx | PgClient;

/**
 * A transaction in progress (Prisma's, or a `pg` connection after BEGIN), for work that must commit or roll back
 * with the caller's: advisory locks, a hand-off written beside the change it announces. Never a pool.
 */
export type Tx = Prisma.TransactionClient | pg.PoolClient;

/**
 * The parameters of a long statement by name: `$.name` is its placeholder (`$3`) for the SQL text and `values`
 * lists an object's values in the same order, so names and positions cannot drift apart. `first` numbers the
 * first one (for a statement made of parts), `next` is the number after the last.
 */
export function namedParameters<const K extends string>(names: readonly K[], first = 1) {
  const $ = Object.fromEntries(names.map((name, i) => [name, `$${first + i}`])) as { readonly [N in K]: string };
  return {
    $,
    next: first + names.length,
    values: (v: { readonly [N in K]: unknown }): unknown[] => names.map((name) => v[name]),
  };
}

/**
 * A statement of the check-in's hot path, prepared once per `pg` connection so PostgreSQL plans it once: planning
 * these CTEs (about 1.5 ms for opening an encounter) costs more than running them. Its text must be constant
 * (values go in parameters), since each name is prepared once per connection.
 */
export type Prepared = { name: string; text: string };
const preparedNames = new Map<string, string>();

export function prepared(name: string, text: string): Prepared {
  const known = preparedNames.get(name);
  if (known !== undefined && known !== text)
    throw new Error(`prepared statement "${name}" defined twice with different texts`);
  preparedNames.set(name, text);
  return { name, text };
}

export type Sql = <T>(query: string | Prepared, ...params: unknown[]) => Promise<T[]>;

export function sql(db: Queryable): Sql {
  if ('$queryRawUnsafe' in db)
    return (query, ...params) => db.$queryRawUnsafe(typeof query === 'string' ? query : query.text, ...params);
  return async (query, ...params) =>
    (
      await (typeof query === 'string'
        ? db.query(query, params)
        : db.query({ name: query.name, text: query.text, values: params }))
    ).rows;
}

/**
 * Runs `fn` again (up to `attempts` times) when it lost a race on a unique constraint or a serialization/deadlock
 * check: the next run sees what the winner committed, so repeated or concurrent requests converge on one row.
 * `fn` must be a whole transaction (or one statement, which is its own transaction).
 */
export async function withConflictRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
    }
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
  }
}

/** A `pg` transaction, run again when it lost a race (`withConflictRetry`): same contract as `transactionWithRetry` for Prisma. */
export async function pgTransaction<T>(pool: pg.Pool, fn: (tx: pg.PoolClient) => Promise<T>, attempts = 4): Promise<T> {
  return withConflictRetry(async () => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }, attempts);
}
