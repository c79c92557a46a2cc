-- A hospital's patient code (HOSPITAL_CODE, mã người bệnh) means something only in the facility that assigned it:
-- two hospitals may both have a "BN000123". The code now names its facility (the assigning authority of HL7
-- PID-3), and is unique per facility; the national numbers (personal ID, CMND, BHYT, BHXH) stay unique nationally.

-- AlterTable
ALTER TABLE "PatientIdentifier" ADD COLUMN "assigningFacilityId" UUID;

-- Codes recorded before this migration: the facility of the patient's first visit, else the oldest facility.
UPDATE "PatientIdentifier" i SET "assigningFacilityId" = COALESCE(
    (SELECT e."facilityId" FROM "Encounter" e WHERE e."patientId" = i."patientId" ORDER BY e."checkedInAt" LIMIT 1),
    (SELECT f."id" FROM "Facility" f ORDER BY f."createdAt", f."id" LIMIT 1))
WHERE i."system" = 'HOSPITAL_CODE';
DELETE FROM "PatientIdentifier" WHERE "system" = 'HOSPITAL_CODE' AND "assigningFacilityId" IS NULL; -- no facility exists at all

-- SQL-only (schema.prisma cannot say it): a facility for hospital codes, and only for them.
ALTER TABLE "PatientIdentifier" ADD CONSTRAINT "PatientIdentifier_facility_for_hospital_code"
    CHECK (("system" = 'HOSPITAL_CODE') = ("assigningFacilityId" IS NOT NULL));

-- AddForeignKey
ALTER TABLE "PatientIdentifier" ADD CONSTRAINT "PatientIdentifier_assigningFacilityId_fkey" FOREIGN KEY ("assigningFacilityId") REFERENCES "Facility"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One index still serves every look-up by (system, value), as before; NULLS NOT DISTINCT (PostgreSQL 15+, not
-- expressible in schema.prisma) keeps a national number unique although its facility column is NULL.
DROP INDEX "PatientIdentifier_system_value_key";
CREATE UNIQUE INDEX "PatientIdentifier_system_value_assigningFacilityId_key" ON "PatientIdentifier"("system", "value", "assigningFacilityId") NULLS NOT DISTINCT;
