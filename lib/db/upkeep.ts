import type pg from 'pg';

/**
 * What autovacuum does for our tables, for when it does not (switched off, as on some servers, or not yet round:
 * it looks once a minute). Run by the hand-off worker every few seconds.
 *
 * ANALYZE, with autovacuum's own threshold (50 rows + 10 % of the table changed since the last one): a new
 * installation's tables start empty, and a plan made while a table looked empty stays in every connection's
 * cache. Measured on the check-in benchmark (autovacuum off): the hand-off claim's plan scanned the whole attempt
 * log for every message (193 buffers a claim, growing with the log), which made delivery cost more PostgreSQL
 * time than the check-in itself. ANALYZE invalidates those cached plans.
 *
 * VACUUM only when autovacuum is off, on the server or for the table (else it is autovacuum's job), with its threshold (50 + 20 % dead rows)
 * and its throttle, so a large table's vacuum does not take the desk's disk: the job queue's table, for one,
 * gains and loses a row per check-in.
 */
export async function upkeepTables(pool: pg.Pool): Promise<{ analyzed: string[]; vacuumed: string[] }> {
  const { rows } = await pool.query<{ name: string; analyze: boolean; vacuum: boolean }>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name,
       s.n_mod_since_analyze > 50 + 0.1 * greatest(c.reltuples, 0) AS analyze,
       (current_setting('autovacuum') = 'off' OR 'autovacuum_enabled=false' = ANY (coalesce(c.reloptions, '{}')))
         AND s.n_dead_tup > 50 + 0.2 * greatest(c.reltuples, 0) AS vacuum
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.schemaname IN ('public', 'graphile_worker') AND c.relpersistence = 'p'
     ORDER BY s.relname`,
  );
  const analyzed: string[] = [];
  const vacuumed: string[] = [];
  for (const t of rows) {
    if (t.vacuum) {
      // One connection for the setting and the VACUUM (which cannot run in a transaction).
      const client = await pool.connect();
      try {
        await client.query('SET vacuum_cost_delay = 2'); // autovacuum's default throttle
        await client.query(`VACUUM (ANALYZE ${t.analyze ? 'true' : 'false'}) ${t.name}`);
        await client.query('RESET vacuum_cost_delay');
      } finally {
        client.release();
      }
      vacuumed.push(t.name);
      if (t.analyze) analyzed.push(t.name);
    } else if (t.analyze) {
      await pool.query(`ANALYZE ${t.name}`);
      analyzed.push(t.name);
    }
  }
  return { analyzed, vacuumed };
}
