import type { Env } from './config';
import { randomUUID } from 'node:crypto';
import { prepared, sql, type Tx } from '../db/pg';
import { buildAdt } from './hl7';
import { buildFhirBundle } from './fhir';
import { buildXml0, xml0AppliesSql } from './xml0';
import { snapshotSql, type HandoffSnapshot } from './snapshot';
import { addJobSql, workerInstalled } from './jobs';

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
export type HandoffTargetName = 'HL7V2' | 'FHIR' | 'BHXH_XML0';

/** Which targets this installation hands off to. HL7 v2 unless configured otherwise. */
export function configuredTargets(env: Env = process.env): HandoffTargetName[] {
  const targets: HandoffTargetName[] = [];
  if (env.HIS_MLLP_URL || !env.HIS_FHIR_URL) targets.push('HL7V2');
  if (env.HIS_FHIR_URL) targets.push('FHIR');
  // The hospital decides who sends the BHXH check-in: the HIS (default) or this app — never both (spec §0.4).
  if (env.BHXH_XML0_SENDER === 'app') targets.push('BHXH_XML0');
  return targets;
}

/** The bytes of a message, from its snapshot; `at` (the row's creation time) is the HL7 message time. */
export function buildPayload(target: HandoffTargetName, snapshot: HandoffSnapshot, event: HandoffEvent, controlId: string, at: Date): string {
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
 * `encounters` (e.g. a CTE that just inserted one), each with the encounter's snapshot, plus its delivery job
 * when the job queue is installed. `targets`/`controlIds` are text[] parameters (`$n`), `event` a text one.
 * XML0 is only the BHYT check-in of an outpatient visit (spec §2.2). The statement must read `handoff_job`
 * (e.g. `(SELECT n FROM handoff_job)`) so the jobs are added. The snapshot is MATERIALIZED: read once per
 * encounter, not once per target — which also keeps the statement's generic plan cheap enough for PostgreSQL
 * to reuse it instead of planning this statement on every check-in.
 */
export function outboxCtes(encounters: string, p: { event: string; targets: string; controlIds: string }, withJobs: boolean): string {
  return `handoff_snapshot AS MATERIALIZED (
     SELECT s."id"::uuid AS "encounterId", s."patientId"::uuid AS "patientId", s."payer", s."visitType", s."coverage", row_to_json(s)::jsonb AS snapshot
     FROM (${snapshotSql(encounters)}) s),
   handoff_msg AS (
     INSERT INTO "HandoffMessage" ("encounterId", "patientId", target, event, "messageControlId", snapshot)
     SELECT hs."encounterId", hs."patientId", t.target::"HandoffTarget", CASE WHEN t.target = 'BHXH_XML0' THEN 'XML0' ELSE ${p.event}::text END, t.cid, hs.snapshot
     FROM handoff_snapshot hs CROSS JOIN unnest(${p.targets}::text[], ${p.controlIds}::text[]) WITH ORDINALITY AS t(target, cid, n)
     WHERE t.target <> 'BHXH_XML0' OR (${p.event}::text = 'A04' AND ${xml0AppliesSql('hs')})
     ORDER BY hs."encounterId", t.n
     RETURNING target::text AS target, "patientId"),
   handoff_job AS (
     SELECT count(${withJobs ? addJobSql('m.target', 'm."patientId"') : '*'}) AS n FROM handoff_msg m)`;
}

const enqueueSql = (withJobs: boolean) => `WITH ${outboxCtes('(SELECT * FROM "Encounter" WHERE "id" = $1::uuid)', { event: '$2', targets: '$3', controlIds: '$4' }, withJobs)}
  SELECT (SELECT count(*) FROM handoff_msg)::int AS messages, (SELECT n FROM handoff_job) AS jobs`;
const ENQUEUE = { plain: prepared('handoff-enqueue', enqueueSql(false)), withJobs: prepared('handoff-enqueue-and-schedule', enqueueSql(true)) };

/** The hand-off of a change to an encounter (A08, A11; A04 outside the desk's check-in): call in its transaction. */
export async function enqueueHandoff(
  tx: Tx,
  input: { encounterId: string; event: HandoffEvent; targets?: HandoffTargetName[] },
): Promise<void> {
  const targets = input.targets ?? configuredTargets();
  if (targets.length === 0) return;
  // Before any worker has ever started there is no job queue yet: the rows are written, and the worker's
  // start-up sweep schedules them.
  const statement = (await workerInstalled(tx)) ? ENQUEUE.withJobs : ENQUEUE.plain;
  await sql(tx)(statement, input.encounterId, input.event, targets, newControlIds(targets.length));
}
