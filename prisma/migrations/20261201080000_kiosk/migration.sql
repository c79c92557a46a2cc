-- Self check-in kiosks (issue 16): the channel an encounter was opened through, kiosk devices with their
-- offered rooms, and kiosk visits (scan → ticket / counter) for the managers' figures.

-- CreateEnum
CREATE TYPE "CheckinChannel" AS ENUM ('DESK', 'KIOSK', 'API');

-- AlterTable: existing encounters were opened at desks or through API keys; API-key check-ins are told apart
-- from desk ones by the audit row of their opening.
ALTER TABLE "Encounter" ADD COLUMN "channel" "CheckinChannel" NOT NULL DEFAULT 'DESK';
UPDATE "Encounter" e SET "channel" = 'API'
  FROM "AuditEvent" a
  WHERE a."entityType" = 'Encounter' AND a."entityId" = e.id::text AND a.action = 'ENCOUNTER_OPENED' AND a."actorType" = 'API_KEY';

-- The intake report reads the channel from its covering index (index-only scan), as it does the other breakdowns.
DROP INDEX "Encounter_intake_covering_idx";
CREATE INDEX "Encounter_intake_covering_idx" ON "Encounter"("facilityId", "localDate") INCLUDE ("id", "status", "payer", "identificationMethod", "bhytVerification", "roomId", "checkedInAt", "channel");

-- CreateTable
CREATE TABLE "Kiosk" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "facilityId" UUID NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "offersBhyt" BOOLEAN NOT NULL DEFAULT true,
    "offersSelfPay" BOOLEAN NOT NULL DEFAULT true,
    "bhytStaffId" UUID,
    "pairingCodeHash" VARCHAR(64),
    "pairingExpiresAt" TIMESTAMPTZ(3),
    "deviceTokenHash" VARCHAR(64),
    "pairedAt" TIMESTAMPTZ(3),
    "lastSeenAt" TIMESTAMPTZ(3),
    "disabledAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Kiosk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KioskRoom" (
    "kioskId" UUID NOT NULL,
    "roomId" UUID NOT NULL,
    "position" SMALLINT NOT NULL,

    CONSTRAINT "KioskRoom_pkey" PRIMARY KEY ("kioskId","roomId")
);

-- CreateTable
CREATE TABLE "KioskVisit" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kioskId" UUID NOT NULL,
    "facilityId" UUID NOT NULL,
    "localDate" DATE NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),
    "outcome" VARCHAR(12),
    "reason" VARCHAR(30),
    "encounterId" UUID,

    CONSTRAINT "KioskVisit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Kiosk_deviceTokenHash_key" ON "Kiosk"("deviceTokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "Kiosk_facilityId_name_key" ON "Kiosk"("facilityId", "name");

-- CreateIndex
CREATE INDEX "KioskVisit_facilityId_localDate_idx" ON "KioskVisit"("facilityId", "localDate");

-- CreateIndex
CREATE INDEX "KioskVisit_kioskId_startedAt_idx" ON "KioskVisit"("kioskId", "startedAt");

-- AddForeignKey
ALTER TABLE "Kiosk" ADD CONSTRAINT "Kiosk_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Kiosk" ADD CONSTRAINT "Kiosk_bhytStaffId_fkey" FOREIGN KEY ("bhytStaffId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KioskRoom" ADD CONSTRAINT "KioskRoom_kioskId_fkey" FOREIGN KEY ("kioskId") REFERENCES "Kiosk"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KioskRoom" ADD CONSTRAINT "KioskRoom_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KioskVisit" ADD CONSTRAINT "KioskVisit_kioskId_fkey" FOREIGN KEY ("kioskId") REFERENCES "Kiosk"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
