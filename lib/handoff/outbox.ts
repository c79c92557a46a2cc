import type { Env } from './config';
import { randomUUID } from 'node:crypto';
import { prepared, sql, type Tx } from '../db/pg';
import { buildAdt } from './hl7';
import { buildFhirBundle } from './fhir';
import { buildXml0, xml0Applies } from './xml0';
import { loadSnapshot, type HandoffSnapshot } from './snapshot';
import { DELIVER_TASK, jobKey, workerInstalled } from './jobs';

/**
 * Transactional outbox: call inside the same transaction that opens, changes or cancels an encounter, so the
 * hand-off to the HIS can never be lost or sent for something that was rolled back. The worker delivers it.
 * The message control id (HL7 MSH-10) is fixed here and stays the same across retries, so the HIS can drop
 * duplicates.
 *
 * The payload is built HERE, at enqueue time, from the data as the transaction sees it: an ADT message is a
 * notification of what happened at that moment (A04 = as registered, A08 = as corrected), so a later change
 * must not rewrite an earlier message, and every retry sends the same bytes under the same MSH-10.
 * Exceptions: the XML0 signature is added at first delivery (the certificate is a worker concern, and a
 * missing certificate must never block a check-in); a staff retry of a parked message rebuilds the payload
 * from current data (staff retry after fixing what the HIS rejected), keeping the MSH-10.
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

export function buildPayload(target: HandoffTargetName, snapshot: HandoffSnapshot, event: HandoffEvent, controlId: string): string {
  switch (target) {
    case 'HL7V2':
      return buildAdt(snapshot, event, controlId);
    case 'FHIR':
      return JSON.stringify(buildFhirBundle(snapshot, event));
    case 'BHXH_XML0':
      return buildXml0(snapshot);
  }
}

const INSERT = `INSERT INTO "HandoffMessage" ("encounterId", "patientId", target, event, "messageControlId", payload)
  SELECT $1::uuid, $2::uuid, t::"HandoffTarget", e, c, p FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r(t, e, c, p, n) ORDER BY n`;
const INSERT_MESSAGES = prepared('handoff-insert', INSERT);
// One round trip (it runs in every check-in): the rows and their delivery jobs together.
const INSERT_MESSAGES_AND_JOBS = prepared('handoff-insert-and-schedule',
  `WITH m AS (${INSERT})
   SELECT NULL AS x FROM unnest($7::text[], $8::text[]) AS j(key, payload),
     LATERAL graphile_worker.add_job($9::text, j.payload::json, job_key => j.key, max_attempts => 5, job_key_mode => 'preserve_run_at')`);

export async function enqueueHandoff(
  tx: Tx,
  /** `snapshot`: when the caller already read it in this transaction (openEncounter does, in its insert). */
  input: { encounterId: string; patientId: string; event: HandoffEvent; targets?: HandoffTargetName[]; snapshot?: HandoffSnapshot },
): Promise<void> {
  const snapshot = input.snapshot ?? await loadSnapshot(tx, input.encounterId);
  // XML0 is only the BHYT check-in of an outpatient visit (not emergencies, not updates/cancels: spec §2.2).
  const targets = (input.targets ?? configuredTargets()).filter((t) => t !== 'BHXH_XML0' || (input.event === 'A04' && xml0Applies(snapshot)));
  if (targets.length === 0) return;
  const rows = targets.map((target) => {
    const messageControlId = `TD${randomUUID().replaceAll('-', '').toUpperCase()}`;
    return [target, target === 'BHXH_XML0' ? 'XML0' : input.event, messageControlId, buildPayload(target, snapshot, input.event, messageControlId)];
  });
  const params = [input.encounterId, input.patientId, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])];
  if (!(await workerInstalled(tx))) {
    await sql(tx)(INSERT_MESSAGES, ...params); // no queue yet: the worker's start-up sweep schedules these rows
    return;
  }
  await sql(tx)(INSERT_MESSAGES_AND_JOBS,
    ...params, targets.map((t) => jobKey(t, input.patientId)), targets.map((t) => JSON.stringify({ target: t, patientId: input.patientId })), DELIVER_TASK);
}
