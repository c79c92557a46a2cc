import { afterEach, expect, it } from 'vitest';
import { inject } from 'vitest';
import { withSessionSetting } from '../db/connection-info';
import { startHandoffWorker, type HandoffWorker } from './worker';

/** Issue 14: the worker's commits do not wait for the WAL flush (see workerConnectionString); check-ins do. */
const url = inject('databaseUrl');
let worker: HandoffWorker | null = null;
afterEach(async () => {
  await worker?.stop();
  worker = null;
});
const setting = async (w: HandoffWorker) =>
  (await w.db.$queryRaw<{ synchronous_commit: string }[]>`SHOW synchronous_commit`)[0]!.synchronous_commit;

it("the worker's sessions commit asynchronously; HANDOFF_SYNCHRONOUS_COMMIT=on keeps them synchronous", async () => {
  worker = await startHandoffWorker({ connectionString: url, env: { HIS_MLLP_URL: '' } });
  expect(await setting(worker)).toBe('off');
  await worker.stop();
  worker = await startHandoffWorker({ connectionString: url, env: { HANDOFF_SYNCHRONOUS_COMMIT: 'on' } });
  expect(await setting(worker)).toBe('on');
});

it('a session setting joins any options the URL already has, and replaces its own earlier value', () => {
  const once = withSessionSetting(
    'postgresql://u@h:5432/d?options=-c%20statement_timeout%3D5000',
    'synchronous_commit',
    'off',
  );
  expect(new URL(once).searchParams.get('options')).toBe('-c statement_timeout=5000 -c synchronous_commit=off');
  const twice = withSessionSetting(once, 'synchronous_commit', 'local');
  expect(new URL(twice).searchParams.get('options')).toBe('-c statement_timeout=5000 -c synchronous_commit=local');
});
