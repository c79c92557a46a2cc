import type { TestProject } from 'vitest/node';
import { freshDatabase, testServer } from './test-database';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A freshly migrated database for integration tests. */
    databaseUrl: string;
    /** The server, for tests that need scratch databases of their own. */
    serverUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await testServer();
  const databaseUrl = await freshDatabase(server.serverUrl, process.env.TEST_DATABASE ?? 'tiepdon_test', {
    migrated: true,
  });
  project.provide('databaseUrl', databaseUrl);
  project.provide('serverUrl', server.serverUrl);
  return async () => server.stop();
}
