import http from 'node:http';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Sex } from '../codes';

/**
 * The benchmark's baseline: a bare node:http + pg handler doing the check-in's essential work in one
 * transaction (find the patient by identifier — or create them with their identifier when the request brings a
 * new patient —, repeat check, queue and encounter numbers, insert the encounter and its hand-off row) — no
 * framework, no auth, no validation, no audit. What the app is measured against. Its hand-off rows are written
 * as already delivered: it has no worker, and the app's worker (running in the same benchmark) must not take
 * them up.
 */
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });
const facilityId = process.env.FACILITY_ID!;
const facilityCode = process.env.FACILITY_CODE!;
const rooms = new Map<string, string>(JSON.parse(process.env.ROOMS!));

type Body = {
  identifier?: { system: string; value: string };
  raw?: string; // a CCCD QR: personal ID | old ID | name | ddMMyyyy | sex | address | issue date
  roomCode: string;
  newPatient?: { fullName: string; dateOfBirth: string; sex: Sex; address?: string };
};

const plain = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();

async function checkIn(body: Body) {
  const roomId = rooms.get(body.roomCode)!;
  const system = body.identifier?.system ?? 'PERSONAL_ID';
  const value = body.identifier?.value ?? body.raw!.split('|')[0]!;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const found = await client.query(
      'SELECT "patientId" FROM "PatientIdentifier" WHERE system = $1::"IdentifierSystem" AND value = $2',
      [system, value],
    );
    let patientId: string;
    if (found.rowCount) patientId = found.rows[0].patientId;
    else if (body.newPatient) {
      const p = body.newPatient;
      patientId = (
        await client.query(
          `INSERT INTO "Patient" ("fullName", "normalizedName", "birthDate", "birthYear", sex, address, "updatedAt")
        VALUES ($1, $2, $3, $4, $5::"Sex", $6, now()) RETURNING id`,
          [p.fullName, plain(p.fullName), p.dateOfBirth, Number(p.dateOfBirth.slice(0, 4)), p.sex, p.address ?? null],
        )
      ).rows[0].id;
      await client.query(
        'INSERT INTO "PatientIdentifier" ("patientId", system, value) VALUES ($1, $2::"IdentifierSystem", $3)',
        [patientId, system, value],
      );
    } else {
      await client.query('ROLLBACK');
      return { status: 404, body: { error: 'not found' } };
    }
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const existing = await client.query(
      `SELECT id, number, "queueNumber" FROM "Encounter" WHERE "patientId" = $1 AND "roomId" = $2 AND "localDate" = $3::date AND status <> 'CANCELLED'`,
      [patientId, roomId, day],
    );
    if (existing.rowCount) {
      await client.query('COMMIT');
      return { status: 200, body: { created: false, encounter: existing.rows[0] } };
    }
    const counter = `INSERT INTO "DailyCounter" (scope, "localDate", value) VALUES ($1, $2::date, 1)
      ON CONFLICT (scope, "localDate") DO UPDATE SET value = "DailyCounter".value + 1 RETURNING value`;
    const queue = (await client.query(counter, [`room:${roomId}`, day])).rows[0].value;
    const seq = (await client.query(counter, [`facility:${facilityId}`, day])).rows[0].value;
    const number = `${facilityCode}-${day.slice(2).replaceAll('-', '')}-${String(seq).padStart(5, '0')}`;
    const enc = await client.query(
      `INSERT INTO "Encounter" (number, "facilityId", "patientId", "roomId", "localDate", "queueNumber", "identificationMethod", "trustLevel", "updatedAt")
      VALUES ($1, $2, $3, $4, $5::date, $6, 'TYPED_ID', 'TYPED', now()) RETURNING id`,
      [number, facilityId, patientId, roomId, day, queue],
    );
    await client.query(
      `INSERT INTO "HandoffMessage" ("encounterId", "patientId", target, event, "messageControlId", status) VALUES ($1, $2, 'HL7V2', 'A04', $3, 'DELIVERED')`,
      [enc.rows[0].id, patientId, `TD${randomUUID().replaceAll('-', '')}`],
    );
    await client.query('COMMIT');
    return { status: 201, body: { created: true, encounter: { id: enc.rows[0].id, number, queueNumber: queue } } };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    return { status: 500, body: { error: (error as Error).message } };
  } finally {
    client.release();
  }
}

http
  .createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', async () => {
      let body;
      try {
        body = JSON.parse(data);
      } catch {
        res.writeHead(400).end();
        return;
      }
      const result = await checkIn(body);
      res.writeHead(result.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result.body));
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => process.exit(0)); // an exit, not a kill: `--cpu-prof` writes its profile (bench's BENCH_PROFILE)
