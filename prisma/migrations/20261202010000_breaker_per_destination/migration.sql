-- The hand-off circuit breaker is per destination, not per target type (lib/handoff/breaker.ts): each facility
-- sends its HL7 v2 messages to its own HIS (its MLLP setting), so one facility's HIS outage must hold that
-- facility's messages only. "key" names the destination: 'HL7V2@<facility id>' for a facility's own HIS;
-- the target type alone ('HL7V2' when HIS_MLLP_URL sends every facility to one HIS, 'FHIR', 'BHXH_XML0') for a
-- destination shared by the whole installation. "facilityId" is the facility whose messages the row covers
-- (NULL: every facility's). Existing rows (one per target type) keep their meaning under the key of their type.
ALTER TABLE "HandoffTargetState" ADD COLUMN "key" TEXT;
ALTER TABLE "HandoffTargetState" ADD COLUMN "facilityId" UUID;
UPDATE "HandoffTargetState" SET "key" = "target"::text;
ALTER TABLE "HandoffTargetState" ALTER COLUMN "key" SET NOT NULL;
ALTER TABLE "HandoffTargetState" DROP CONSTRAINT "HandoffTargetState_pkey";
ALTER TABLE "HandoffTargetState" ADD CONSTRAINT "HandoffTargetState_pkey" PRIMARY KEY ("key");
