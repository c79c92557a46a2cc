import type { DbTx } from '../db/client';
import type { HandoffOutcome, HandoffStatus } from '../codes';

/**
 * Hand-off state as staff see it: waiting / sent / accepted / rejected (the HIS answered no, with its reason,
 * retried) / parked (needs staff) / held (the HIS does not answer: "HIS chưa nhận — đang chờ kết nối") /
 * no-target (no HIS address yet: kept until one is set). A connection failure is never "rejected".
 * No personal data here: encounter numbers, codes and the HIS's error text.
 */
export const HANDOFF_STATES = [
  'none',
  'waiting',
  'sent',
  'accepted',
  'rejected',
  'parked',
  'held',
  'no-target',
] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

/** FAILED is "rejected" only when the HIS answered (an ACK or HTTP code); without an answer it is "held". */
export function stateOf(status: HandoffStatus, lastAckCode: string | null): HandoffState {
  if (status === 'FAILED') return lastAckCode ? 'rejected' : 'held';
  return STATE_OF[status];
}
const STATE_OF: Record<Exclude<HandoffStatus, 'FAILED'>, HandoffState> = {
  PENDING: 'waiting',
  SENDING: 'sent',
  DELIVERED: 'accepted',
  PARKED: 'parked',
  WAITING_CONNECTION: 'held',
  WAITING_CONFIG: 'no-target',
};
const SEVERITY: HandoffState[] = ['parked', 'rejected', 'no-target', 'held', 'sent', 'waiting', 'accepted', 'none'];

export type HandoffMessageView = {
  id: string;
  target: string;
  event: string;
  status: HandoffStatus;
  state: HandoffState;
  attempts: number;
  lastError: string | null;
  externalRef: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string;
};

export type HandoffLogEntry = {
  id: string;
  messageId: string;
  event: string;
  target: string;
  attempt: number;
  outcome: HandoffOutcome;
  ackCode: string | null;
  detail: string | null;
  actor: string | null;
  startedAt: string;
  finishedAt: string | null;
};

export type EncounterHandoffs = {
  state: HandoffState;
  reason: string | null;
  messages: HandoffMessageView[];
  log: HandoffLogEntry[];
};

/** The worst state among the encounter's messages decides the badge (a parked A08 matters more than an accepted A04). */
export function summarise(messages: Pick<HandoffMessageView, 'state' | 'lastError'>[]): {
  state: HandoffState;
  reason: string | null;
} {
  for (const state of SEVERITY) {
    const m = messages.find((x) => x.state === state);
    if (m) return { state, reason: state === 'parked' || state === 'rejected' ? m.lastError : null };
  }
  return { state: 'none', reason: null };
}

const VIEW = {
  id: true,
  target: true,
  event: true,
  status: true,
  attempts: true,
  lastError: true,
  lastAckCode: true,
  externalRef: true,
  createdAt: true,
  deliveredAt: true,
  nextAttemptAt: true,
} as const;

/** Null when the encounter does not exist in this facility. */
export async function encounterHandoffs(
  db: DbTx,
  encounterId: string,
  facilityId: string,
): Promise<EncounterHandoffs | null> {
  const encounter = await db.encounter.findFirst({ where: { id: encounterId, facilityId }, select: { id: true } });
  if (!encounter) return null;
  const [rows, attempts] = await Promise.all([
    // Polled by every desk every few seconds: the state only, never the snapshot or payload (patient data).
    db.handoffMessage.findMany({ where: { encounterId }, orderBy: { id: 'asc' }, select: VIEW }),
    db.handoffAttempt.findMany({
      where: { encounterId },
      orderBy: { id: 'asc' },
      take: 200,
      include: { message: { select: { event: true, target: true } } },
    }),
  ]);
  const messages: HandoffMessageView[] = rows.map((m) => ({
    id: String(m.id),
    target: m.target,
    event: m.event,
    status: m.status,
    state: stateOf(m.status, m.lastAckCode),
    attempts: m.attempts,
    lastError: m.lastError,
    externalRef: m.externalRef,
    createdAt: m.createdAt.toISOString(),
    deliveredAt: m.deliveredAt?.toISOString() ?? null,
    nextAttemptAt: m.nextAttemptAt.toISOString(),
  }));
  const log: HandoffLogEntry[] = attempts.map((a) => ({
    id: String(a.id),
    messageId: String(a.messageId),
    event: a.message.event,
    target: a.message.target,
    attempt: a.attempt,
    outcome: a.outcome as HandoffOutcome, // a free-string column: lib/codes.ts lists what the worker writes
    ackCode: a.ackCode,
    detail: a.detail,
    actor: a.actor,
    startedAt: a.startedAt.toISOString(),
    finishedAt: a.finishedAt?.toISOString() ?? null,
  }));
  return { ...summarise(messages), messages, log };
}

export type ProblemHandoff = {
  id: string;
  /** null for an A40 (a merge of two records): then the encounter number and room say so */
  encounterId: string | null;
  encounterNumber: string;
  roomCode: string;
  patientName: string;
  target: string;
  event: string;
  status: HandoffStatus;
  attempts: number;
  lastError: string | null;
  lastAckCode: string | null;
  createdAt: Date;
};

export type TargetSummary = {
  target: string;
  held: number;
  waitingConfig: number;
  parked: number;
  circuit: 'CLOSED' | 'OPEN';
  openedAt: Date | null;
};

/**
 * Per target, for the facility's staff: messages held (HIS not answering / no address) and parked, and whether
 * the circuit of this facility's destination is open (breaker.ts; another facility's HIS being down is not shown) — the page says "the HIS is down", not "N visits failed".
 */
export async function targetSummaries(db: DbTx, facilityId: string): Promise<TargetSummary[]> {
  return db.$queryRaw<TargetSummary[]>`
    SELECT g."target"::text AS "target", g."held", g."waitingConfig", g."parked", coalesce(c."state", 'CLOSED') AS "circuit", c."openedAt"
    FROM (
      SELECT m."target",
             count(*) FILTER (WHERE m."status" = 'WAITING_CONNECTION')::int AS "held",
             count(*) FILTER (WHERE m."status" = 'WAITING_CONFIG')::int AS "waitingConfig",
             count(*) FILTER (WHERE m."status" = 'PARKED')::int AS "parked"
      FROM "HandoffMessage" m LEFT JOIN "Encounter" e ON e."id" = m."encounterId"
      WHERE m."status" IN ('WAITING_CONNECTION', 'WAITING_CONFIG', 'PARKED') AND COALESCE(e."facilityId", m."facilityId") = ${facilityId}::uuid
      GROUP BY m."target"
    ) g
    LEFT JOIN LATERAL (
      -- this facility's destination of the target (its own HIS, or the one every facility shares), not another's
      SELECT max(s."state") AS "state", max(s."openedAt") FILTER (WHERE s."state" = 'OPEN') AS "openedAt"
      FROM "HandoffTargetState" s
      WHERE s."target" = g."target" AND (s."facilityId" IS NULL OR s."facilityId" = ${facilityId}::uuid)
    ) c ON true
    ORDER BY g."target"`;
}

/** Failed (still retrying) and parked messages of a facility, parked first, oldest first. */
export async function listProblemHandoffs(db: DbTx, facilityId: string, limit = 200): Promise<ProblemHandoff[]> {
  const rows = await db.handoffMessage.findMany({
    where: {
      status: { in: ['PARKED', 'FAILED'] },
      OR: [{ encounter: { facilityId } }, { encounterId: null, facilityId }],
    },
    orderBy: [{ status: 'desc' }, { id: 'asc' }],
    take: limit,
    select: {
      ...VIEW,
      encounterId: true,
      encounter: {
        select: { number: true, room: { select: { code: true } }, patient: { select: { fullName: true } } },
      },
    },
  });
  return rows.map((m) => ({
    id: String(m.id),
    encounterId: m.encounterId,
    encounterNumber: m.encounter?.number ?? 'Gộp hồ sơ (A40)',
    roomCode: m.encounter?.room.code ?? '—',
    patientName: m.encounter?.patient.fullName ?? '—',
    target: m.target,
    event: m.event,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    lastAckCode: m.lastAckCode,
    createdAt: m.createdAt,
  }));
}
