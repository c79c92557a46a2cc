import { inject } from 'vitest';
import { createApiKey } from '../auth/api-keys';
import type { Role } from '../auth/roles';
import type { Db } from './client';

/**
 * Route handlers called in-process with real Requests (the same code `next start` runs, minus the HTTP server),
 * authenticated by real API keys. The app's client (`getDb()`) is pointed at the test database first.
 */
export function useTestDatabaseForRoutes(): void {
  process.env.DATABASE_URL = inject('databaseUrl');
}

type RouteHandler<P> = (req: Request, context: { params: Promise<P> }) => Promise<Response>;

export type Caller = { key: string; id: string; facilityId: string };

export async function testCaller(
  db: Db,
  facilityId: string,
  role: Role,
  name = `test-${role.toLowerCase()}`,
): Promise<Caller> {
  const { id, key } = await createApiKey(db, { name, role, facilityId });
  return { key, id, facilityId };
}

/** Calls `handler` as the app would for `method path` (query string allowed) with a JSON body. */
export async function callRoute<P = Record<string, string>>(
  handler: RouteHandler<P>,
  caller: Caller,
  method: string,
  path: string,
  options: { body?: unknown; params?: P } = {},
) {
  const req = new Request(`http://127.0.0.1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${caller.key}`,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const res = await handler(req, { params: Promise.resolve(options.params ?? ({} as P)) });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read any field of any answer
  const json: any = text && !res.headers.get('content-type')?.startsWith('text/plain') ? JSON.parse(text) : null;
  return { status: res.status, text, json, headers: res.headers };
}
