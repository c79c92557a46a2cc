import { randomUUID } from 'node:crypto';
import type { DbTx } from '../db/client';

/**
 * Transactional outbox: call inside the same transaction that opens, changes or cancels an encounter, so the
 * hand-off to the HIS can never be lost or sent for something that was rolled back. The worker delivers it.
 * The message control id (HL7 MSH-10) is fixed here and stays the same across retries, so the HIS can drop
 * duplicates.
 */
export type HandoffEvent = 'A04' | 'A08' | 'A11';
export type HandoffTargetName = 'HL7V2' | 'FHIR' | 'BHXH_XML0';

/** Which targets this installation hands off to. HL7 v2 unless configured otherwise. */
export function configuredTargets(): HandoffTargetName[] {
  const targets: HandoffTargetName[] = [];
  if (process.env.HIS_MLLP_URL || !process.env.HIS_FHIR_URL) targets.push('HL7V2');
  if (process.env.HIS_FHIR_URL) targets.push('FHIR');
  return targets;
}

export async function enqueueHandoff(
  tx: DbTx,
  input: { encounterId: string; patientId: string; event: HandoffEvent; targets?: HandoffTargetName[] },
): Promise<void> {
  const targets = input.targets ?? configuredTargets();
  await tx.handoffMessage.createMany({
    data: targets.map((target) => ({
      encounterId: input.encounterId,
      patientId: input.patientId,
      target,
      event: input.event,
      messageControlId: `TD${randomUUID().replaceAll('-', '').toUpperCase()}`,
    })),
  });
}
