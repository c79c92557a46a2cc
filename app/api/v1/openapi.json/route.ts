import { API_ROUTES } from '@/app/_lib/api-routes';
import { openApiDocument } from '@/app/_lib/openapi';

let document: string | undefined;

/**
 * `GET /api/v1/openapi.json`: the HTTP API's OpenAPI 3.1 description (app/_lib/openapi.ts). Public, like
 * /api/health: it describes the API (routes, schemas, roles, error shape), never people or a facility's settings,
 * and a hospital's integrators read it before they have a key. Built once per process from the route modules.
 */
export async function GET(): Promise<Response> {
  document ??= JSON.stringify(openApiDocument({ ...API_ROUTES, '/api/v1/openapi.json': { GET } }));
  return new Response(document, {
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  });
}
