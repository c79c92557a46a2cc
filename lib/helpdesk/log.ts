import type { DbTx } from '../db/client';
import type { Principal } from '../auth/roles';
import { audit } from '../audit';
import { localDayAsDate } from '../time/local-day';

/**
 * VNeID help-desk log (tổ hướng dẫn, hỗ trợ người dân kích hoạt Sổ sức khỏe điện tử — Sở Y tế dispatch, item 8).
 * One row per citizen helped; no personal data is needed to count them. `requestId` is made by the client, so a
 * double submit or a retry records the citizen once.
 */
import { HELPDESK_OUTCOMES, HELPDESK_SERVICES, type HelpdeskOutcome, type HelpdeskService } from '../codes';
import type { Jsonified } from '../http/json';

export type HelpdeskInput = {
  requestId: string;
  service: HelpdeskService;
  outcome: HelpdeskOutcome;
  patientId?: string;
  note?: string;
};

export async function recordHelpdesk(db: DbTx, actor: Principal, input: HelpdeskInput, at = new Date()) {
  const created = await db.helpdeskEntry.createManyAndReturn({
    data: [
      {
        requestId: input.requestId,
        facilityId: actor.facilityId,
        service: input.service,
        outcome: input.outcome,
        patientId: input.patientId ?? null,
        note: input.note ?? null,
        createdById: actor.kind === 'USER' ? actor.id : null,
        createdBy: actor.name,
        localDate: localDayAsDate(at),
      },
    ],
    skipDuplicates: true,
  });
  if (created[0]) {
    await audit(db, {
      action: 'HELPDESK_RECORDED',
      actor,
      patientId: input.patientId,
      entityType: 'HelpdeskEntry',
      entityId: created[0].id,
      purpose: input.patientId ? 'VNEID_HELPDESK' : undefined,
      details: { service: input.service, outcome: input.outcome },
    });
    return { entry: created[0], repeated: false };
  }
  const entry = await db.helpdeskEntry.findUniqueOrThrow({ where: { requestId: input.requestId } });
  return { entry, repeated: true };
}

export type HelpdeskCounts = { total: number; byService: Record<HelpdeskService, Record<HelpdeskOutcome, number>> };

/** Counts for a facility over local days [from, to] (inclusive, 'YYYY-MM-DD'). */
export async function helpdeskCounts(db: DbTx, facilityId: string, from: string, to: string): Promise<HelpdeskCounts> {
  const groups = await db.helpdeskEntry.groupBy({
    by: ['service', 'outcome'],
    where: { facilityId, localDate: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } },
    _count: { _all: true },
  });
  const zero = () => Object.fromEntries(HELPDESK_OUTCOMES.map((o) => [o, 0])) as Record<HelpdeskOutcome, number>;
  const byService = Object.fromEntries(HELPDESK_SERVICES.map((s) => [s, zero()])) as HelpdeskCounts['byService'];
  let total = 0;
  for (const g of groups) {
    byService[g.service][g.outcome] = g._count._all;
    total += g._count._all;
  }
  return { total, byService };
}

/** 201 (recorded) or 200 (this requestId was already recorded) from POST /api/v1/helpdesk. */
export type HelpdeskRecordedResponse = Jsonified<{ entry: Awaited<ReturnType<typeof recordHelpdesk>>['entry'] }>;
