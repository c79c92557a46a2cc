import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Db } from '../db/client';
import { migratedDatabase, startScratchCluster, type ScratchCluster } from '../db/scratch-cluster';
import { installJobQueue } from './worker';
import { TestHis } from './test-his';
import { testEncounter, testPatient, testRoom, waitFor } from './test-fixtures';

/**
 * PostgreSQL restarts under the worker process (`npm run worker`) while it is sending: sessions end with 57P01,
 * then connections are refused for a moment. The worker must neither exit nor lose or duplicate anything: it
 * reconnects and finishes the work by itself. (graphile-worker 0.17 does not await its job-completion query;
 * before the fix its rejection was unhandled and Node exited with 1.)
 */
let cluster: ScratchCluster;
let url: string;
let db: Db;
let his: TestHis;
let worker: ChildProcess | null = null;

beforeAll(async () => {
  cluster = await startScratchCluster();
  url = await migratedDatabase(cluster);
  await installJobQueue(url);
  db = createDb(url, 2);
  his = await new TestHis().start();
}, 120_000);

afterAll(async () => {
  worker?.kill('SIGKILL');
  await db?.$disconnect();
  await his?.stop();
  await cluster?.destroy();
});

/** Runs `fn` until it succeeds: the test's own writes go on across the restarts too. */
async function persist<T>(fn: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

it('three PostgreSQL restarts mid-delivery: the worker stays up and delivers every message exactly once per MSH-10', async () => {
  const facility = await db.facility.create({ data: { code: '58991', name: 'Cơ sở thử khởi động lại' } });
  const room = await testRoom(db, facility.id);
  let exit: { code: number | null; signal: string | null } | null = null;
  worker = spawn(process.execPath, ['--import', 'tsx', 'lib/handoff/worker-main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      HIS_MLLP_URL: his.url,
      HANDOFF_CONCURRENCY: '4',
      LOG_LEVEL: 'fatal',
      HIS_ACK_TIMEOUT_MS: '3000',
      HANDOFF_BACKOFF_BASE_MS: '100',
      HANDOFF_BACKOFF_MAX_MS: '500',
      HANDOFF_SWEEP_MS: '500',
      HEARTBEAT_MS: '500',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  worker.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  worker.once('exit', (code, signal) => {
    exit = { code, signal };
  });
  const alive = () => expect({ exit, stderr }).toEqual({ exit: null, stderr: expect.any(String) }); // stderr says why, if not
  // Sends are slow, so some are always in flight (and their results unwritten) when the server goes away.
  his.delayMs = 400;
  let made = 0;
  const producing = (async () => {
    for (let i = 0; i < 24; i++) {
      await persist(async () => {
        const { patient } = await testPatient(db);
        await testEncounter(db, facility.id, room.id, patient);
      });
      made++;
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  for (let i = 0; i < 3; i++) {
    await waitFor(async () => his.received.length >= 4 * (i + 1) || exit, 30_000);
    alive();
    await cluster.stop();
    await new Promise((r) => setTimeout(r, 1_500)); // connections refused meanwhile
    await cluster.start();
  }
  await producing;
  his.delayMs = 0;
  const total = await persist(() => db.handoffMessage.count());
  expect(total).toBe(made);
  await waitFor(
    async () => exit || (await persist(() => db.handoffMessage.count({ where: { status: 'DELIVERED' } }))) === total,
    60_000,
    250,
  );
  alive();
  const controlIds = new Set(his.received.map((r) => r.controlId));
  const stored = await db.handoffMessage.findMany({ select: { messageControlId: true } });
  expect([...controlIds].sort()).toEqual(stored.map((m) => m.messageControlId).sort());
}, 180_000);
