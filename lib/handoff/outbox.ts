import type { Env } from './config';
import { randomUUID } from 'node:crypto';
import { prepared, sql, type Tx } from '../db/pg';
import { buildA40, buildAdt } from './hl7';
import { buildFhirBundle, buildFhirMergeBundle } from './fhir';
import { buildXml0, xml0AppliesSql } from './xml0';
import { snapshotSql, type HandoffSnapshot, type MergeSnapshot, type SnapshotSources } from './snapshot';
import { openCircuitSql } from './breaker';
import type { HandoffTarget } from '../codes';

/**
 * Transactional outbox: the hand-off rows are written by the same statement or transaction that opens, changes
 * or cancels an encounter, so the hand-off to the HIS can never be lost or sent for something that was rolled
 * back. The worker delivers them. The message control id (HL7 MSH-10) is fixed here and stays the same across
 * retries, so the HIS can drop duplicates.
 *
 * What the message says is frozen HERE: each row keeps the encounter's snapshot as this statement sees it. An
 * ADT message is a notification of what happened at that moment (A04 = as registered, A08 = as corrected), so a
 * later change must not rewrite an earlier message. The worker renders the bytes from that snapshot at first
 * delivery (deterministically: the message time is the row's creation time) and stores them, so every retry
 * sends the same bytes under the same MSH-10. Rendering there keeps it out of the check-in's request: the
 * desk's statement stays one round trip. Exceptions: the XML0 signature is added at first delivery too (a
 * missing certificate must never block a check-in); a staff retry of a parked message takes a fresh snapshot
 * (staff retry after fixing what the HIS rejected), keeping the MSH-10.
 */
export type HandoffEvent = 'A04' | 'A08' | 'A11';

/** Which targets this installation hands off to. HL7 v2 unless configured otherwise. */
export function configuredTargets(env: Env = process.env): HandoffTarget[] {
  const targets: HandoffTarget[] = [];
  if (env.HIS_MLLP_URL || !env.HIS_FHIR_URL) targets.push('HL7V2');
  if (env.HIS_FHIR_URL) targets.push('FHIR');
  // The hospital decides who sends the BHXH check-in: the HIS (default) or this app — never both (spec §0.4).
  if (env.BHXH_XML0_SENDER === 'app') targets.push('BHXH_XML0');
  return targets;
}

/** The bytes of a message, from its snapshot; `at` (the row's creation time) is the HL7 message time. */
export function buildPayload(
  target: HandoffTarget,
  snapshot: HandoffSnapshot,
  event: HandoffEvent,
  controlId: string,
  at: Date,
): string {
  switch (target) {
    case 'HL7V2':
      return buildAdt(snapshot, event, controlId, at);
    case 'FHIR':
      return JSON.stringify(buildFhirBundle(snapshot, event));
    case 'BHXH_XML0':
      return buildXml0(snapshot);
  }
}

/** A new MSH-10 per message: unique, and kept for every retry of that message. */
export function newControlIds(count: number): string[] {
  return Array.from({ length: count }, () => `TD${randomUUID().replaceAll('-', '').toUpperCase()}`);
}

/**
 * CTEs (to go after `WITH ... ,`) writing one hand-off message per target for each encounter of relation
 * `encounters` (e.g. a CTE that just inserted one), each with the encounter's snapshot. No job is added: the
 * worker finds new messages itself (feeder.ts). `targets`/`controlIds` are text[] parameters (`$n`), `event` a
 * text one. XML0 is only the BHYT check-in of an outpatient visit (spec §2.2). The snapshot is MATERIALIZED: read once per
 * encounter, not once per target — which also keeps the statement's generic plan cheap enough for PostgreSQL
 * to reuse it instead of planning this statement on every check-in. While the circuit of a message's destination
 * (its target, for HL7 v2 its facility's HIS: breaker.ts) is open, it is written held (WAITING_CONNECTION): during
 * an HIS outage the worker does nothing per check-in; the breaker releases it when the HIS is back.
 */
export function outboxCtes(
  encounters: string,
  p: { event: string; targets: string; controlIds: string },
  from?: SnapshotSources,
): string {
  return `handoff_snapshot AS MATERIALIZED (
     SELECT s."id"::uuid AS "encounterId", s."patientId"::uuid AS "patientId", s."facilityCode", s."payer", s."visitType", s."coverage", row_to_json(s)::jsonb AS snapshot
     FROM (${snapshotSql(encounters, from)}) s),
   handoff_msg AS (
     INSERT INTO "HandoffMessage" ("encounterId", "patientId", target, event, "messageControlId", snapshot, status)
     SELECT hs."encounterId", hs."patientId", t.target::"HandoffTarget", CASE WHEN t.target = 'BHXH_XML0' THEN 'XML0' ELSE ${p.event}::text END, t.cid, hs.snapshot,
            CASE WHEN ${openCircuitSql('t.target::"HandoffTarget"', '(SELECT f."id" FROM "Facility" f WHERE f."code" = hs."facilityCode")')}
                 THEN 'WAITING_CONNECTION' ELSE 'PENDING' END::"HandoffStatus"
     FROM handoff_snapshot hs CROSS JOIN unnest(${p.targets}::text[], ${p.controlIds}::text[]) WITH ORDINALITY AS t(target, cid, n)
     WHERE t.target <> 'BHXH_XML0' OR (${p.event}::text = 'A04' AND ${xml0AppliesSql('hs')})
     ORDER BY hs."encounterId", t.n
     RETURNING target::text AS target, "patientId", status)`;
}

const ENQUEUE = prepared(
  'handoff-enqueue',
  `WITH ${outboxCtes('(SELECT * FROM "Encounter" WHERE "id" = $1::uuid)', { event: '$2', targets: '$3', controlIds: '$4' })}
  SELECT (SELECT count(*) FROM handoff_msg)::int AS messages`,
);

/** The hand-off of a change to an encounter (A08, A11; A04 outside the desk's check-in): call in its transaction. */
export async function enqueueHandoff(
  tx: Tx,
  input: { encounterId: string; event: HandoffEvent; targets?: HandoffTarget[] },
): Promise<void> {
  const targets = input.targets ?? configuredTargets();
  if (targets.length === 0) return;
  await sql(tx)(ENQUEUE, input.encounterId, input.event, targets, newControlIds(targets.length));
}

/** The bytes of an ADT^A40 (or its FHIR equivalent) from the merge's frozen snapshot. */
export function buildMergePayload(target: HandoffTarget, snapshot: MergeSnapshot, controlId: string, at: Date): string {
  if (target === 'HL7V2') return buildA40(snapshot, controlId, at);
  if (target === 'FHIR') return JSON.stringify(buildFhirMergeBundle(snapshot));
  throw new Error(`no merge message for ${target}`);
}

/**
 * A merge, for the HIS, in the merge's transaction: the merged record's undelivered messages join the survivor's
 * queue where their ids put them (they were written first, so they go first, unchanged: each says what happened
 * then), then one A40 per target (HL7 v2, FHIR; BHXH has no such message) naming both records. Returns the ids of the messages moved and of the A40 messages.
 */
export async function enqueueMerge(
  tx: Tx,
  input: {
    survivorId: string;
    mergedId: string;
    facilityId: string;
    snapshot: MergeSnapshot;
    targets?: HandoffTarget[];
  },
): Promise<{ moved: string[]; a40: string[] }> {
  const moved = await sql(tx)<{ id: string; target: HandoffTarget }>(
    `UPDATE "HandoffMessage" SET "patientId" = $1::uuid WHERE "patientId" = $2::uuid AND "status" <> 'DELIVERED'
     RETURNING "id"::text AS "id", "target"::text AS "target"`,
    input.survivorId,
    input.mergedId,
  );
  const targets = (input.targets ?? configuredTargets()).filter((t) => t !== 'BHXH_XML0');
  const a40 =
    targets.length === 0
      ? []
      : await sql(tx)<{ id: string }>(
          `INSERT INTO "HandoffMessage" ("encounterId", "facilityId", "patientId", "target", "event", "messageControlId", "snapshot")
     SELECT NULL, $1::uuid, $2::uuid, t.target::"HandoffTarget", 'A40', t.cid, $3::jsonb FROM unnest($4::text[], $5::text[]) WITH ORDINALITY AS t(target, cid, n)
     ORDER BY t.n RETURNING "id"::text AS "id"`,
          input.facilityId,
          input.survivorId,
          JSON.stringify(input.snapshot),
          targets,
          newControlIds(targets.length),
        );
  const ids = (rows: { id: string }[]) => rows.map((m) => m.id).sort((a, b) => Number(a) - Number(b));
  return { moved: ids(moved), a40: ids(a40) };
}
