import type { Db, Prisma } from './client';
import { sql, withConflictRetry, type Tx } from './pg';

/** PostgreSQL/Prisma errors that mean "another transaction got there first: run again and see its result". */
export function isRetryableConflict(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string; originalCode?: string }; meta?: { code?: string } } | null;
  const codes = [e?.code, e?.cause?.code, e?.cause?.originalCode, e?.meta?.code];
  return codes.some((c) => c === 'P2002' || c === 'P2034' || c === '23505' || c === '40001' || c === '40P01');
}

/**
 * Runs `fn` in a transaction, again (up to `attempts` times) when it lost a race on a unique constraint or a
 * serialization/deadlock check. The second run sees what the winner committed, so repeated or concurrent
 * requests converge on one row instead of failing or duplicating.
 */
export async function transactionWithRetry<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>, attempts = 4): Promise<T> {
  return withConflictRetry(() => db.$transaction(fn, { timeout: 15_000, maxWait: 10_000 }), attempts);
}

/** Serialises transactions that touch the same business keys (e.g. one card scanned at two desks at once). */
export async function lockKeys(tx: Tx, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await sql(tx)('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))::text', key);
  }
}
