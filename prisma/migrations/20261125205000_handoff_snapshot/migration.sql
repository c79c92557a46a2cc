-- The hand-off message keeps what the encounter looked like when it was written (its snapshot, frozen in the
-- encounter's own statement); the worker renders the HL7/FHIR/XML0 bytes from it at first delivery and stores
-- them in "payload". This lets a check-in write its encounter, hand-off and audit rows in one statement.
-- AlterTable
ALTER TABLE "HandoffMessage" ADD COLUMN     "snapshot" JSONB;
