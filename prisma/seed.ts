import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../lib/cli/database';
import { createDb } from '../lib/db/client';
import { seedDemo } from '../lib/db/demo';
import { seedSyntheticPatients } from '../lib/patients/synthetic';

/**
 * `npm run seed -- --demo` adds the demo facility, rooms and users (never done to a real database unasked);
 * `npm run seed -- --patients N` adds N synthetic patients with identifiers (for benchmarks).
 */
const { values } = parseArgs({ options: { demo: { type: 'boolean' }, patients: { type: 'string' } } });
if (!values.demo && !values.patients) {
  console.error('Cách dùng / usage: npm run seed -- [--demo] [--patients N]');
  process.exit(2);
}
const count = values.patients ? Number(values.patients) : 0;
if (!Number.isInteger(count) || count < 0 || count > 20_000_000) {
  console.error('--patients phải là số nguyên từ 0 đến 20.000.000.');
  process.exit(2);
}

const database = await openDatabase();
try {
  if (values.demo) {
    const db = createDb(database.url, 2);
    const { created } = await seedDemo(db);
    await db.$disconnect();
    console.log(created ? 'Đã tạo dữ liệu demo.' : 'Dữ liệu demo đã có sẵn (giữ nguyên).');
  }
  if (count > 0) {
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const started = Date.now();
    const made = await seedSyntheticPatients(pool, count, (done, total) => {
      process.stdout.write(`\r${done.toLocaleString('vi-VN')} / ${total.toLocaleString('vi-VN')} người bệnh`);
    });
    await pool.end();
    console.log(`\nĐã thêm ${made} người bệnh tổng hợp trong ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
} finally {
  await database.stop();
}
