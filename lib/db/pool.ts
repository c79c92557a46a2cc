import pg from 'pg';

/**
 * A `pg` pool whose connections cannot crash the process when PostgreSQL ends them (a restart: 57P01). pg-pool
 * catches an idle connection's error, but a checked-out one emits 'error' on the client, and a client is handed
 * out before its caller can listen: a query's ReadyForQuery and the server's FATAL can arrive in one TCP read, and
 * between the two the pool gives the connection to a waiting `pool.connect()` (Prisma's transactions, our
 * `pgTransaction`). With no listener, Node throws and the web server or worker exits (seen in CI during the
 * PostgreSQL-restart test). The error is not lost: pg fails the connection's next query with it, and the caller
 * releases it as broken. (graphile-worker installs the same two handlers on its own pools.)
 */
export function newPgPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('error', () => {}); // idle connection: pg-pool drops it, the next query opens a new one
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * A single `pg` connection with the same protection: a client that holds a lock while other work runs (the daily
 * backup) has no query in flight when the server ends it, and its error would otherwise be thrown. The next query
 * on it fails with the error instead.
 */
export function newPgClient(config: pg.ClientConfig): pg.Client {
  const client = new pg.Client(config);
  client.on('error', () => {});
  return client;
}
