import { spawnSync } from 'node:child_process';
import { expect, inject, it } from 'vitest';

it('PostgreSQL ending a connection just as it is handed to a waiting transaction, or while it idles, does not crash the process', () => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'lib/db/test-server-ends-connection.ts'], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  // Without the client error handlers (lib/db/pool.ts): exit code 1, "terminating connection due to administrator command".
  expect({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.slice(-2000) }).toEqual({
    status: 0,
    stdout: 'survived',
    stderr: '',
  });
}, 90_000);
