-- Every running worker and web server writes its heartbeat here (lib/ops/heartbeat.ts): health, metrics and the
-- admin page read which processes are alive, and a worker whose heartbeat went stale gets its graphile-worker
-- job locks released by the others within a minute (graphile-worker's own stale-lock timeout is 4 hours).
-- CreateTable
CREATE TABLE "ProcessHeartbeat" (
    "id" VARCHAR(64) NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "jobPoolId" VARCHAR(64),
    "restarts" INTEGER NOT NULL DEFAULT 0,
    "lastExit" TEXT,
    "details" JSONB,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessHeartbeat_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProcessHeartbeat_kind_lastSeenAt_idx" ON "ProcessHeartbeat"("kind", "lastSeenAt");
