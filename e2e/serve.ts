import { spawn } from 'node:child_process';
import path from 'node:path';
import { createDb } from '../lib/db/client';
import { DEMO_FACILITY } from '../lib/db/demo';
import { createUser } from '../lib/auth/users';
import { freshDatabase, testServer } from '../lib/db/test-database';
import { E2E_ACCOUNTS, e2eDatabaseName } from './fixtures';

/**
 * The app under test: a fresh database `tiepdon_e2e` (on DATABASE_URL's server, else an embedded one),
 * demo data plus the extra test accounts, then the real launcher (`npm start`'s) on E2E_PORT.
 */
const port = process.env.E2E_PORT ?? '3100';
const server = await testServer();
const url = await freshDatabase(server.serverUrl, e2eDatabaseName());
const child = spawn(
  process.execPath,
  [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'lib/cli/launch.ts', 'start'],
  {
    stdio: 'inherit',
    // No hand-off worker: these tests read hand-off states as the check-in left them (delivery is tested
    // against real MLLP/FHIR peers in lib/handoff).
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: port,
      SEED_DEMO: '1',
      NO_WORKER: '1',
      NEXTAUTH_SECRET: 'e2e-secret-not-for-production',
      NEXTAUTH_URL: `http://localhost:${port}`,
    },
  },
);
// Once the launcher has seeded the demo facility (SEED_DEMO=1), add the test accounts.
const db = createDb(url, 1);
for (let i = 0; i < 600; i++) {
  try {
    await db.facility.findUniqueOrThrow({ where: { code: DEMO_FACILITY.code } });
    for (const account of E2E_ACCOUNTS) {
      if (!(await db.user.findUnique({ where: { username: account.username } }))) await createUser(db, account);
    }
    break;
  } catch {
    await new Promise((r) => setTimeout(r, 500));
  }
}
await db.$disconnect();
const stop = () => child.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', async (code) => {
  await server.stop();
  process.exit(code ?? 0);
});
