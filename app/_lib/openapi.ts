/**
 * The HTTP API described once, for kiosk, HIS and monitoring integrators: an OpenAPI 3.1 document built from the
 * route modules themselves (app/_lib/api-routes.ts). Who may call and the request schemas come from what each route
 * declared to apiRoute (`handler.contract`: the same zod schemas it validates with, turned into JSON Schema by zod's
 * own `z.toJSONSchema`); what each operation does and answers is said here, once per operation. app/_lib/openapi.test.ts
 * checks the document against the route files (every route, every exported method, the handlers' own schemas).
 */
import { z } from '@/lib/validation';
import { AREAS, ROLES, canAccess, type Area, type Role } from '@/lib/auth/roles';
import { kioskPairSchema } from '@/lib/kiosk/devices';
import type { RouteOptions } from './guard';
import { RESPONSES } from './openapi-responses';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** What the route module cannot say about itself. `public`: no apiRoute (no sign-in, or its own check). */
type Operation = {
  summary: string;
  /** success status → what comes back: a response schema (RESPONSES), a file type, or nothing */
  ok?: Record<number, keyof typeof RESPONSES | 'xlsx' | 'text' | 'empty' | 'json'>;
  public?: { why: string; body?: z.ZodType };
};

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Every operation, by `METHOD path`. The test fails when a route method is missing here, or one here has no route. */
export const OPERATIONS: Record<string, Operation> = {
  'GET /api/auth/{nextauth}': {
    summary: 'next-auth: CSRF token, session and sign-in pages of the staff sign-in (browser use only)',
    ok: { 200: 'json' },
    public: { why: 'next-auth' },
  },
  'POST /api/auth/{nextauth}': {
    summary: 'next-auth: staff sign-in and sign-out (form posts with its CSRF token; browser use only)',
    ok: { 200: 'json' },
    public: { why: 'next-auth' },
  },
  'GET /api/health': {
    summary:
      'Liveness: 200 when the database answers and migrations are applied (503 with Retry-After otherwise); says whether a hand-off worker is alive and the oldest undelivered hand-off',
    ok: { 200: 'health' },
    public: { why: 'no personal data' },
  },
  'GET /api/health/ready': {
    summary:
      'Readiness for monitoring: the same body, 503 unless database, migrations, a live worker and the hand-off backlog are all fine',
    ok: { 200: 'health' },
    public: { why: 'no personal data' },
  },
  'GET /api/metrics': { summary: 'Prometheus metrics (text format)', ok: { 200: 'text' } },
  'GET /api/v1/openapi.json': {
    summary: 'This document',
    ok: { 200: 'json' },
    public: { why: 'describes the API, no personal data' },
  },
  'POST /api/v1/identify': {
    summary:
      'Parse a scan or a typed number (CCCD/Căn cước QR, BHYT QR, personal ID, CMND, BHYT code, BHXH number); nothing is looked up',
    ok: { 200: 'identify' },
  },
  'POST /api/v1/checkins': {
    summary:
      'Check a patient in: 201 new encounter, 200 already checked in today, 404 not found (with the parsed identity and likely duplicates, masked), 409 identifier conflict or SEEN_TODAY_OTHER_ROOM (send again with confirmSecondRoom), 429 too many not-found answers',
    ok: { 200: 'checkin', 201: 'checkin' },
  },
  'POST /api/v1/checkins/candidates/reveal': {
    summary:
      'One likely duplicate of a not-found answer, unmasked for the desk that got it (audited); 404 CANDIDATE_EXPIRED',
    ok: { 200: 'json' },
  },
  'GET /api/v1/encounters': {
    summary: "A local day's encounters of the caller's facility (identifiers masked), optionally one room",
    ok: { 200: 'encounterList' },
  },
  'GET /api/v1/encounters/{id}/handoffs': {
    summary: "One encounter's hand-off state and log (no personal data)",
    ok: { 200: 'encounterHandoffs' },
  },
  'POST /api/v1/encounters/{id}/slip-printed': { summary: 'The exam slip was printed (audited)', ok: { 204: 'empty' } },
  'POST /api/v1/handoffs/{id}/retry': {
    summary: 'A parked or failed hand-off message back to the queue, due now (audited)',
    ok: { 200: 'handoffRetry' },
  },
  'POST /api/v1/handoffs/retry-parked': {
    summary:
      "Every parked message of one target in the caller's facility back to the queue (audited once, with the count)",
    ok: { 200: 'retryParked' },
  },
  'POST /api/v1/helpdesk': {
    summary:
      'Log a citizen helped with the VNeID e-health book or BHYT linking (201; 200 when this requestId was recorded already)',
    ok: { 200: 'json', 201: 'json' },
  },
  'GET /api/v1/helpdesk': { summary: "Today's help-desk counts at the caller's facility", ok: { 200: 'json' } },
  'GET /api/v1/intake': {
    summary:
      "A local day's intake: totals by hour, room, identification method, payer and channel, BHYT verification, time to HIS, the kiosks' day",
    ok: { 200: 'json' },
  },
  'GET /api/v1/reports/intake': {
    summary: 'Intake as Excel: ?date= for one day, ?from=&to= for a range (one row per day, at most 366 days)',
    ok: { 200: 'xlsx' },
  },
  'GET /api/v1/reports/weekly': {
    summary: "The facility's kept weekly Department of Health reports, newest first",
    ok: { 200: 'json' },
  },
  'POST /api/v1/reports/weekly': {
    summary: 'Generate (or refresh) the report of the Monday–Sunday week holding weekOf (default the last full week)',
    ok: { 201: 'json' },
  },
  'GET /api/v1/reports/weekly/{id}': { summary: 'A kept weekly report as Excel', ok: { 200: 'xlsx' } },
  'GET /api/v1/audit/break-glass': {
    summary:
      "Break-glass events by the facility's staff and on its patients (local days from–to, default the last 30), with reasons",
    ok: { 200: 'json' },
  },
  'GET /api/v1/bhyt/unverified': {
    summary:
      '"BHYT chưa xác minh": a local day\'s BHYT visits whose card the gateway has not confirmed yet (card numbers masked)',
    ok: { 200: 'unverified' },
  },
  'POST /api/v1/bhyt/verify': {
    summary:
      'Re-verify one BHYT card with the BHXH gateway as the signed-in receptionist (200 whatever the gateway said; `status` tells)',
    ok: { 200: 'coverageVerify' },
  },
  'GET /api/v1/patients': {
    summary:
      'Search by any identifier or by name (accents, word order, small typos), masked and paged; every search audited with its purpose',
    ok: { 200: 'json' },
  },
  'GET /api/v1/patients/{id}': {
    summary:
      "A patient's record: identifiers with history, coverage, this facility's encounters with hand-off state, audit trail (403 OUTSIDE_FACILITY: break-glass first)",
    ok: { 200: 'json' },
  },
  'PATCH /api/v1/patients/{id}': {
    summary: 'Correct name, birth date, sex, phone or address, with a reason (audited)',
    ok: { 200: 'json' },
  },
  'POST /api/v1/patients/{id}/demographics': {
    summary: "The desk's \"update from card\": the card's values replace the record's, with a reason",
    ok: { 200: 'json' },
  },
  'POST /api/v1/patients/{id}/identifiers': {
    summary: 'Add an identifier, optionally retiring the one it replaces (e.g. CMND → CCCD)',
    ok: { 201: 'identifierAdded' },
  },
  'POST /api/v1/patients/{id}/break-glass': {
    summary: 'Open a record outside the facility to the caller for 30 minutes, with a reason (audited)',
    ok: { 201: 'breakGlass' },
  },
  'POST /api/v1/patients/merge': {
    summary:
      'Merge a duplicate into a record (201; 200 for the same merge again; 409 SAME_DAY_VISITS until confirmSameDay)',
    ok: { 200: 'json', 201: 'json' },
  },
  'POST /api/v1/patients/merges/{mergeId}/unmerge': {
    summary: 'Undo a merge from its recorded provenance (idempotent)',
    ok: { 200: 'json' },
  },
  'GET /api/v1/me': {
    summary: 'Who the caller is, the areas it may use, whether it must change its password first',
    ok: { 200: 'me' },
  },
  'POST /api/v1/me/password': {
    summary: "Change one's own password (the account's other sessions end)",
    ok: { 200: 'passwordChanged' },
  },
  'GET /api/v1/users': { summary: "The facility's accounts and their state (no password data)", ok: { 200: 'json' } },
  'POST /api/v1/users/{id}/account': {
    summary:
      'disable (ends their sessions), enable, reset-password (the new password in this answer, once) or unlock an account (audited)',
    ok: { 200: 'json' },
  },
  'PUT /api/v1/users/{id}/room': {
    summary: "A desk user's assigned room (their default), or null to clear it",
    ok: { 200: 'roomAssigned' },
  },
  'GET /api/v1/api-keys': {
    summary: "The facility's API keys (never the keys themselves), with last use and end date",
    ok: { 200: 'json' },
  },
  'POST /api/v1/api-keys': { summary: 'Create an API key (the key is in this answer, once)', ok: { 201: 'json' } },
  'DELETE /api/v1/api-keys/{id}': { summary: 'Revoke an API key', ok: { 200: 'apiKeyRevoked' } },
  'GET /api/v1/kiosks': {
    summary: "The facility's self check-in kiosks, with the rooms and BHYT look-up staff to choose from",
    ok: { 200: 'json' },
  },
  'POST /api/v1/kiosks': {
    summary: 'Register a kiosk (the one-time pairing code is in this answer only)',
    ok: { 201: 'json' },
  },
  'PUT /api/v1/kiosks/{id}': { summary: "A kiosk's name, rooms, payers and BHYT look-up staff", ok: { 200: 'json' } },
  'PATCH /api/v1/kiosks/{id}': { summary: 'Disable or enable a kiosk', ok: { 200: 'kioskDisabled' } },
  'POST /api/v1/kiosks/{id}/pairing-code': {
    summary: 'A new one-time pairing code (the browser that uses it replaces the paired one)',
    ok: { 200: 'pairingCode' },
  },
  'POST /api/v1/kiosk/pair': {
    summary: "A kiosk's browser trades the one-time code for its device cookie",
    ok: { 200: 'kioskPaired' },
    public: { why: 'the one-time code is the credential', body: kioskPairSchema },
  },
  'POST /api/v1/kiosk/scan': {
    summary: 'Kiosk: the name and birth year to confirm, or the counter with its reason',
    ok: { 200: 'json' },
  },
  'POST /api/v1/kiosk/checkin': {
    summary: "Kiosk: check in (201 ticket, 200 today's ticket again, the counter, or a BHYT refusal to choose on)",
    ok: { 200: 'json', 201: 'json' },
  },
  'POST /api/v1/kiosk/reprint': { summary: "Kiosk: today's ticket again for the person scanned", ok: { 200: 'json' } },
  'POST /api/v1/kiosk/visits/{id}': {
    summary: 'Kiosk: the person went to the counter or the emergency desk, or left',
    ok: { 204: 'empty' },
  },
  'GET /api/v1/kiosk/rooms': {
    summary: 'Kiosk: its rooms with how many people wait in each (no patient data)',
    ok: { 200: 'json' },
  },
  'GET /api/v1/settings/his': {
    summary: "The facility's HIS MLLP address, and the HIS_MLLP_URL environment variable that overrides it",
    ok: { 200: 'hisConnection' },
  },
  'PUT /api/v1/settings/his': {
    summary: "Store (or, with '', remove) the facility's MLLP address (audited)",
    ok: { 200: 'hisConnection' },
  },
  'POST /api/v1/settings/his/probe': {
    summary: 'Test that an MLLP address (or the one in use) answers',
    ok: { 200: 'hisProbe' },
  },
  'GET /api/v1/patient-imports': { summary: "The facility's last patient imports", ok: { 200: 'json' } },
  'POST /api/v1/patient-imports': {
    summary:
      'Upload a HIS export (the file is the body; ?name= its name): the columns found and the first rows, masked; nothing imported yet',
    ok: { 201: 'json' },
  },
  'POST /api/v1/patient-imports/start': {
    summary: 'Start (or resume) importing an upload, or a dry run; runs in the background',
    ok: { 202: 'json' },
  },
  'GET /api/v1/patient-imports/{id}': { summary: 'One import: status, progress, counts', ok: { 200: 'json' } },
  'GET /api/v1/patient-imports/{id}/report': { summary: "An import's report as Excel (audited)", ok: { 200: 'xlsx' } },
  'GET /api/v1/patient-imports/{id}/conflicts': {
    summary: "An import's conflicts as Excel, for staff to resolve (audited)",
    ok: { 200: 'xlsx' },
  },
};

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      description:
        'The message is Vietnamese, fit to show to staff; `code` is for programs. Some refusals add details (e.g. `issues`, `visits`, `retryAfterSeconds`).',
      properties: {
        code: { type: 'string', examples: ['VALIDATION', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'] },
        message: { type: 'string' },
        issues: {
          type: 'array',
          description: 'VALIDATION: every refused field',
          items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
        },
      },
      additionalProperties: true,
    },
  },
} as const;

/** JSON Schema of a request schema, as the client sends it (zod's input side; what a transform makes is not sent). */
export function requestSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
}

/** Which roles an apiRoute admits (API keys carry one of these roles; people sign in with one). */
export function rolesOf(contract: RouteOptions): Role[] {
  if (contract.roles) return [...contract.roles];
  const { area } = contract;
  return ROLES.filter((role) =>
    Array.isArray(area) ? area.some((a: Area) => canAccess(role, a)) : canAccess(role, area as Area | null),
  );
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function okResponses(op: Operation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [status, what] of Object.entries(op.ok ?? { 200: 'json' })) {
    if (what === 'empty') out[status] = { description: 'Done (no body)' };
    else if (what === 'xlsx')
      out[status] = {
        description: 'An Excel workbook (attachment)',
        content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } },
      };
    else if (what === 'text')
      out[status] = {
        description: 'Prometheus text format',
        content: { 'text/plain': { schema: { type: 'string' } } },
      };
    else if (what === 'json')
      out[status] = { description: 'JSON', content: { 'application/json': { schema: { type: 'object' } } } };
    else
      out[status] = {
        description: 'JSON',
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${what}` } } },
      };
  }
  return out;
}

/** The document for the given route modules (path → module; only the modules' exported handlers are read). */
export function openApiDocument(routes: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, module] of Object.entries(routes).sort(([a], [b]) => a.localeCompare(b))) {
    for (const method of METHODS) {
      const handler = module[method] as { contract?: RouteOptions } | undefined;
      if (!handler) continue;
      const op = OPERATIONS[`${method} ${path}`];
      if (!op) throw new Error(`${method} ${path} is not described in OPERATIONS (app/_lib/openapi.ts)`);
      const contract = handler.contract;
      const parameters: unknown[] = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }));
      if (contract?.query) {
        const query = requestSchema(contract.query) as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, schema] of Object.entries(query.properties ?? {}))
          parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
      }
      if (path === '/api/v1/patient-imports' && method === 'POST')
        parameters.push({ name: 'name', in: 'query', required: false, schema: { type: 'string' } });
      const body = contract?.body ?? op.public?.body;
      const responses: Record<string, unknown> = { ...okResponses(op) };
      if (body || parameters.some((p) => (p as { in: string }).in === 'query'))
        responses['400'] = errorResponse('Refused input (VALIDATION, INVALID_JSON, …), with a Vietnamese message');
      let security: unknown[] = [];
      let description = '';
      if (contract) {
        const kiosk = contract.area === 'kiosk';
        security = kiosk ? [{ kioskDevice: [] }] : [{ session: [] }, { apiKey: [] }];
        description = kiosk
          ? "Auth: a paired kiosk's device cookie."
          : `Auth: session cookie or API key (Bearer) with role ${rolesOf(contract).join(', ')}.`;
        responses['401'] = errorResponse(
          kiosk ? 'KIOSK_NOT_PAIRED' : 'UNAUTHENTICATED: no session, or a bad or revoked key',
        );
        if (!kiosk)
          responses['403'] = errorResponse(
            'FORBIDDEN (role), CROSS_SITE (a cookie write from another site), PASSWORD_CHANGE_REQUIRED',
          );
        if (method !== 'GET')
          responses['415'] = errorResponse('A cookie write that is not application/json (or the upload type)');
        if (body) responses['413'] = errorResponse('BODY_TOO_LARGE');
        responses['503'] = errorResponse('DATABASE_UNAVAILABLE: nothing was stored; try again (Retry-After)');
      } else {
        description = `No sign-in (${op.public?.why}).`;
      }
      responses['500'] = errorResponse('INTERNAL');
      (paths[path] ??= {})[method.toLowerCase()] = {
        operationId: `${method.toLowerCase()}${path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
        summary: op.summary,
        description,
        security,
        ...(parameters.length ? { parameters } : {}),
        ...(body
          ? { requestBody: { required: true, content: { 'application/json': { schema: requestSchema(body) } } } }
          : {}),
        ...(contract?.rawBody
          ? {
              requestBody: {
                required: true,
                content: { [contract.rawBody]: { schema: { type: 'string', format: 'binary' } } },
              },
            }
          : {}),
        responses,
      };
    }
  }
  const responseSchemas = Object.fromEntries(
    Object.entries(RESPONSES).map(([name, schema]) => {
      const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<
        string,
        unknown
      >;
      return [name, json];
    }),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tiếp đón API',
      version: '1',
      description:
        'Identity-based patient check-in. All JSON; error answers are `{error: {code, message}}` with a Vietnamese message. ' +
        "Personal data is scoped to the caller's facility and every look-up is audited. Areas and their roles: " +
        Object.entries(AREAS)
          .map(([area, a]) => `${area} (${a.roles.join(', ') || 'paired kiosks'})`)
          .join('; ') +
        '.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'next-auth.session-token',
          description:
            "A signed-in staff member (`__Secure-next-auth.session-token` over HTTPS). Writes must come from the app's own pages as application/json.",
        },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description:
            "An API key made by the facility's administrator (`Authorization: Bearer td_…`); it has one role and its facility.",
        },
        kioskDevice: {
          type: 'apiKey',
          in: 'cookie',
          name: 'tiepdon_kiosk',
          description: 'A paired self check-in kiosk (POST /api/v1/kiosk/pair).',
        },
      },
      schemas: { Error: errorSchema, ...responseSchemas },
    },
  };
}
