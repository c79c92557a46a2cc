-- Every check-in writes one Encounter and one HandoffMessage row, and each index is one more write. These two
-- indexes repeat the leading columns of the covering indexes of 20261125204000_search_intake_perf, which serve
-- the same look-ups (by facility and day; by encounter): they only cost writes.
-- DropIndex
DROP INDEX "Encounter_facilityId_localDate_idx";

-- DropIndex
DROP INDEX "HandoffMessage_encounterId_idx";
