import type { Db } from '../db/client';
import type { Actor } from '../auth/roles';
import { checkBhytCard, gatewaySettings } from '../insurance/gateway-client';
import { verifyCoverage } from '../insurance/verify';
import type { OpenedEncounter } from './open';
import type { BhytVerification } from '../codes';

/** How long the desk waits for the BHXH gateway before handing out the number "BHYT chưa xác minh". */
export const CHECKIN_GATEWAY_TIMEOUT_MS = 3_000;

/**
 * Right after a BHYT check-in commits, ask the BHXH gateway about the card (with the receptionist's name and
 * CCCD, as BHXH requires). The encounter already exists: a slow or absent gateway only leaves it
 * "BHYT chưa xác minh" for the worklist. Returns the verification now recorded, or null when not asked.
 */
export async function verifyBhytAfterCheckIn(
  db: Db,
  actor: Actor,
  encounter: OpenedEncounter,
): Promise<{ verification: BhytVerification; message: string } | null> {
  if (encounter.payer !== 'BHYT' || encounter.bhytVerification !== 'UNVERIFIED' || !encounter.coverageId) return null;
  if (!gatewaySettings() || actor.kind !== 'USER') return null;
  const staff = await db.user.findUnique({ where: { id: actor.id }, select: { fullName: true, staffIdNumber: true } });
  if (!staff?.staffIdNumber) return null;
  const outcome = await verifyCoverage(db, { coverageId: encounter.coverageId }, staff, {
    actor,
    check: (input) => checkBhytCard(input, { timeoutMs: CHECKIN_GATEWAY_TIMEOUT_MS }),
  });
  if (outcome.verification === 'VERIFIED' && encounter.trustLevel === 'TYPED') {
    await db.encounter.update({ where: { id: encounter.id }, data: { trustLevel: 'INSURER_VERIFIED' } });
  }
  return { verification: outcome.verification, message: outcome.message };
}
