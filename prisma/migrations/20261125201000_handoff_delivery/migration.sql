-- AlterTable
ALTER TABLE "HandoffMessage" ADD COLUMN     "lastAckCode" VARCHAR(10),
ADD COLUMN     "leaseUntil" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "HandoffAttempt" (
    "id" BIGSERIAL NOT NULL,
    "messageId" BIGINT NOT NULL,
    "encounterId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "outcome" VARCHAR(20) NOT NULL,
    "ackCode" VARCHAR(10),
    "detail" TEXT,
    "actor" TEXT,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "HandoffAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HandoffAttempt_encounterId_id_idx" ON "HandoffAttempt"("encounterId", "id");

-- CreateIndex
CREATE INDEX "HandoffAttempt_messageId_idx" ON "HandoffAttempt"("messageId");

-- AddForeignKey
ALTER TABLE "HandoffAttempt" ADD CONSTRAINT "HandoffAttempt_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "HandoffMessage"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
