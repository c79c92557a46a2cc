import { createDb } from '../db/client';
import { seedSyntheticPatients } from './synthetic';
import { searchPatients } from './search';
import { benchDatabase, printRow, timeEach } from '../reports/bench-db';

/**
 * `npm run bench:search` — patient search at volume (default 1,000,000 patients; BENCH_PATIENTS to change).
 * Prints p50/p95 of identifier and name searches through searchPatients(), beside baselines measured in the
 * same run: a plain SELECT by primary key, and (on a few samples) the name search with index scans disabled.
 * Target: p95 under 30 ms.
 */
const target = Number(process.env.BENCH_PATIENTS ?? 1_000_000);
const samples = Number(process.env.BENCH_SAMPLES ?? 300);
const { url, pool, stop } = await benchDatabase('tiepdon_bench_search');
const have = Number((await pool.query('SELECT count(*) FROM "Patient"')).rows[0].count);
if (have < target) {
  console.log(`Seeding ${target - have} synthetic patients (once; the database is kept)…`);
  await seedSyntheticPatients(pool, target - have, (done, total) => process.stdout.write(`\r  ${done}/${total}`));
  console.log('');
  await pool.query('ANALYZE "Patient"; ANALYZE "PatientIdentifier"');
}
const db = createDb(url, 2);
// Synthetic patients carry no hospital codes: any facility searches them the same way.
const facilityId = '00000000-0000-4000-8000-000000000000';

const pick = async (sql: string) => (await pool.query(sql, [samples])).rows;
const ids = await pick(
  `SELECT value FROM "PatientIdentifier" TABLESAMPLE SYSTEM (1) WHERE system = 'PERSONAL_ID' LIMIT $1`,
);
const pks = await pick(`SELECT id FROM "Patient" TABLESAMPLE SYSTEM (1) LIMIT $1`);
const names = await pick(
  `SELECT "fullName", "normalizedName", "birthYear" FROM "Patient" TABLESAMPLE SYSTEM (1) LIMIT $1`,
);
const typo = (s: string) => {
  const i = Math.max(1, Math.floor(s.length / 2));
  return s.slice(0, i) + (s[i] === 'a' ? 'e' : 'a') + s.slice(i + 1);
};
const swap = (s: string) => {
  const w = s.split(' ');
  return [w.at(-1), ...w.slice(0, -1)].join(' ');
};

console.log(`\nPatients: ${Math.max(have, target).toLocaleString('en')}  samples: ${samples}\n`);
await timeEach(ids.slice(0, 20), (r) => searchPatients(db, { facilityId, q: r.value })); // warm-up
printRow(
  'baseline: SELECT patient by primary key',
  await timeEach(pks, (r) => pool.query('SELECT * FROM "Patient" WHERE id = $1', [r.id])),
);
printRow(
  'identifier (12-digit personal ID)',
  await timeEach(ids, (r) => searchPatients(db, { facilityId, q: r.value })),
);
printRow('name, accented, as typed', await timeEach(names, (r) => searchPatients(db, { facilityId, q: r.fullName })));
printRow(
  'name, accented + birth year',
  await timeEach(names, (r) => searchPatients(db, { facilityId, q: r.fullName, birth: String(r.birthYear) })),
);
printRow(
  'name, no accents, words reordered',
  await timeEach(names, (r) => searchPatients(db, { facilityId, q: swap(r.normalizedName) })),
);
printRow('name, one typo', await timeEach(names, (r) => searchPatients(db, { facilityId, q: typo(r.normalizedName) })));
printRow(
  'name nobody has (one unknown word)',
  await timeEach(names.slice(0, 50), (r) => searchPatients(db, { facilityId, q: `${r.normalizedName} xoan` })),
);
// Not in the target: one common word matches ~5% of patients, and ordering them needs every match read.
printRow(
  'surname only (outside the target)',
  await timeEach(names.slice(0, 20), (r) => searchPatients(db, { facilityId, q: r.normalizedName.split(' ')[0] })),
);
// Baseline without the trigram index: a handful only (each is a full scan).
const few = names.slice(0, 5);
const noIndex = await timeEach(few, async (r) => {
  const client = await pool.connect();
  try {
    await client.query('BEGIN; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexscan = off');
    await client.query(
      `SELECT id FROM "Patient" WHERE "normalizedName" LIKE $1 ORDER BY similarity("normalizedName", $2) DESC LIMIT 21`,
      [`%${r.normalizedName.split(' ').at(-1)}%`, r.normalizedName],
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
});
printRow('baseline: name search without the index', noIndex);
await db.$disconnect();
await stop();
