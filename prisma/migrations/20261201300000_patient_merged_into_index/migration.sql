-- Issue 14: "Patient"."mergedIntoId" had no index. Deleting a patient (its foreign key's check: "is any record
-- merged into this one?") and looking up the records merged into a survivor scanned every patient (a few
-- thousand deletes took over 13 minutes on 1,000,000 patients). Partial: only merged records (few) are indexed,
-- so the million live ones cost nothing on insert and the index stays tiny. Both look-ups ask for a given
-- survivor ("mergedIntoId" = $1), which implies IS NOT NULL, so the planner uses it.
CREATE INDEX "Patient_mergedIntoId_idx" ON "Patient"("mergedIntoId") WHERE "mergedIntoId" IS NOT NULL;
