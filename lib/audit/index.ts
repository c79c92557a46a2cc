import type { DbTx } from '../db/client';
import type { Principal } from '../auth/roles';

/**
 * Every look-up and change of patient data, and every sign-in event, becomes an audit row.
 * `details` holds ids, codes and counts only: never ID numbers, names or addresses.
 */
export type AuditInput = {
  action: string;
  outcome?: 'SUCCESS' | 'FAILURE' | 'DENIED';
  actor?: Principal | null;
  /** When there is no principal (e.g. a failed login), the account name tried. */
  actorName?: string;
  facilityId?: string | null;
  entityType?: string;
  entityId?: string;
  patientId?: string;
  purpose?: string;
  ip?: string | null;
  details?: Record<string, string | number | boolean | null>;
};

export async function audit(db: DbTx, input: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: input.action,
      outcome: input.outcome ?? 'SUCCESS',
      actorType: input.actor ? input.actor.kind : input.actorName ? 'USER' : 'SYSTEM',
      actorId: input.actor?.id ?? null,
      actorName: input.actor?.name ?? input.actorName ?? null,
      facilityId: input.facilityId ?? input.actor?.facilityId ?? null,
      entityType: input.entityType ?? null,
      entityId: input.entityId ?? null,
      patientId: input.patientId ?? null,
      purpose: input.purpose ?? null,
      ip: input.ip ?? null,
      details: input.details ?? undefined,
    },
  });
}
