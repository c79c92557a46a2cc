import { createDb } from '../db/client';
import { addDays, intakeForDay } from './intake';
import { benchDatabase, printRow, timeEach } from './bench-db';

/**
 * `npm run bench:intake` — the daily intake query at volume (default 5,000,000 encounters over 1,000 local days,
 * 5,000 a day in 9 rooms; BENCH_ENCOUNTERS to change), one HandoffMessage per encounter on the measured days.
 * Prints p50/p95 of intakeForDay() beside a baseline measured in the same run: a plain count of the day's
 * encounters on the same index. Target: under 200 ms.
 */
const target = Number(process.env.BENCH_ENCOUNTERS ?? 5_000_000);
const perDay = 5000;
const { url, pool, stop } = await benchDatabase('tiepdon_bench_intake');
const facilityCode = '59998';
await pool.query(`INSERT INTO "Facility" (code, name) VALUES ($1, 'Cơ sở benchmark') ON CONFLICT DO NOTHING`, [
  facilityCode,
]);
const facilityId: string = (await pool.query('SELECT id FROM "Facility" WHERE code = $1', [facilityCode])).rows[0].id;
await pool.query(
  `INSERT INTO "Room" ("facilityId", code, name, department)
  SELECT $1, 'P0' || g, 'Phòng ' || g, 'Khám bệnh' FROM generate_series(1, 9) g ON CONFLICT DO NOTHING`,
  [facilityId],
);
await pool.query(`INSERT INTO "Patient" ("fullName", "normalizedName", "birthDate", "birthYear", "updatedAt")
  SELECT 'Bench ' || g, 'bench ' || g, '1980', 1980, now() FROM generate_series(1, ${perDay} - (SELECT count(*) FROM "Patient")) g`);
const have = Number((await pool.query('SELECT count(*) FROM "Encounter"')).rows[0].count);
const start = '2024-01-01';
if (have < target) {
  console.log(`Inserting ${target - have} encounters (once; the database is kept)…`);
  const batch = 500_000;
  for (let from = have; from < target; from += batch) {
    const to = Math.min(target, from + batch) - 1;
    // encounter g: local day g / perDay, patient and room from g % perDay (one visit per patient, room and day).
    await pool.query(
      `
      WITH p AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM "Patient"),
           r AS (SELECT id, row_number() OVER (ORDER BY code) - 1 AS k FROM "Room" WHERE "facilityId" = $1)
      INSERT INTO "Encounter" (number, "facilityId", "patientId", "roomId", "localDate", "queueNumber", status, payer,
                               "identificationMethod", "trustLevel", "bhytVerification", "checkedInAt", "updatedAt")
      SELECT 'B' || g, $1, p.id, r.id, d, (g % ${perDay})::int + 1,
             (CASE WHEN g % 50 = 0 THEN 'CANCELLED' ELSE 'CHECKED_IN' END)::"EncounterStatus",
             (CASE WHEN g % 3 = 0 THEN 'SELF_PAY' ELSE 'BHYT' END)::"Payer",
             (ARRAY['CCCD_QR','VNEID','BHYT_QR','TYPED_ID','TYPED_BHYT','MANUAL'])[1 + g % 6]::"IdentificationMethod", 'TYPED',
             (CASE WHEN g % 3 = 0 THEN NULL WHEN g % 7 = 0 THEN 'UNVERIFIED' ELSE 'VERIFIED' END)::"BhytVerification",
             (d + time '06:00' + (g % ${perDay}) * interval '6 seconds') AT TIME ZONE 'Asia/Ho_Chi_Minh', now()
      FROM generate_series($2::bigint, $3::bigint) g
      CROSS JOIN LATERAL (SELECT ($4::date + (g / ${perDay})::int) AS d) day
      JOIN p ON p.k = g % ${perDay} JOIN r ON r.k = (g % ${perDay}) % 9`,
      [facilityId, from, to, start],
    );
    process.stdout.write(`\r  ${to + 1}/${target}`);
  }
  console.log('');
  await pool.query('ANALYZE "Encounter"');
}
const days = Math.floor(target / perDay);
const sample = Array.from({ length: 30 }, (_, i) => addDays(start, Math.floor(((i + 0.5) * days) / 30)));
// Hand-off rows for the measured days, so the median-to-HIS and failure parts do real work.
await pool.query(
  `
  INSERT INTO "HandoffMessage" ("encounterId", "patientId", target, event, "messageControlId", status, "deliveredAt")
  SELECT e.id, e."patientId", 'HL7V2', 'A04', 'b-' || e.id, (CASE WHEN e."queueNumber" % 40 = 0 THEN 'FAILED' ELSE 'DELIVERED' END)::"HandoffStatus",
         e."checkedInAt" + (e."queueNumber" % 300) * interval '1 second'
  FROM "Encounter" e WHERE e."facilityId" = $1 AND e."localDate" = ANY($2::date[]) ON CONFLICT DO NOTHING`,
  [facilityId, sample],
);
const db = createDb(url, 2);
const total = Number((await pool.query('SELECT count(*) FROM "Encounter"')).rows[0].count);
console.log(`\nEncounters: ${total.toLocaleString('en')}  (${perDay} a day)  days sampled: ${sample.length}\n`);
await timeEach(sample.slice(0, 3), (d) => intakeForDay(db, facilityId, d)); // warm-up
printRow(
  'baseline: count(*) of the day (same index)',
  await timeEach(sample, (d) =>
    pool.query('SELECT count(*) FROM "Encounter" WHERE "facilityId" = $1 AND "localDate" = $2', [facilityId, d]),
  ),
);
printRow(
  'intakeForDay (all breakdowns, one statement)',
  await timeEach(sample, (d) => intakeForDay(db, facilityId, d)),
);
await db.$disconnect();
await stop();
