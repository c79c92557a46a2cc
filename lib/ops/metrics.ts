import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { staleAfterMs } from './heartbeat';
import { UNDELIVERED_SQL } from './health';
import { readSharedCounters } from './shared-counters';

/**
 * What `/api/metrics` serves (Prometheus text format). Two sources, each the honest one for what it counts:
 *  - in this process (the web server): check-ins, API request durations, BHXH gateway requests — the web server
 *    does these itself. Per process, reset by a restart (Prometheus' `rate()` expects that); with several web
 *    servers, scrape each one.
 *  - the database, for what other processes do or what must survive them: the hand-off backlog and its age,
 *    deliveries and parked messages (counted by the workers, `lib/ops/shared-counters.ts`), live workers
 *    (heartbeats), circuit breakers, the last successful backup. One query on small tables or the undelivered
 *    rows' index, reused for `DB_TTL_MS` however often it is asked.
 * Counts and ages only: system-wide operational figures, no personal data.
 */
const TARGETS = ['HL7V2', 'FHIR', 'BHXH_XML0'] as const;
const DB_TTL_MS = 5_000;

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tiepdon_web_' }); // memory, CPU, event-loop lag of the web server
  const m = {
    registry,
    checkins: new Counter({
      name: 'tiepdon_checkins_total',
      help: 'Check-ins answered by this web server, by identification method and outcome (created, existing, not-found, invalid, conflict, seen-today, rate-limited, error)',
      labelNames: ['method', 'outcome'] as const,
      registers: [registry],
    }),
    http: new Histogram({
      name: 'tiepdon_http_request_duration_seconds',
      help: 'API request duration in this web server, by route pattern',
      labelNames: ['route', 'method', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    bhxh: new Counter({
      name: 'tiepdon_bhxh_gateway_requests_total',
      help: 'BHYT card checks sent to the BHXH gateway by this web server, by outcome (verified, rejected, unavailable)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    pending: new Gauge({
      name: 'tiepdon_handoff_pending',
      help: 'Hand-off messages not yet accepted by the target (parked ones excluded: they wait for staff)',
      labelNames: ['target'] as const,
      registers: [registry],
    }),
    oldest: new Gauge({
      name: 'tiepdon_handoff_oldest_pending_seconds',
      help: 'Age of the oldest hand-off message not yet accepted (0 when none)',
      labelNames: ['target'] as const,
      registers: [registry],
    }),
    delivered: new Counter({
      name: 'tiepdon_handoff_delivered_total',
      help: 'Hand-off messages accepted by the target, counted by all workers',
      labelNames: ['target'] as const,
      registers: [registry],
    }),
    parked: new Counter({
      name: 'tiepdon_handoff_parked_total',
      help: 'Hand-off messages parked for staff (a real rejection, or attempts exhausted), counted by all workers',
      labelNames: ['target'] as const,
      registers: [registry],
    }),
    circuitOpen: new Gauge({
      name: 'tiepdon_handoff_circuit_open',
      help: '1 while any destination of the target counts as down (circuit open: its messages held, one probe per interval)',
      labelNames: ['target'] as const,
      registers: [registry],
    }),
    destinationOpen: new Gauge({
      name: 'tiepdon_handoff_destination_circuit_open',
      help: "1 while this destination counts as down: a facility's own HIS (facility = its code), or one shared by every facility (facility empty)",
      labelNames: ['target', 'facility'] as const,
      registers: [registry],
    }),
    workerUp: new Gauge({
      name: 'tiepdon_worker_up',
      help: 'Hand-off workers with a fresh heartbeat (0: nothing delivers to the HIS)',
      registers: [registry],
    }),
    backup: new Gauge({
      name: 'tiepdon_backup_last_success_timestamp_seconds',
      help: 'When the last successful database backup finished (Unix time; absent when there was none)',
      registers: [registry],
    }),
  };
  return m;
}
type Metrics = ReturnType<typeof create>;

// One registry per process, however many copies of this module the bundler made (route handlers, the server).
const holder = globalThis as unknown as {
  tiepDonMetrics?: Metrics;
  tiepDonMetricsDb?: { at: number; inFlight: Promise<void> | null };
};
function metrics(): Metrics {
  return (holder.tiepDonMetrics ??= create());
}

export function countCheckin(method: string, outcome: string): void {
  metrics().checkins.inc({ method, outcome });
}

export function countGatewayRequest(outcome: string): void {
  metrics().bhxh.inc({ outcome: outcome.toLowerCase() });
}

export function observeRequest(route: string, method: string, status: number, seconds: number): void {
  metrics().http.observe({ route, method, status: String(status) }, seconds);
}

/**
 * The route pattern of a request, from its dynamic params: /api/v1/patients/<uuid>/identifiers →
 * /api/v1/patients/[id]/identifiers. Only routes that exist get here, so the label set stays small.
 */
export function routeLabel(pathname: string, params: Record<string, unknown>): string {
  const byValue = new Map(
    Object.entries(params)
      .filter(([, v]) => typeof v === 'string')
      .map(([k, v]) => [v as string, k]),
  );
  return pathname
    .split('/')
    .map((segment) => {
      const name = byValue.get(decodeURIComponent(segment));
      return name ? `[${name}]` : segment;
    })
    .join('/');
}

type DbRow = {
  backlog: { target: string; pending: number; oldest: number }[];
  workers: number;
  circuits: { target: string; facility: string | null; state: string }[];
  lastBackup: number | null;
};

async function refreshFromDatabase(pool: pg.Pool, m: Metrics): Promise<void> {
  const { rows } = await pool.query<DbRow>({
    text: `SELECT
      (SELECT coalesce(json_agg(b), '[]') FROM (
         SELECT "target"::text AS "target", count(*)::int AS "pending", extract(epoch FROM now() - min("createdAt"))::float8 AS "oldest"
         FROM "HandoffMessage" WHERE "status" IN (${UNDELIVERED_SQL}) GROUP BY "target") b) AS "backlog",
      (SELECT count(*)::int FROM "ProcessHeartbeat" WHERE "kind" = 'WORKER' AND "lastSeenAt" > now() - make_interval(secs => $1::float8)) AS "workers",
      (SELECT coalesce(json_agg(c), '[]') FROM (
         SELECT s."target"::text AS "target", f."code" AS "facility", s."state"
         FROM "HandoffTargetState" s LEFT JOIN "Facility" f ON f."id" = s."facilityId") c) AS "circuits",
      (SELECT extract(epoch FROM max("finishedAt"))::float8 FROM "DatabaseBackup" WHERE "error" IS NULL) AS "lastBackup"`,
    values: [staleAfterMs() / 1000],
  });
  const counters = await readSharedCounters(pool);
  const row = rows[0]!;
  for (const target of TARGETS) {
    const b = row.backlog.find((x) => x.target === target);
    m.pending.set({ target }, b?.pending ?? 0);
    m.oldest.set({ target }, b ? Math.round(b.oldest) : 0);
    m.circuitOpen.set({ target }, row.circuits.some((c) => c.target === target && c.state === 'OPEN') ? 1 : 0);
  }
  // One series per destination that has a circuit row (a facility's HIS after its first connection failure).
  m.destinationOpen.reset();
  for (const c of row.circuits)
    m.destinationOpen.set({ target: c.target, facility: c.facility ?? '' }, c.state === 'OPEN' ? 1 : 0);
  // Counters kept in the database: set to the stored totals (prom-client counters only go up, hence reset + inc).
  for (const [counter, name] of [
    [m.delivered, 'tiepdon_handoff_delivered_total'],
    [m.parked, 'tiepdon_handoff_parked_total'],
  ] as const) {
    counter.reset();
    for (const target of TARGETS)
      counter.inc({ target }, counters.find((c) => c.name === name && c.labels.target === target)?.value ?? 0);
  }
  m.workerUp.set(row.workers);
  if (row.lastBackup === null) m.backup.reset();
  else m.backup.set(row.lastBackup);
}

/** The metrics page: the database figures at most `DB_TTL_MS` old (one query in flight at a time), then everything. */
export async function renderMetrics(pool: pg.Pool, ttlMs = DB_TTL_MS): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  const state = (holder.tiepDonMetricsDb ??= { at: 0, inFlight: null });
  if (Date.now() - state.at >= ttlMs) {
    state.inFlight ??= refreshFromDatabase(pool, m)
      .then(() => {
        state.at = Date.now();
      })
      .finally(() => {
        state.inFlight = null;
      });
    await state.inFlight;
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}
