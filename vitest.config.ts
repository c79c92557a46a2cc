import { defineConfig } from 'vitest/config';
import os from 'node:os';
import path from 'node:path';

const tests = ['{lib,app,components}/**/*.test.{ts,tsx}'];
const integrationTests = ['{lib,app,components}/**/*.int.test.{ts,tsx}'];

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        // Pure tests: no database, no global setup; files run in parallel. They run first, alone, so their CPU does
        // not slow the timing-sensitive integration tests (worker crash, lease) that follow. At least 4 workers:
        // many wait on child processes, sockets and timers, not the CPU (2 cores: 35 s, against 83 s with Vitest's
        // default of one worker fewer than the cores).
        extends: true,
        test: {
          name: 'unit',
          include: tests,
          exclude: integrationTests,
          maxWorkers: Math.max(4, os.availableParallelism() - 1),
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Tests on PostgreSQL (`*.int.test.ts`): the global setup starts and migrates one test database that the
        // files share, so they run one at a time (2-core machines).
        extends: true,
        test: {
          name: 'integration',
          include: integrationTests,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          globalSetup: ['./lib/db/test-global-setup.ts'],
        },
      },
    ],
  },
});
