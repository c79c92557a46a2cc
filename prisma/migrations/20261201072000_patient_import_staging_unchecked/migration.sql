-- Staged import rows are written a million at a time: a foreign-key check per row (a look-up of the job row) cost
-- as much as writing the row. The import code owns these rows and deletes them with their job (lib/patients/import).
ALTER TABLE "PatientImportRow" DROP CONSTRAINT "PatientImportRow_importId_fkey";
ALTER TABLE "PatientImportIssue" DROP CONSTRAINT "PatientImportIssue_importId_fkey";
