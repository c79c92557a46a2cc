-- CreateEnum
CREATE TYPE "Role" AS ENUM ('RECEPTIONIST', 'SUPPORT', 'MANAGER', 'ADMIN');

-- CreateEnum
CREATE TYPE "Sex" AS ENUM ('M', 'F');

-- CreateEnum
CREATE TYPE "IdentifierSystem" AS ENUM ('PERSONAL_ID', 'CMND', 'BHYT_CARD', 'BHXH_NUMBER', 'HOSPITAL_CODE');

-- CreateEnum
CREATE TYPE "BhytVerification" AS ENUM ('UNVERIFIED', 'VERIFIED', 'REJECTED');

-- CreateEnum
CREATE TYPE "EncounterStatus" AS ENUM ('REGISTERED', 'CHECKED_IN', 'IN_SERVICE', 'FINISHED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "VisitType" AS ENUM ('OUTPATIENT', 'EMERGENCY');

-- CreateEnum
CREATE TYPE "Payer" AS ENUM ('BHYT', 'SELF_PAY');

-- CreateEnum
CREATE TYPE "IdentificationMethod" AS ENUM ('CCCD_QR', 'VNEID', 'BHYT_QR', 'TYPED_ID', 'TYPED_BHYT', 'MANUAL');

-- CreateEnum
CREATE TYPE "TrustLevel" AS ENUM ('CARD_VERIFIED', 'INSURER_VERIFIED', 'TYPED', 'UNIDENTIFIED');

-- CreateEnum
CREATE TYPE "HandoffTarget" AS ENUM ('HL7V2', 'FHIR', 'BHXH_XML0');

-- CreateEnum
CREATE TYPE "HandoffStatus" AS ENUM ('PENDING', 'SENDING', 'DELIVERED', 'FAILED', 'PARKED');

-- CreateTable
CREATE TABLE "Facility" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "code" VARCHAR(5) NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Facility_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Room" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "facilityId" UUID NOT NULL,
    "code" VARCHAR(20) NOT NULL,
    "name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Room_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "User" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "facilityId" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "staffIdNumber" VARCHAR(12),
    "role" "Role" NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "failedLogins" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMPTZ(3),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "lastRoomId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserSession" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMPTZ(3),
    "endReason" TEXT,

    CONSTRAINT "UserSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiKey" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "keyHash" VARCHAR(64) NOT NULL,
    "role" "Role" NOT NULL,
    "facilityId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiKey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Patient" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "fullName" TEXT NOT NULL,
    "normalizedName" TEXT NOT NULL,
    "birthDate" VARCHAR(10) NOT NULL,
    "birthYear" SMALLINT NOT NULL,
    "sex" "Sex",
    "address" TEXT,
    "phone" VARCHAR(20),
    "mergedIntoId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PatientIdentifier" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "patientId" UUID NOT NULL,
    "system" "IdentifierSystem" NOT NULL,
    "value" VARCHAR(20) NOT NULL,
    "retiredAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PatientIdentifier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Coverage" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "patientId" UUID NOT NULL,
    "cardCode" VARCHAR(15),
    "bhxhNumber" VARCHAR(10),
    "benefitLevel" SMALLINT,
    "registeredFacility" VARCHAR(5),
    "validFrom" VARCHAR(10),
    "validTo" VARCHAR(10),
    "fiveYearsFrom" VARCHAR(10),
    "verification" "BhytVerification" NOT NULL DEFAULT 'UNVERIFIED',
    "verifiedAt" TIMESTAMPTZ(3),
    "gatewayResultCode" VARCHAR(10),
    "gatewayMessage" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Coverage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Encounter" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "number" VARCHAR(32) NOT NULL,
    "facilityId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "roomId" UUID NOT NULL,
    "coverageId" UUID,
    "localDate" DATE NOT NULL,
    "queueNumber" INTEGER NOT NULL,
    "status" "EncounterStatus" NOT NULL DEFAULT 'CHECKED_IN',
    "visitType" "VisitType" NOT NULL DEFAULT 'OUTPATIENT',
    "payer" "Payer" NOT NULL DEFAULT 'SELF_PAY',
    "priority" VARCHAR(20),
    "identificationMethod" "IdentificationMethod" NOT NULL,
    "trustLevel" "TrustLevel" NOT NULL,
    "bhytVerification" "BhytVerification",
    "createdById" UUID,
    "checkedInAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Encounter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EncounterStatusHistory" (
    "id" BIGSERIAL NOT NULL,
    "encounterId" UUID NOT NULL,
    "fromStatus" "EncounterStatus",
    "toStatus" "EncounterStatus" NOT NULL,
    "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "changedBy" TEXT,
    "reason" TEXT,

    CONSTRAINT "EncounterStatusHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DailyCounter" (
    "scope" VARCHAR(64) NOT NULL,
    "localDate" DATE NOT NULL,
    "value" INTEGER NOT NULL,

    CONSTRAINT "DailyCounter_pkey" PRIMARY KEY ("scope","localDate")
);

-- CreateTable
CREATE TABLE "HandoffMessage" (
    "id" BIGSERIAL NOT NULL,
    "encounterId" UUID NOT NULL,
    "patientId" UUID NOT NULL,
    "target" "HandoffTarget" NOT NULL,
    "event" VARCHAR(10) NOT NULL,
    "messageControlId" VARCHAR(40) NOT NULL,
    "payload" TEXT,
    "status" "HandoffStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "externalRef" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMPTZ(3),

    CONSTRAINT "HandoffMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" VARCHAR(40) NOT NULL,
    "outcome" VARCHAR(10) NOT NULL DEFAULT 'SUCCESS',
    "actorType" VARCHAR(10) NOT NULL,
    "actorId" UUID,
    "actorName" TEXT,
    "facilityId" UUID,
    "entityType" VARCHAR(30),
    "entityId" TEXT,
    "patientId" UUID,
    "purpose" TEXT,
    "ip" VARCHAR(45),
    "details" JSONB,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" VARCHAR(64) NOT NULL,
    "value" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedBy" TEXT,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Facility_code_key" ON "Facility"("code");

-- CreateIndex
CREATE UNIQUE INDEX "Room_facilityId_code_key" ON "Room"("facilityId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "UserSession_userId_idx" ON "UserSession"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey"("prefix");

-- CreateIndex
CREATE INDEX "Patient_normalizedName_birthYear_idx" ON "Patient"("normalizedName", "birthYear");

-- CreateIndex
CREATE INDEX "PatientIdentifier_patientId_idx" ON "PatientIdentifier"("patientId");

-- CreateIndex
CREATE UNIQUE INDEX "PatientIdentifier_system_value_key" ON "PatientIdentifier"("system", "value");

-- CreateIndex
CREATE INDEX "Coverage_patientId_idx" ON "Coverage"("patientId");

-- CreateIndex
CREATE UNIQUE INDEX "Encounter_number_key" ON "Encounter"("number");

-- CreateIndex
CREATE INDEX "Encounter_facilityId_localDate_idx" ON "Encounter"("facilityId", "localDate");

-- CreateIndex
CREATE INDEX "Encounter_patientId_idx" ON "Encounter"("patientId");

-- CreateIndex
CREATE UNIQUE INDEX "Encounter_roomId_localDate_queueNumber_key" ON "Encounter"("roomId", "localDate", "queueNumber");

-- CreateIndex
CREATE INDEX "EncounterStatusHistory_encounterId_idx" ON "EncounterStatusHistory"("encounterId");

-- CreateIndex
CREATE UNIQUE INDEX "HandoffMessage_messageControlId_key" ON "HandoffMessage"("messageControlId");

-- CreateIndex
CREATE INDEX "HandoffMessage_status_nextAttemptAt_idx" ON "HandoffMessage"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "HandoffMessage_encounterId_idx" ON "HandoffMessage"("encounterId");

-- CreateIndex
CREATE INDEX "HandoffMessage_patientId_id_idx" ON "HandoffMessage"("patientId", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "AuditEvent_patientId_at_idx" ON "AuditEvent"("patientId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- AddForeignKey
ALTER TABLE "Room" ADD CONSTRAINT "Room_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_lastRoomId_fkey" FOREIGN KEY ("lastRoomId") REFERENCES "Room"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UserSession" ADD CONSTRAINT "UserSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Patient" ADD CONSTRAINT "Patient_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Patient"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatientIdentifier" ADD CONSTRAINT "PatientIdentifier_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Coverage" ADD CONSTRAINT "Coverage_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_patientId_fkey" FOREIGN KEY ("patientId") REFERENCES "Patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_coverageId_fkey" FOREIGN KEY ("coverageId") REFERENCES "Coverage"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Encounter" ADD CONSTRAINT "Encounter_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EncounterStatusHistory" ADD CONSTRAINT "EncounterStatusHistory_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HandoffMessage" ADD CONSTRAINT "HandoffMessage_encounterId_fkey" FOREIGN KEY ("encounterId") REFERENCES "Encounter"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- SQL-only (Prisma schema cannot express partial indexes; listed in lib/db/drift.ts):
-- at most one non-cancelled encounter per patient, room and local day, even when two desks scan at once.
CREATE UNIQUE INDEX "Encounter_one_active_per_room_day" ON "Encounter"("patientId", "roomId", "localDate") WHERE "status" <> 'CANCELLED';
