-- Merges reach the HIS (issue 15): an ADT^A40 is about two patient records, not a visit. Its outbox row has no
-- encounter; it names the facility whose HIS it is for instead. Its attempt-log rows have no encounter either.
ALTER TABLE "HandoffMessage" ALTER COLUMN "encounterId" DROP NOT NULL;
ALTER TABLE "HandoffMessage" ADD COLUMN "facilityId" UUID;
ALTER TABLE "HandoffMessage" ADD CONSTRAINT "HandoffMessage_facilityId_fkey" FOREIGN KEY ("facilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
-- SQL-only: a message is about a visit, or (a merge) names its facility.
ALTER TABLE "HandoffMessage" ADD CONSTRAINT "HandoffMessage_visit_or_facility" CHECK ("encounterId" IS NOT NULL OR "facilityId" IS NOT NULL);
ALTER TABLE "HandoffAttempt" ALTER COLUMN "encounterId" DROP NOT NULL;

-- An unmerge cannot be sent to the HIS (HL7 v2 has no undo for A40): what the HIS staff must undo by hand is kept.
ALTER TABLE "PatientMerge" ADD COLUMN "hisNote" TEXT;
