import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from './api-routes';
import { METHODS, OPERATIONS, openApiDocument, requestSchema, rolesOf } from './openapi';
import type { RouteOptions } from './guard';
import * as openApiRoute from '@/app/api/v1/openapi.json/route';
import { checkinSchema } from '@/lib/encounters/check-in';

// The API description against the routes themselves (no database: route modules are only imported, never called).
const ROOT = path.resolve(import.meta.dirname, '../api');

/** Every route file under app/api, as its OpenAPI path ('[id]' → '{id}'). */
function routeFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts'
      ? [`/api/${path.relative(ROOT, dir).replace(/\[(?:\.\.\.)?(\w+)\]/g, '{$1}')}`]
      : [];
  });
}

const modules: Record<string, Record<string, unknown>> = { ...API_ROUTES, '/api/v1/openapi.json': openApiRoute };
const document = (await openApiRoute.GET().then((r) => r.json())) as {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        security: unknown[];
        description: string;
        parameters?: { name: string; in: string; schema: unknown }[];
        requestBody?: { content: Record<string, { schema: unknown }> };
        responses: Record<string, unknown>;
      }
    >
  >;
  components: { schemas: Record<string, unknown> };
};
const contractOf = (p: string, method: string) => (modules[p]![method] as { contract?: RouteOptions }).contract;

describe('GET /api/v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with the error shape and the three ways to authenticate', async () => {
    const response = await openApiRoute.GET();
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.schemas.Error).toMatchObject({ required: ['error'] });
    expect(Object.keys((document.components as unknown as { securitySchemes: object }).securitySchemes)).toEqual([
      'session',
      'apiKey',
      'kioskDevice',
    ]);
  });

  it('lists every route file under app/api (api-routes.ts is complete), and nothing else', () => {
    expect(Object.keys(modules).sort()).toEqual(routeFiles().sort());
    expect(Object.keys(document.paths).sort()).toEqual(routeFiles().sort());
  });

  it('each route exports exactly the methods the document lists, and every operation is described once', () => {
    const listed: string[] = [];
    for (const [p, module] of Object.entries(modules)) {
      const exported = METHODS.filter((m) => typeof module[m] === 'function');
      expect(
        Object.keys(document.paths[p]!)
          .map((m) => m.toUpperCase())
          .sort(),
        p,
      ).toEqual([...exported].sort());
      listed.push(...exported.map((m) => `${m} ${p}`));
    }
    expect(Object.keys(OPERATIONS).sort()).toEqual(listed.sort());
  });

  it('request schemas are the ones the handlers validate with (what each route gave apiRoute)', () => {
    let bodies = 0;
    let queries = 0;
    for (const [p, ops] of Object.entries(document.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const contract = contractOf(p, m.toUpperCase());
        const body = contract?.body ?? OPERATIONS[`${m.toUpperCase()} ${p}`]!.public?.body;
        expect(op.requestBody?.content['application/json']?.schema, `${m} ${p}`).toEqual(
          body ? requestSchema(body) : undefined,
        );
        if (body) bodies++;
        const query = contract?.query
          ? (requestSchema(contract.query) as { properties: Record<string, unknown> })
          : undefined;
        expect(
          Object.fromEntries(
            (op.parameters ?? []).filter((x) => x.in === 'query' && x.name !== 'name').map((x) => [x.name, x.schema]),
          ),
          `${m} ${p}`,
        ).toEqual(query?.properties ?? {});
        if (query) queries++;
      }
    }
    // e.g. the check-in's own schema, refinements and all
    expect(document.paths['/api/v1/checkins']!.post!.requestBody!.content['application/json']!.schema).toEqual(
      requestSchema(checkinSchema),
    );
    expect(bodies).toBeGreaterThan(25);
    expect(queries).toBe(7);
  });

  it('says who may call each operation: public ones need nothing; the others a session or key with the roles apiRoute admits, or a kiosk', () => {
    for (const [p, ops] of Object.entries(document.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const contract = contractOf(p, m.toUpperCase());
        if (!contract) {
          expect(op.security, `${m} ${p}`).toEqual([]);
          expect(
            OPERATIONS[`${m.toUpperCase()} ${p}`]!.public,
            `${m} ${p}: a handler without apiRoute must say why it is public`,
          ).toBeDefined();
        } else if (contract.area === 'kiosk') {
          expect(op.security).toEqual([{ kioskDevice: [] }]);
        } else {
          expect(op.security).toEqual([{ session: [] }, { apiKey: [] }]);
          expect(op.description).toContain(rolesOf(contract).join(', '));
          expect(op.responses['401']).toBeDefined();
        }
      }
    }
    expect(document.paths['/api/v1/checkins']!.post!.description).toBe(
      'Auth: session cookie or API key (Bearer) with role RECEPTIONIST, ADMIN.',
    );
    expect(document.paths['/api/metrics']!.get!.description).toContain('MONITOR, ADMIN');
    expect(document.paths['/api/v1/encounters']!.get!.description).toContain('RECEPTIONIST, SUPPORT, MANAGER, ADMIN');
    expect(document.paths['/api/v1/openapi.json']!.get!.security).toEqual([]);
  });

  it('points each described answer at its response schema', () => {
    expect(document.paths['/api/v1/checkins']!.post!.responses['201']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/checkin' } } },
    });
    expect(document.components.schemas.checkin).toMatchObject({
      required: expect.arrayContaining(['encounter', 'patient', 'identity']),
    });
    for (const op of Object.values(document.paths).flatMap((ops) => Object.values(ops))) {
      for (const answer of Object.values(op.responses)) {
        const ref = (answer as { content?: Record<string, { schema: { $ref?: string } }> }).content?.[
          'application/json'
        ]?.schema.$ref;
        if (ref) expect(document.components.schemas[ref.split('/').pop()!], ref).toBeDefined();
      }
    }
  });
});

it('a route missing from the operations fails the build of the document', () => {
  expect(() => openApiDocument({ '/api/v1/new': { GET: () => null } })).toThrow(/GET \/api\/v1\/new is not described/);
});
