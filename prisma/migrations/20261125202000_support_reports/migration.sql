-- CreateEnum
CREATE TYPE "HelpdeskService" AS ENUM ('ACTIVATE_VNEID_HEALTH_BOOK', 'LINK_BHYT');

-- CreateEnum
CREATE TYPE "HelpdeskOutcome" AS ENUM ('DONE', 'NOT_LEVEL_2', 'NO_PHONE', 'OTHER');

-- CreateTable
CREATE TABLE "PatientMerge" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "survivorId" UUID NOT NULL,
    "mergedId" UUID NOT NULL,
    "moved" JSONB NOT NULL,
    "reason" TEXT NOT NULL,
    "mergedBy" TEXT,
    "mergedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unmergedAt" TIMESTAMPTZ(3),
    "unmergedBy" TEXT,
    "unmergeReason" TEXT,

    CONSTRAINT "PatientMerge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HelpdeskEntry" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "facilityId" UUID NOT NULL,
    "requestId" UUID NOT NULL,
    "service" "HelpdeskService" NOT NULL,
    "outcome" "HelpdeskOutcome" NOT NULL,
    "patientId" UUID,
    "note" VARCHAR(200),
    "createdById" UUID,
    "createdBy" TEXT,
    "localDate" DATE NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HelpdeskEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WeeklyReport" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "facilityId" UUID NOT NULL,
    "weekStart" DATE NOT NULL,
    "weekEnd" DATE NOT NULL,
    "data" JSONB NOT NULL,
    "generatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "generatedBy" TEXT,

    CONSTRAINT "WeeklyReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PatientMerge_survivorId_idx" ON "PatientMerge"("survivorId");

-- CreateIndex
CREATE INDEX "PatientMerge_mergedId_idx" ON "PatientMerge"("mergedId");

-- CreateIndex
CREATE UNIQUE INDEX "HelpdeskEntry_requestId_key" ON "HelpdeskEntry"("requestId");

-- CreateIndex
CREATE INDEX "HelpdeskEntry_facilityId_localDate_idx" ON "HelpdeskEntry"("facilityId", "localDate");

-- CreateIndex
CREATE UNIQUE INDEX "WeeklyReport_facilityId_weekStart_key" ON "WeeklyReport"("facilityId", "weekStart");

-- SQL-only (listed in lib/db/drift.ts): accent-free, word-order- and typo-tolerant name search.
-- pg_trgm ships with PostgreSQL (contrib) and with embedded-postgres.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Patient_normalizedName_trgm_idx" ON "Patient" USING GIN ("normalizedName" gin_trgm_ops);
