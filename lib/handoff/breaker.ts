import type pg from 'pg';
import { sql, type Queryable } from '../db/pg';
import { log } from '../log';
import type { Env } from './config';
import type { HandoffTarget, HeldStatus } from '../codes';

/**
 * A circuit breaker per hand-off destination, so "the HIS is down" is not "the message failed". After `threshold`
 * consecutive connection failures (no connection, or no answer in time) the destination is OPEN: workers stop
 * sending to it, and messages that come due are held as WAITING_CONNECTION (in order, no attempt counted, no job
 * left polling). Once per `probeMs` one worker sends the oldest held message as a probe; when it is accepted,
 * or the HIS answers anything at all, the destination is CLOSED again and every held message is released at once.
 *
 * A destination is where delivery sends a message (`breakerScope`): for HL7 v2, each facility's own HIS (its MLLP
 * setting, config.ts `mllpUrl`), so one facility's HIS outage holds that facility's messages only — unless
 * HIS_MLLP_URL sends every facility to one HIS, which then has one circuit. FHIR and BHXH XML0 have one
 * destination per installation. Keyed by facility rather than by host:port because that is how delivery resolves
 * the address, and because a held message can then find its circuit from its own row (its encounter's facility)
 * even after an administrator changes the address.
 *
 * The state is one row per destination in `HandoffTargetState` (`facilityId` NULL: it covers every facility's
 * messages of its target), shared by all workers on all machines (and read by health, metrics, the desk and the
 * admin page); each worker caches it for a second so the hot path writes nothing while every destination is healthy.
 */
export type BreakerPolicy = { threshold: number; probeMs: number };

export function breakerPolicy(env: Env = process.env): BreakerPolicy {
  const num = (raw: string | undefined, fallback: number) =>
    Number.isFinite(Number(raw)) && Number(raw) > 0 ? Number(raw) : fallback;
  return { threshold: num(env.HANDOFF_BREAKER_THRESHOLD, 3), probeMs: num(env.HANDOFF_BREAKER_PROBE_MS, 30_000) };
}

type Row = {
  key: string;
  facilityId: string | null;
  state: 'CLOSED' | 'OPEN';
  failures: number;
  nextProbeAt: Date | null;
};

/** One destination's circuit: `key` is its row; `facilityId` null when it serves every facility. */
export type BreakerScope = { key: string; target: HandoffTarget; facilityId: string | null };

/** Does each facility send HL7 v2 to its own HIS (its setting)? Not when HIS_MLLP_URL overrides them all. */
const perFacility = (target: HandoffTarget, env: Env) => target === 'HL7V2' && !env.HIS_MLLP_URL;

/** The destination of a message of `target` for `facilityId` (its encounter's facility, or an A40's own). */
export function breakerScope(target: HandoffTarget, facilityId: string | null, env: Env = process.env): BreakerScope {
  if (perFacility(target, env) && facilityId) return { key: `${target}@${facilityId}`, target, facilityId };
  return { key: target, target, facilityId: null };
}

/** SQL: whose HIS a message (alias `m`) goes to: its encounter's facility, or an A40's own. */
export const messageFacilitySql = (m: string) =>
  `COALESCE((SELECT e."facilityId" FROM "Encounter" e WHERE e."id" = ${m}."encounterId"), ${m}."facilityId")`;

/** SQL: an open circuit covers messages of `target` (an SQL expression) for facility `facility` (an SQL expression). */
export const openCircuitSql = (target: string, facility: string) =>
  `EXISTS (SELECT 1 FROM "HandoffTargetState" s WHERE s."target" = ${target} AND s."state" = 'OPEN'
     AND (s."facilityId" IS NULL OR s."facilityId" = ${facility}))`;
/** What a worker may do with a target right now. */
export type Gate = 'send' | 'probe' | 'hold';

/**
 * Sets messages of `status` for a target back to PENDING, due now: the worker's feeder (feeder.ts) takes each
 * patient's first and delivers that patient's messages in order. One statement. Returns how many were released.
 */
export async function releaseHeld(
  db: Queryable,
  target: HandoffTarget,
  status: HeldStatus,
  patientId?: string,
  facilityId?: string | null,
): Promise<number> {
  // facilityId (undefined: every facility's): the messages of one facility's HIS (WAITING_CONFIG is per facility).
  const rows = await sql(db)<{ n: number }>(
    `
    WITH released AS (
      UPDATE "HandoffMessage" m SET "status" = 'PENDING', "nextAttemptAt" = now()
      WHERE m."target" = $1::"HandoffTarget" AND m."status" = $2::"HandoffStatus" AND ($3::uuid IS NULL OR m."patientId" = $3::uuid)
        AND (NOT $4::boolean OR COALESCE((SELECT e."facilityId" FROM "Encounter" e WHERE e."id" = m."encounterId"), m."facilityId") IS NOT DISTINCT FROM $5::uuid)
      RETURNING m."patientId"
    )
    SELECT count(*)::int AS n FROM released`,
    target,
    status,
    patientId ?? null,
    facilityId !== undefined,
    facilityId ?? null,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Releases the WAITING_CONNECTION messages of a target that no open circuit holds any more: neither their own
 * destination's nor that of an earlier held message of the same patient (which they wait behind, in order). One
 * statement. Returns how many messages were released.
 */
export async function releaseUnblocked(db: Queryable, target: HandoffTarget): Promise<number> {
  const rows = await sql(db)<{ n: number }>(
    `
    WITH blocked AS MATERIALIZED (
      SELECT p."patientId", min(p."id") AS "firstId" FROM "HandoffMessage" p
      WHERE p."target" = $1::"HandoffTarget" AND p."status" = 'WAITING_CONNECTION'
        AND ${openCircuitSql('p."target"', messageFacilitySql('p'))}
      GROUP BY p."patientId"
    ), released AS (
      UPDATE "HandoffMessage" m SET "status" = 'PENDING', "nextAttemptAt" = now()
      WHERE m."target" = $1::"HandoffTarget" AND m."status" = 'WAITING_CONNECTION'
        AND NOT EXISTS (SELECT 1 FROM blocked b WHERE b."patientId" = m."patientId" AND b."firstId" <= m."id")
      RETURNING m."patientId"
    )
    SELECT count(*)::int AS n FROM released`,
    target,
  );
  return rows[0]?.n ?? 0;
}

export class TargetBreakers {
  private cache = new Map<HandoffTarget, { at: number; rows: Row[] }>();

  constructor(
    private pool: pg.Pool,
    readonly policy: BreakerPolicy,
    private cacheMs = 1_000,
    private env: Env = process.env,
  ) {}

  /** The destination of a message of `target` for `facilityId` (see `breakerScope`). */
  scope(target: HandoffTarget, facilityId: string | null): BreakerScope {
    return breakerScope(target, facilityId, this.env);
  }

  /** Every destination's circuit of a target (cached): one query per target per second, whatever the load. */
  private async rows(target: HandoffTarget): Promise<Row[]> {
    const hit = this.cache.get(target);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.rows;
    const { rows } = await this.pool.query<Row>(
      `SELECT "key", "facilityId"::text AS "facilityId", "state", "failures", "nextProbeAt" FROM "HandoffTargetState"
       WHERE "target" = $1::"HandoffTarget"`,
      [target],
    );
    this.cache.set(target, { at: Date.now(), rows });
    return rows;
  }

  private async row(scope: BreakerScope): Promise<Row> {
    const rows = await this.rows(scope.target);
    return (
      rows.find((r) => r.key === scope.key) ?? {
        key: scope.key,
        facilityId: scope.facilityId,
        state: 'CLOSED',
        failures: 0,
        nextProbeAt: null,
      }
    );
  }

  /** Is any destination of the target open? If not, every message of it may be sent without asking whose it is. */
  async anyOpen(target: HandoffTarget): Promise<boolean> {
    return (await this.rows(target)).some((r) => r.state === 'OPEN');
  }

  /** Before sending: 'send' (closed), 'probe' (open, and this worker won the probe that is due), or 'hold'. */
  async gate(scope: BreakerScope): Promise<Gate> {
    const row = await this.row(scope);
    if (row.state === 'CLOSED') return 'send';
    if (row.nextProbeAt && row.nextProbeAt.getTime() > Date.now()) return 'hold';
    const { rowCount } = await this.pool.query(
      `UPDATE "HandoffTargetState" SET "nextProbeAt" = now() + make_interval(secs => $2::float8), "updatedAt" = now()
       WHERE "key" = $1 AND "state" = 'OPEN' AND "nextProbeAt" <= now()`,
      [scope.key, this.policy.probeMs / 1000],
    );
    this.cache.delete(scope.target);
    return rowCount ? 'probe' : 'hold';
  }

  /** A connection failure (unreachable, or no answer in time). Returns true when the destination is (now) open. */
  async failure(scope: BreakerScope, text: string): Promise<boolean> {
    const { rows } = await this.pool.query<{ state: string; opened: boolean; failures: number }>(
      `
      INSERT INTO "HandoffTargetState" AS s ("key", "target", "facilityId", "state", "failures", "openedAt", "nextProbeAt", "lastError", "updatedAt")
      VALUES ($1, $5::"HandoffTarget", $6::uuid, CASE WHEN $2::int <= 1 THEN 'OPEN' ELSE 'CLOSED' END, 1,
              CASE WHEN $2::int <= 1 THEN now() END, CASE WHEN $2::int <= 1 THEN now() + make_interval(secs => $3::float8) END, $4, now())
      ON CONFLICT ("key") DO UPDATE SET
        "failures" = s."failures" + 1, "lastError" = $4, "updatedAt" = now(),
        "state" = CASE WHEN s."state" = 'OPEN' OR s."failures" + 1 >= $2::int THEN 'OPEN' ELSE 'CLOSED' END,
        "openedAt" = CASE WHEN s."state" = 'OPEN' THEN s."openedAt" WHEN s."failures" + 1 >= $2::int THEN now() END,
        "nextProbeAt" = CASE WHEN s."state" = 'OPEN' THEN greatest(s."nextProbeAt", now() + make_interval(secs => $3::float8))
                             WHEN s."failures" + 1 >= $2::int THEN now() + make_interval(secs => $3::float8) END
      RETURNING "state", "openedAt" = now()::timestamptz(3) AS "opened", "failures"`,
      [
        scope.key,
        this.policy.threshold,
        this.policy.probeMs / 1000,
        text.slice(0, 300),
        scope.target,
        scope.facilityId,
      ],
    );
    this.cache.delete(scope.target);
    const row = rows[0]!;
    // Opened by this statement: "openedAt" is stored to the millisecond, so compared with now() rounded the same way.
    if (row.opened) {
      log.warn(
        {
          target: scope.target,
          destination: scope.key,
          facilityId: scope.facilityId ?? undefined,
          failures: row.failures,
          probeEverySeconds: this.policy.probeMs / 1000,
          err: text.slice(0, 200),
        },
        'HIS target unreachable: circuit opened, messages are held (not failed) and one is tried as a probe periodically',
      );
    }
    return row.state === 'OPEN';
  }

  /**
   * The destination answered (accepted, or refused with a reason: it is up). Writes only when there were failures;
   * when this closes an open circuit, every message it held is released.
   */
  async success(scope: BreakerScope): Promise<void> {
    const row = await this.row(scope);
    if (row.state === 'CLOSED' && row.failures === 0) return;
    const { rows } = await this.pool.query<{ was: string }>(
      `
      WITH old AS (SELECT "state" FROM "HandoffTargetState" WHERE "key" = $1 FOR UPDATE)
      UPDATE "HandoffTargetState" s SET "state" = 'CLOSED', "failures" = 0, "openedAt" = NULL, "nextProbeAt" = NULL, "updatedAt" = now()
      FROM old WHERE s."key" = $1 AND (s."failures" > 0 OR s."state" = 'OPEN')
      RETURNING old."state" AS "was"`,
      [scope.key],
    );
    this.cache.delete(scope.target);
    if (rows[0]?.was === 'OPEN') {
      const released = await releaseUnblocked(this.pool, scope.target);
      log.warn(
        { target: scope.target, destination: scope.key, facilityId: scope.facilityId ?? undefined, released },
        'HIS target answers again: circuit closed, held messages released',
      );
    }
  }

  /**
   * Housekeeping (the worker's sweep), per target: forgets circuits of destinations that no longer exist (HIS_MLLP_URL
   * set or removed since they opened); releases anything no open circuit holds (a message held by a worker that had
   * not yet seen its circuit close); and for each open destination whose probe is due, queues the oldest message it
   * holds that heads its patient's queue (its delivery is the probe).
   */
  async tick(target: HandoffTarget): Promise<void> {
    let rows = await this.rows(target);
    const stale = rows.filter((r) => (r.facilityId !== null) !== perFacility(target, this.env));
    if (stale.length > 0) {
      await this.pool.query(`DELETE FROM "HandoffTargetState" WHERE "key" = ANY($1::text[])`, [
        stale.map((r) => r.key),
      ]);
      log.info({ target, destinations: stale.map((r) => r.key) }, 'forgot the circuits of destinations no longer used');
      this.cache.delete(target);
      rows = await this.rows(target);
    }
    const open = rows.filter((r) => r.state === 'OPEN');
    // An open circuit shared by every facility holds every held message: nothing to look for (the common outage).
    const released =
      open.length === 0
        ? await releaseHeld(this.pool, target, 'WAITING_CONNECTION')
        : open.some((r) => r.facilityId === null)
          ? 0
          : await releaseUnblocked(this.pool, target);
    if (released > 0) log.info({ target, released }, 'released messages held while the circuit was open');
    for (const row of open) {
      if (row.nextProbeAt && row.nextProbeAt.getTime() > Date.now()) continue;
      const { rows: heads } = await this.pool.query<{ patientId: string }>(
        `
        SELECT m."patientId"::text AS "patientId" FROM "HandoffMessage" m
        WHERE m."target" = $1::"HandoffTarget" AND m."status" = 'WAITING_CONNECTION'
          AND ($2::uuid IS NULL OR ${messageFacilitySql('m')} = $2::uuid)
          AND NOT EXISTS (SELECT 1 FROM "HandoffMessage" p WHERE p."patientId" = m."patientId" AND p."target" = m."target"
                          AND p."status" <> 'DELIVERED' AND p."id" < m."id")
        ORDER BY m."id" LIMIT 1`,
        [target, row.facilityId],
      );
      if (heads[0]) await releaseHeld(this.pool, target, 'WAITING_CONNECTION', heads[0].patientId);
    }
  }
}
