import { prepared, sql, type Queryable } from '../db/pg';
import type { Actor } from '../auth/roles';
import { normalizeIp } from '../net/client-ip';
import type { AuditAction, AuditOutcome } from '../codes';

/**
 * Every look-up and change of patient data, and every sign-in event, becomes an audit row.
 * `details` holds ids, codes and counts only: never ID numbers, names or addresses.
 * One exception writes its row itself: the check-in's statement (lib/encounters/open.ts), in the same statement
 * as the encounter it records.
 */
export type AuditInput = {
  action: AuditAction;
  outcome?: AuditOutcome;
  actor?: Actor | null;
  /** When there is no principal (e.g. a failed login), the account name tried. */
  actorName?: string;
  facilityId?: string | null;
  entityType?: string;
  entityId?: string;
  patientId?: string;
  purpose?: string;
  ip?: string | null;
  details?: Record<string, string | number | boolean | null | string[]>;
};

// Raw SQL: it runs inside every check-in, on Prisma or on a `pg` transaction alike.
const INSERT_AUDIT = prepared(
  'audit-insert',
  `INSERT INTO "AuditEvent" (action, outcome, "actorType", "actorId", "actorName", "facilityId", "entityType", "entityId", "patientId", purpose, ip, details)
   VALUES ($1, $2, $3, $4::uuid, $5, $6::uuid, $7, $8, $9::uuid, $10, $11, $12::jsonb)`,
);

export async function audit(db: Queryable, input: AuditInput): Promise<void> {
  await sql(db)(
    INSERT_AUDIT,
    input.action,
    input.outcome ?? 'SUCCESS',
    input.actor ? input.actor.kind : input.actorName ? 'USER' : 'SYSTEM',
    input.actor?.id ?? null,
    input.actor?.name ?? input.actorName ?? null,
    input.facilityId ?? input.actor?.facilityId ?? null,
    input.entityType ?? null,
    input.entityId ?? null,
    input.patientId ?? null,
    input.purpose ?? null,
    normalizeIp(input.ip), // a valid address or nothing: the column is VarChar(45) and the row must be written
    input.details ? JSON.stringify(input.details) : null,
  );
}
