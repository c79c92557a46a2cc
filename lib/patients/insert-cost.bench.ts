import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { withDatabase } from '../db/connection-info';
import { testServer } from '../db/test-database';
import { normalizeVietnameseName } from '../identity';

/**
 * `npm run bench:patient-insert` — what creating one patient costs PostgreSQL, and how much of it the name
 * search's upkeep takes: the name-word trigger (PatientNameWord) and the GIN indexes of migration
 * 20261125204000_search_intake_perf (words + birth year; trigrams), beside the bare row. Runs on the check-in
 * benchmark's database (`tiepdon_bench`, 1,000,000 patients: `npm run bench:checkin` makes it), each variant in a
 * transaction that is rolled back, so nothing stays. One INSERT per patient, as the desk does; the measure is the
 * backend's CPU time (/proc), which a busy machine disturbs far less than wall time.
 * Options (env): INSERTS (5000 per variant), BENCH_DATABASE (tiepdon_bench).
 */
const INSERTS = Number(process.env.INSERTS ?? 5_000);
const server = await testServer();
const client = new pg.Client({
  connectionString: withDatabase(server.serverUrl, process.env.BENCH_DATABASE ?? 'tiepdon_bench'),
});
await client.connect();
const backend = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
const tick = 10; // ms per clock tick (CLK_TCK 100)
const cpuMs = () => {
  const f = fs.readFileSync(`/proc/${backend}/stat`, 'utf8');
  const x = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(x[11]) + Number(x[12])) * tick;
};

const WORDS = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Văn',
  'Thị',
  'Ngọc',
  'An',
  'Bình',
  'Hà',
  'Lan',
  'Mai',
  'Nam',
  'Phúc',
  'Thảo',
  'Vy',
  'Yến',
];
const INSERT = `WITH p AS (
    INSERT INTO "Patient" (id, "fullName", "normalizedName", "birthDate", "birthYear", sex, address, "updatedAt")
    VALUES ($1, $2, $3, '1980-01-01', 1980, 'F', '1 Thống Nhất, Phường Phủ Hà, Tỉnh Khánh Hòa', now()) RETURNING id)
  INSERT INTO "PatientIdentifier" ("patientId", system, value) SELECT id, 'PERSONAL_ID', $4 FROM p`;

const variants: { name: string; setup: string[] }[] = [
  { name: 'as deployed (trigger + 2 GIN + btree)', setup: [] },
  {
    name: 'without the name-word trigger',
    setup: ['ALTER TABLE "Patient" DISABLE TRIGGER "Patient_nameWords_insert"'],
  },
  { name: 'without the words GIN index', setup: ['DROP INDEX "Patient_nameWords_birthYear_idx"'] },
  { name: 'without the trigram GIN index', setup: ['DROP INDEX "Patient_normalizedName_trgm_idx"'] },
  {
    name: 'both GIN indexes with fastupdate off',
    setup: [
      'ALTER INDEX "Patient_nameWords_birthYear_idx" SET (fastupdate = off)',
      'ALTER INDEX "Patient_normalizedName_trgm_idx" SET (fastupdate = off)',
    ],
  },
  {
    name: 'bare row (no trigger, no name indexes)',
    setup: [
      'ALTER TABLE "Patient" DISABLE TRIGGER "Patient_nameWords_insert"',
      'DROP INDEX "Patient_nameWords_birthYear_idx"',
      'DROP INDEX "Patient_normalizedName_trgm_idx"',
      'DROP INDEX "Patient_normalizedName_birthYear_idx"',
    ],
  },
];

console.log(
  `Creating one patient (+ its personal ID) per INSERT, ${INSERTS} per variant, on ${(await client.query('SELECT count(*) AS n FROM "Patient"')).rows[0].n} patients`,
);
console.log(`${'variant'.padEnd(42)} CPU µs/insert   wall µs/insert   slowest insert ms`);
let n = 0;
for (const variant of variants) {
  await client.query('BEGIN');
  for (const statement of variant.setup) await client.query(statement);
  await client.query({
    name: `ins-${n}`,
    text: INSERT,
    values: [randomUUID(), 'Lê Thị An', 'le thi an', `09919${String(n).padStart(7, '0')}`],
  }); // prepared, warm
  n++;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  let slowest = 0;
  for (let i = 0; i < INSERTS; i++, n++) {
    const name = `${WORDS[n % 3]} ${WORDS[3 + (n % 3)]} ${WORDS[6 + (n % 10)]}${n % 50 === 0 ? ` ${String.fromCharCode(97 + (n % 26))}${n}` : ''}`;
    const s = performance.now();
    await client.query({
      name: `ins-${n - i - 1}`,
      text: INSERT,
      values: [randomUUID(), name, normalizeVietnameseName(name), `09919${String(n).padStart(7, '0')}`],
    });
    slowest = Math.max(slowest, performance.now() - s);
  }
  const wall = ((performance.now() - t0) * 1000) / INSERTS;
  const cpu = ((cpuMs() - cpu0) * 1000) / INSERTS;
  await client.query('ROLLBACK');
  console.log(
    `${variant.name.padEnd(42)} ${cpu.toFixed(0).padStart(13)} ${wall.toFixed(0).padStart(16)} ${slowest.toFixed(1).padStart(19)}`,
  );
}
await client.end();
await server.stop();
