-- CreateTable
CREATE TABLE "PatientNameWord" (
    "word" TEXT NOT NULL,

    CONSTRAINT "PatientNameWord_pkey" PRIMARY KEY ("word")
);

-- SQL-only (listed in lib/db/drift.ts): name search by whole words, in any order, narrowed by birth year in the
-- same index. btree_gin (contrib, shipped with PostgreSQL and with embedded-postgres) gives GIN its smallint class.
-- lib/patients/search.ts must use exactly this expression: string_to_array("normalizedName", ' ').
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX "Patient_nameWords_birthYear_idx" ON "Patient" USING GIN (string_to_array("normalizedName", ' '), "birthYear");

-- SQL-only: closest spellings of a mistyped word (pg_trgm was created by 20261125202000_support_reports).
CREATE INDEX "PatientNameWord_word_trgm_idx" ON "PatientNameWord" USING GIN ("word" gin_trgm_ops);

-- The vocabulary of name words, kept complete by triggers whoever writes "Patient" (Prisma, raw SQL, seeds).
-- Statement-level with transition tables, so bulk inserts add words once per statement; words are inserted in
-- sorted order so two transactions adding the same new words cannot deadlock. Words are never removed: a stale
-- word only costs a probe that finds nobody.
CREATE FUNCTION "PatientNameWord_collect"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "PatientNameWord" ("word")
    SELECT DISTINCT w FROM new_rows, unnest(string_to_array(new_rows."normalizedName", ' ')) AS w
    WHERE w <> '' ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER "Patient_nameWords_insert" AFTER INSERT ON "Patient"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "PatientNameWord_collect"();

CREATE TRIGGER "Patient_nameWords_update" AFTER UPDATE ON "Patient"
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "PatientNameWord_collect"();

-- Backfill from the patients already there.
INSERT INTO "PatientNameWord" ("word")
SELECT DISTINCT w FROM "Patient", unnest(string_to_array("normalizedName", ' ')) AS w WHERE w <> '';

-- SQL-only (INCLUDE cannot be written in schema.prisma): the daily intake report reads a day's encounters and
-- their hand-off messages from these indexes alone (index-only scans once autovacuum has set the visibility map).
-- On a large existing table, building them blocks writes for a while: run this migration outside opening hours.
CREATE INDEX "Encounter_intake_covering_idx" ON "Encounter"("facilityId", "localDate") INCLUDE ("id", "status", "payer", "identificationMethod", "bhytVerification", "roomId", "checkedInAt");

CREATE INDEX "HandoffMessage_intake_covering_idx" ON "HandoffMessage"("encounterId") INCLUDE ("status", "deliveredAt");
