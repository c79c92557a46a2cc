/**
 * Run as a child process by pool.int.test.ts (an uncaught error must be able to end a process to be seen): puts a
 * TCP proxy before PostgreSQL that, once armed, ends a connection the way a restarting server does — FATAL 57P01
 * right behind a query's ReadyForQuery, in the same TCP write — while a transaction waits for that connection.
 * Does it for Prisma (`createDb`) and for the hot-path `pg` pool (`pgTransaction`), then ends a lone idle
 * connection (`newPgClient`); prints "survived" if the
 * process is still up and both clients work afterwards.
 */
import net from 'node:net';
import { createDb } from './client';
import { pgPoolOf, pgTransaction } from './pg';
import { newPgClient } from './pool';

const target = new URL(process.env.DATABASE_URL!);
let armed = false;

function fatal57P01(): Buffer {
  const fields = Buffer.from('SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0');
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

const open = new Set<() => void>();
/** Ends every connection now, as the server does to idle sessions when it restarts. */
const endAll = () => open.forEach((end) => end());

const proxy = net.createServer((client) => {
  const server = net.connect(Number(target.port || 5432), target.hostname);
  const end = () => {
    open.delete(end);
    client.end(fatal57P01());
    server.destroy();
  };
  open.add(end);
  client.on('error', () => server.destroy());
  server.on('error', () => client.destroy());
  client.on('data', (chunk) => server.write(chunk));
  server.on('data', (chunk: Buffer) => {
    // A chunk that ends with ReadyForQuery ('Z', length 5, status) and the query before it was the slow one.
    const endsReady =
      chunk.length >= 6 && chunk[chunk.length - 6] === 0x5a && chunk.readInt32BE(chunk.length - 5) === 5;
    if (armed && endsReady) {
      armed = false;
      open.delete(end);
      client.end(Buffer.concat([chunk, fatal57P01()]));
      server.destroy();
      return;
    }
    client.write(chunk);
  });
});

async function main() {
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String((proxy.address() as net.AddressInfo).port);
  const db = createDb(url.toString(), 1);
  const pool = pgPoolOf(db);
  await db.$queryRaw`SELECT 1`;
  await pool.query('SELECT 1');

  // Prisma: the pool's one connection runs a slow query; a transaction waits for it; the server ends it.
  armed = true;
  const slow = db.$queryRaw`SELECT pg_sleep(0.3)`.catch(() => 'ended');
  await new Promise((r) => setTimeout(r, 50));
  const waiting = db.$transaction(async (tx) => tx.$queryRaw`SELECT 1`).catch(() => 'ended');
  await Promise.all([slow, waiting]);

  // The same with the hot-path pool and pgTransaction.
  armed = true;
  const slowPg = pool.query('SELECT pg_sleep(0.3)').catch(() => 'ended');
  await new Promise((r) => setTimeout(r, 50));
  const waitingPg = pgTransaction(pool, async (tx) => tx.query('SELECT 1'), 1).catch(() => 'ended');
  await Promise.all([slowPg, waitingPg]);

  // A lone connection (the backup's lock holder) with no query in flight when the server ends it.
  const lone = newPgClient({ connectionString: url.toString() });
  await lone.connect();
  await lone.query('SELECT 1');
  endAll();
  await new Promise((r) => setTimeout(r, 200));
  await lone.query('SELECT 1').then(
    () => {
      throw new Error('a query on an ended connection succeeded');
    },
    () => 'ended',
  );

  // Both work again on fresh connections.
  await db.$queryRaw`SELECT 1`;
  await pool.query('SELECT 1');
  console.log('survived');
  await pool.end();
  await db.$disconnect();
  proxy.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
