-- Encounter numbers become <facility>-<yyMMdd>-<room>-<queue> (unique because the queue number is unique per
-- room and day), so check-ins no longer queue behind one facility-wide counter row.
-- AlterTable
ALTER TABLE "Encounter" ALTER COLUMN "number" SET DATA TYPE VARCHAR(40);
