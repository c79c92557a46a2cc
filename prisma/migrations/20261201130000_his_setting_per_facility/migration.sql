-- The HIS connection setting is per facility (issue 10): 'his.mllpUrl' becomes 'his.mllpUrl:<facility id>'.
-- An installation that had one address keeps using it for every facility it has; each admin may then change theirs.
INSERT INTO "Setting" ("key", "value", "updatedAt", "updatedBy")
SELECT 'his.mllpUrl:' || f."id"::text, s."value", s."updatedAt", s."updatedBy"
FROM "Setting" s CROSS JOIN "Facility" f
WHERE s."key" = 'his.mllpUrl'
ON CONFLICT ("key") DO NOTHING;
DELETE FROM "Setting" WHERE "key" = 'his.mllpUrl';
