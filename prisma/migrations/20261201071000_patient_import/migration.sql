-- Importing the HIS's patient master (issue 15): one row per import run (its file's hash, its progress cursors and
-- its report), the file's rows staged for set-based SQL, and the rows refused or in conflict, for the report.

-- CreateTable
CREATE TABLE "PatientImport" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "facilityId" UUID NOT NULL,
    "fileName" VARCHAR(200) NOT NULL,
    "fileHash" VARCHAR(64) NOT NULL,
    "fileBytes" BIGINT NOT NULL,
    "format" VARCHAR(5) NOT NULL,
    "encoding" VARCHAR(10),
    "columns" JSONB NOT NULL,
    "dryRun" BOOLEAN NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "headerRow" INTEGER NOT NULL,
    "stagedTo" INTEGER NOT NULL DEFAULT 0,
    "appliedTo" INTEGER NOT NULL DEFAULT 0,
    "lastRow" INTEGER,
    "blankRows" INTEGER NOT NULL DEFAULT 0,
    "progress" SMALLINT NOT NULL DEFAULT 0,
    "counts" JSONB,
    "error" TEXT,
    "startedBy" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "PatientImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PatientImportRow" (
    "importId" UUID NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "hospitalCode" VARCHAR(20),
    "fullName" TEXT,
    "normalizedName" TEXT,
    "birthDate" VARCHAR(10),
    "sex" "Sex",
    "personalId" VARCHAR(12),
    "cmnd" VARCHAR(9),
    "bhytCard" VARCHAR(15),
    "bhxhNumber" VARCHAR(10),
    "bhytFrom" VARCHAR(10),
    "bhytTo" VARCHAR(10),
    "phone" VARCHAR(20),
    "address" TEXT,
    "leadRow" INTEGER,
    "patientId" UUID,

    CONSTRAINT "PatientImportRow_pkey" PRIMARY KEY ("importId","rowNumber")
);

-- CreateTable
CREATE TABLE "PatientImportIssue" (
    "id" BIGSERIAL NOT NULL,
    "importId" UUID NOT NULL,
    "rowNumber" INTEGER NOT NULL,
    "kind" VARCHAR(10) NOT NULL,
    "column" VARCHAR(100),
    "message" TEXT NOT NULL,
    "detail" JSONB,

    CONSTRAINT "PatientImportIssue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PatientImport_facilityId_fileHash_idx" ON "PatientImport"("facilityId", "fileHash");

-- CreateIndex
CREATE INDEX "PatientImportIssue_importId_rowNumber_idx" ON "PatientImportIssue"("importId", "rowNumber");

-- AddForeignKey
ALTER TABLE "PatientImport" ADD CONSTRAINT "PatientImport_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatientImportRow" ADD CONSTRAINT "PatientImportRow_importId_fkey" FOREIGN KEY ("importId") REFERENCES "PatientImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PatientImportIssue" ADD CONSTRAINT "PatientImportIssue_importId_fkey" FOREIGN KEY ("importId") REFERENCES "PatientImport"("id") ON DELETE CASCADE ON UPDATE CASCADE;
