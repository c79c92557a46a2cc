/**
 * Hand-off latency benchmark: `npm run bench:handoff` (≈ 45 s) or `-- --quick` (≈ 15 s).
 * Options: --rate=100 (check-ins per second), --seconds=20.
 *
 * Real parts: PostgreSQL (DATABASE_URL's server, else the embedded one), a fresh database, the outbox worker
 * as its own process (`lib/handoff/worker-main.ts`, as `npm run worker` starts it), and the MLLP test HIS on
 * 127.0.0.1. At a steady open-loop rate it checks patients in with the desk's own `checkIn` (typed personal ID:
 * the encounter and its hand-off row in one statement; the worker's feeder finds the row) and measures commit → ACK recorded
 * (deliveredAt). Baseline in the same run: the same number of ADT messages sent
 * straight over MLLP from this process at the same rate (send → ACK, no database, no queue).
 */
import { spawn } from 'node:child_process';
import { randomInt, randomUUID } from 'node:crypto';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { createDb } from '../db/client';
import { freshDatabase, testServer } from '../db/test-database';
import { checkIn } from '../encounters/check-in';
import type { Principal } from '../auth/roles';
import { installJobQueue } from './worker';
import { buildAdt } from './hl7';
import { loadSnapshot } from './snapshot';
import { TestHis } from './test-his';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const quick = process.argv.includes('--quick');
const RATE = arg('rate', 100);
const SECONDS = arg('seconds', quick ? 5 : 20);
const TOTAL = RATE * SECONDS;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const fmt = (n: number) => n.toFixed(1).padStart(8);

/** Calls `fn` TOTAL times at RATE per second (open loop: late calls are not skipped or delayed further). */
async function openLoop(fn: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < TOTAL; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(fn(i));
  }
  await Promise.all(pending);
  return (performance.now() - started) / 1000;
}

let worker: ReturnType<typeof spawn> | null = null;

async function main() {
  const server = await testServer();
  const url = await freshDatabase(server.serverUrl, 'tiepdon_bench_handoff', { migrated: true });
  await installJobQueue(url);
  const db = createDb(url, 16);
  const his = await new TestHis().start();
  const facility = await db.facility.create({
    data: { code: String(randomInt(10000, 99999)), name: 'Cơ sở đo hiệu năng' },
  });
  const room = await db.room.create({
    data: { facilityId: facility.id, code: 'P01', name: 'Phòng khám Nội 1', department: 'Khoa Khám bệnh' },
  });
  // One patient per check-in (a patient has one active visit per room and day), each with a personal ID.
  const patients = Array.from({ length: TOTAL + 1 }, (_, i) => ({
    id: randomUUID(),
    fullName: `Người Thử ${i}`,
    normalizedName: `nguoi thu ${i}`,
    birthDate: '1990-01-01',
    birthYear: 1990,
    sex: 'F' as const,
  }));
  await db.patient.createMany({ data: patients });
  const personalId = (i: number) => `079190${String(i).padStart(6, '0')}`;
  await db.patientIdentifier.createMany({
    data: patients.map((p, i) => ({ patientId: p.id, system: 'PERSONAL_ID' as const, value: personalId(i) })),
  });
  const desk: Principal = {
    kind: 'API_KEY',
    id: randomUUID(),
    name: 'bench-desk',
    role: 'RECEPTIONIST',
    facilityId: facility.id,
    facilityCode: facility.code,
  };

  // ---- baseline: direct MLLP, same rate, same message shape ----
  const sample = await db.$transaction(async (tx) => {
    const e = await tx.encounter.create({
      data: {
        number: `BENCH-0`,
        facilityId: facility.id,
        patientId: patients[TOTAL]!.id,
        roomId: room.id,
        localDate: new Date(),
        queueNumber: 0,
        identificationMethod: 'CCCD_QR',
        trustLevel: 'CARD_VERIFIED',
      },
    });
    return loadSnapshot(tx, e.id);
  });
  const baseline: number[] = [];
  const baseSeconds = await openLoop(async () => {
    const client = new Hl7Client({ host: '127.0.0.1', port: his.port });
    const t0 = performance.now();
    await client.sendAndWait(Hl7Message.parse(buildAdt(sample, 'A04', `B${randomUUID().slice(0, 12)}`)), {
      timeoutMs: 10_000,
    });
    baseline.push(performance.now() - t0);
    await client.close();
  });

  // ---- outbox: check-in transaction → worker process → MLLP → ACK recorded ----
  worker = spawn(process.execPath, ['--import', 'tsx', 'lib/handoff/worker-main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      HIS_MLLP_URL: his.url,
      HANDOFF_CONCURRENCY: process.env.HANDOFF_CONCURRENCY ?? '16',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await new Promise((r) => setTimeout(r, 4_000)); // worker start-up
  const committed = new Map<string, number>();
  const numberOf = new Map<string, string>();
  const txMs: number[] = [];
  const t0 = Date.now();
  process.env.HIS_MLLP_URL = his.url; // the check-in queues HL7 v2, as configured in production
  const loadSeconds = await openLoop(async (i) => {
    const started = Date.now();
    const r = await checkIn(db, desk, {
      identifier: { system: 'PERSONAL_ID', value: personalId(i) },
      roomCode: room.code,
    });
    if (r.status !== 'created') throw new Error(`check-in ${i}: ${r.status}`);
    committed.set(r.encounter.id, Date.now());
    numberOf.set(r.encounter.id, r.encounter.number);
    txMs.push(Date.now() - started);
  });
  const deadline = Date.now() + 60_000;
  while (
    (await db.handoffMessage.count({ where: { status: 'DELIVERED', encounterId: { in: [...committed.keys()] } } })) <
      TOTAL &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 200));
  }
  const rows = await db.handoffMessage.findMany({
    where: { encounterId: { in: [...committed.keys()] } },
    select: { encounterId: true, deliveredAt: true },
  });
  const latencies = rows
    .filter((r) => r.deliveredAt)
    .map((r) => r.deliveredAt!.getTime() - committed.get(r.encounterId!)!);
  const arrival = new Map(his.received.map((r) => [r.visit, r.at]));
  const toHis = [...committed]
    .map(([id, at]) => (arrival.get(numberOf.get(id)!) ?? NaN) - at)
    .filter((x) => !Number.isNaN(x));
  const lastDelivered = Math.max(...rows.map((r) => r.deliveredAt?.getTime() ?? 0));
  const throughput = latencies.length / ((lastDelivered - t0) / 1000);
  worker.kill('SIGTERM');
  worker = null;

  console.log(`\nHand-off benchmark: ${TOTAL} check-ins at ${RATE}/s for ${SECONDS} s (open loop)\n`);
  console.log('                                   p50 ms   p95 ms   p99 ms   msg/s   delivered');
  console.log(
    `baseline: direct MLLP send→ACK ${fmt(pct(baseline, 50))} ${fmt(pct(baseline, 95))} ${fmt(pct(baseline, 99))} ${fmt(baseline.length / baseSeconds)}   ${baseline.length}/${TOTAL}`,
  );
  console.log(
    `outbox: commit→ACK recorded    ${fmt(pct(latencies, 50))} ${fmt(pct(latencies, 95))} ${fmt(pct(latencies, 99))} ${fmt(throughput)}   ${latencies.length}/${TOTAL}`,
  );
  console.log(`  of which commit→HIS receives ${fmt(pct(toHis, 50))} ${fmt(pct(toHis, 95))} ${fmt(pct(toHis, 99))}`);
  console.log(`  the check-in itself (checkIn)  ${fmt(pct(txMs, 50))} ${fmt(pct(txMs, 95))} ${fmt(pct(txMs, 99))}`);
  console.log(`  check-ins committed per second: ${(TOTAL / loadSeconds).toFixed(1)} (asked ${RATE})`);
  console.log(
    `\ntarget: p95 < 500 ms at 100 check-ins/s → ${pct(latencies, 95) < 500 && latencies.length === TOTAL ? 'MET' : 'NOT MET'} (load generator ran ${loadSeconds.toFixed(1)} s)`,
  );
  await his.stop();
  await db.$disconnect();
  await server.stop();
  process.exit(0);
}

main().catch((error) => {
  worker?.kill('SIGKILL');
  console.error(error);
  process.exit(1);
});
