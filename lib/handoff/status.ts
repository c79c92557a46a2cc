import type { DbTx } from '../db/client';

/**
 * Hand-off state as staff see it: waiting / sent / accepted / rejected (with the reason) / parked.
 * No personal data here: encounter numbers, codes and the HIS's error text.
 */
export type HandoffState = 'none' | 'waiting' | 'sent' | 'accepted' | 'rejected' | 'parked';

const STATE_OF: Record<string, HandoffState> = { PENDING: 'waiting', SENDING: 'sent', DELIVERED: 'accepted', FAILED: 'rejected', PARKED: 'parked' };
const SEVERITY: HandoffState[] = ['parked', 'rejected', 'sent', 'waiting', 'accepted', 'none'];

export type HandoffMessageView = {
  id: string;
  target: string;
  event: string;
  status: string;
  state: HandoffState;
  attempts: number;
  lastError: string | null;
  externalRef: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string;
};

export type HandoffLogEntry = { id: string; messageId: string; event: string; target: string; attempt: number; outcome: string; ackCode: string | null; detail: string | null; actor: string | null; startedAt: string; finishedAt: string | null };

export type EncounterHandoffs = { state: HandoffState; reason: string | null; messages: HandoffMessageView[]; log: HandoffLogEntry[] };

/** The worst state among the encounter's messages decides the badge (a parked A08 matters more than an accepted A04). */
export function summarise(messages: Pick<HandoffMessageView, 'state' | 'lastError'>[]): { state: HandoffState; reason: string | null } {
  for (const state of SEVERITY) {
    const m = messages.find((x) => x.state === state);
    if (m) return { state, reason: state === 'parked' || state === 'rejected' ? m.lastError : null };
  }
  return { state: 'none', reason: null };
}

const VIEW = { id: true, target: true, event: true, status: true, attempts: true, lastError: true, externalRef: true, createdAt: true, deliveredAt: true, nextAttemptAt: true } as const;

/** Null when the encounter does not exist in this facility. */
export async function encounterHandoffs(db: DbTx, encounterId: string, facilityId: string): Promise<EncounterHandoffs | null> {
  const encounter = await db.encounter.findFirst({ where: { id: encounterId, facilityId }, select: { id: true } });
  if (!encounter) return null;
  const [rows, attempts] = await Promise.all([
    // Polled by every desk every few seconds: the state only, never the snapshot or payload (patient data).
    db.handoffMessage.findMany({ where: { encounterId }, orderBy: { id: 'asc' }, select: VIEW }),
    db.handoffAttempt.findMany({ where: { encounterId }, orderBy: { id: 'asc' }, take: 200, include: { message: { select: { event: true, target: true } } } }),
  ]);
  const messages: HandoffMessageView[] = rows.map((m) => ({
    id: String(m.id),
    target: m.target,
    event: m.event,
    status: m.status,
    state: STATE_OF[m.status] ?? 'waiting',
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
    outcome: a.outcome,
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
  encounterId: string;
  encounterNumber: string;
  roomCode: string;
  patientName: string;
  target: string;
  event: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
};

/** Failed (still retrying) and parked messages of a facility, parked first, oldest first. */
export async function listProblemHandoffs(db: DbTx, facilityId: string, limit = 200): Promise<ProblemHandoff[]> {
  const rows = await db.handoffMessage.findMany({
    where: { status: { in: ['PARKED', 'FAILED'] }, encounter: { facilityId } },
    orderBy: [{ status: 'desc' }, { id: 'asc' }],
    take: limit,
    select: { ...VIEW, encounterId: true, encounter: { select: { number: true, room: { select: { code: true } }, patient: { select: { fullName: true } } } } },
  });
  return rows.map((m) => ({
    id: String(m.id),
    encounterId: m.encounterId,
    encounterNumber: m.encounter.number,
    roomCode: m.encounter.room.code,
    patientName: m.encounter.patient.fullName,
    target: m.target,
    event: m.event,
    status: m.status,
    attempts: m.attempts,
    lastError: m.lastError,
    createdAt: m.createdAt,
  }));
}
