import type { Db, Prisma } from './client';
import { sql, withConflictRetry, type Tx } from './pg';

/** PostgreSQL/Prisma errors that mean "another transaction got there first: run again and see its result". */
export function isRetryableConflict(error: unknown): boolean {
  const e = error as {
    code?: string;
    cause?: { code?: string; originalCode?: string };
    meta?: { code?: string };
  } | null;
  const codes = [e?.code, e?.cause?.code, e?.cause?.originalCode, e?.meta?.code];
  return codes.some((c) => c === 'P2002' || c === 'P2034' || c === '23505' || c === '40001' || c === '40P01');
}

/**
 * Runs `fn` in a transaction, again (up to `attempts` times) when it lost a race on a unique constraint or a
 * serialization/deadlock check. The second run sees what the winner committed, so repeated or concurrent
 * requests converge on one row instead of failing or duplicating.
 */
export async function transactionWithRetry<T>(
  db: Db,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  attempts = 4,
): Promise<T> {
  return withConflictRetry(() => db.$transaction(fn, { timeout: 15_000, maxWait: 10_000 }), attempts);
}

/** Serialises transactions that touch the same business keys (e.g. one card scanned at two desks at once). */
export async function lockKeys(tx: Tx, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await sql(tx)('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text', key);
  }
}

/**
 * PostgreSQL is not there right now: restarting (57P01–57P03), connection refused/reset/lost, too many
 * connections, or the pool timed out. Nothing was done (or a transaction was rolled back): the caller may try
 * again in a few seconds. The web server answers these with 503 and Retry-After instead of 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const SQLSTATES = /^(57P0[123]|08\d\d\d|53300)$/;
  const SOCKET = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;
  const PRISMA = /^(P1001|P1002|P1017|P2024)$/;
  const TEXT =
    /Connection terminated|terminating connection|Can't reach database server|connection (is )?closed|Server has closed the connection|timeout exceeded when trying to connect/i;
  // Prisma wraps a driver adapter's error (a new connection refused with 57P03 while PostgreSQL shuts down) as
  // P2039/P2010 with the PostgreSQL code in meta.driverAdapterError.cause, not in `cause`.
  type Err = {
    code?: unknown;
    originalCode?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
  };
  for (
    let e = error as Err | null | undefined, depth = 0;
    e && depth < 5;
    e = (e.cause ?? e.meta?.driverAdapterError) as Err | undefined, depth++
  ) {
    for (const code of [e.code, e.originalCode]) {
      if (typeof code === 'string' && (SQLSTATES.test(code) || SOCKET.test(code) || PRISMA.test(code))) return true;
    }
    if (typeof e.message === 'string' && TEXT.test(e.message)) return true;
  }
  return false;
}
