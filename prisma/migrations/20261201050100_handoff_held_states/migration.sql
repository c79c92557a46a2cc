-- "The HIS is down" or "no HIS configured yet" is not "the message failed" (lib/handoff/breaker.ts):
-- WAITING_CONNECTION: held while the target's circuit is open (connection failures), released when it answers;
-- WAITING_CONFIG: held because no address is configured for the target, released when one is saved.
-- Neither counts attempts against the message's limit; only a real rejection parks a message for staff.
-- AlterEnum
ALTER TYPE "HandoffStatus" ADD VALUE 'WAITING_CONNECTION';
ALTER TYPE "HandoffStatus" ADD VALUE 'WAITING_CONFIG';

-- One row per hand-off target: its circuit breaker, shared by every worker.
-- CreateTable
CREATE TABLE "HandoffTargetState" (
    "target" "HandoffTarget" NOT NULL,
    "state" VARCHAR(10) NOT NULL DEFAULT 'CLOSED',
    "failures" INTEGER NOT NULL DEFAULT 0,
    "openedAt" TIMESTAMPTZ(3),
    "nextProbeAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HandoffTargetState_pkey" PRIMARY KEY ("target")
);
