-- Issue 12: monitoring (a MONITOR role for the API keys of Prometheus and the like), counters shared by the
-- processes that count (the hand-off workers), and the record of database backups.

-- AlterEnum: MONITOR reads /api/metrics and nothing else. Only API keys have it: never a person (the check
-- compares as text, since a new enum value cannot be used in the transaction that adds it).
ALTER TYPE "Role" ADD VALUE 'MONITOR';
ALTER TABLE "User" ADD CONSTRAINT "User_role_not_monitor" CHECK ("role"::text <> 'MONITOR');

-- CreateTable: cumulative counters (e.g. hand-offs delivered per target) that workers add to every few seconds.
CREATE TABLE "MetricCounter" (
    "name" VARCHAR(64) NOT NULL,
    "labels" VARCHAR(200) NOT NULL DEFAULT '',
    "value" BIGINT NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MetricCounter_pkey" PRIMARY KEY ("name", "labels")
);

-- CreateTable: one row per finished backup (lib/ops/backup.ts), for the admin page and the metrics.
CREATE TABLE "DatabaseBackup" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "file" TEXT NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "host" TEXT NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sizeBytes" BIGINT,
    "rows" BIGINT,
    "error" TEXT,

    CONSTRAINT "DatabaseBackup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DatabaseBackup_finishedAt_idx" ON "DatabaseBackup"("finishedAt");
