// OpenTelemetry, switched on: a backend process exports its spans over OTLP/HTTP
// to a collector of the test's own. A tool call is one `tools/call <tool>`
// span that continues the client's trace, from the `traceparent` header or
// from the request's `_meta`; HTTP and PostgreSQL spans join the same trace.
// No span carries a credential or the consent page's one-time ticket.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../support/fixtures.ts';
import { waitFor } from '../support/poll.ts';
import { rawCall, rawInitialize, type SessionRef } from '../support/raw-mcp.ts';
import { dropRedisPrefix, reapOnExit } from '../support/reap.ts';
import { freePort, spawnBackend, uniquePrefix, type BackendProcess } from '../support/server.ts';

interface ExportedSpan {
  traceId: string;
  parentSpanId?: string;
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
}

let db: TestDatabase;
let prefix: string;
let collector: Server | undefined;
let backend: BackendProcess | undefined;
const spans: ExportedSpan[] = [];
/** Every export as the collector received it, to search for secrets anywhere in it. */
const exports: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('tracing');
  prefix = uniquePrefix('tracing');
  const port = await freePort();
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += String(d)));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        exports.push(body);
        collect(JSON.parse(body));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector!.listen(port, '127.0.0.1', r));
  backend = await spawnBackend({
    databaseUrl: db.url,
    redisKeyPrefix: prefix,
    env: {
      OTEL_TRACES_ENABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    },
  });
  reapOnExit(backend.child);
});

afterAll(async () => {
  await backend?.stop();
  collector?.close();
  await dropRedisPrefix(prefix);
  await db?.drop();
});

interface OtlpExport {
  resourceSpans?: {
    scopeSpans?: {
      scope?: { name?: string };
      spans?: {
        traceId: string;
        parentSpanId?: string;
        name: string;
        attributes?: { key: string; value: Record<string, unknown> }[];
      }[];
    }[];
  }[];
}

function collect(data: OtlpExport) {
  for (const rs of data.resourceSpans ?? [])
    for (const ss of rs.scopeSpans ?? [])
      for (const s of ss.spans ?? [])
        spans.push({
          traceId: s.traceId,
          parentSpanId: s.parentSpanId,
          name: s.name,
          scope: ss.scope?.name ?? '',
          attributes: Object.fromEntries(
            (s.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]),
          ),
        });
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

describe('traces', () => {
  it('one span per tool call, continuing the traceparent header or the _meta one', async () => {
    const { business, products } = await createBusiness(db.prisma, unique('Traced Tavern'));
    const { key } = await createKey(db.prisma, { businessId: business.id });
    const init = await rawInitialize(backend!.mcpUrl, key);
    expect(init.status).toBe(200);
    const ref: SessionRef = {
      sessionId: init.sessionId!,
      bearer: key,
      protocolVersion: '2025-11-25',
    };

    const headerTrace = hex(16);
    const viaHeader = await fetch(backend!.mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'mcp-session-id': ref.sessionId,
        'mcp-protocol-version': ref.protocolVersion,
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        traceparent: `00-${headerTrace}-${hex(8)}-01`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'get_product', arguments: { sku: products[0]!.sku } },
      }),
    });
    expect(viaHeader.status).toBe(200);
    await viaHeader.text();

    const metaTrace = hex(16);
    const metaParent = hex(8);
    const viaMeta = await rawCall(backend!.mcpUrl, ref, 'tools/call', {
      name: 'whoami',
      arguments: {},
      _meta: { traceparent: `00-${metaTrace}-${metaParent}-01` },
    });
    expect(viaMeta.status).toBe(200);

    const toolSpan = (traceId: string) =>
      spans.find((s) => s.traceId === traceId && s.name.startsWith('tools/call'));
    await waitFor(() => toolSpan(headerTrace) && toolSpan(metaTrace), {
      timeoutMs: 15_000,
      what: 'the tool-call spans at the collector',
    });
    expect(toolSpan(headerTrace)).toMatchObject({
      name: 'tools/call get_product',
      attributes: {
        'gen_ai.tool.name': 'get_product',
        'mcp.session.id': ref.sessionId,
        'flowpos.tool.outcome': 'success',
      },
    });
    expect(toolSpan(metaTrace)).toMatchObject({
      name: 'tools/call whoami',
      parentSpanId: metaParent,
    });
    expect(
      spans.filter((s) => s.name.startsWith('tools/call') && s.traceId === headerTrace),
    ).toHaveLength(1);

    // The instrumented libraries (HTTP, Fastify, pg) report into the header's trace too.
    await waitFor(
      () =>
        ['instrumentation-http', 'instrumentation-fastify', 'instrumentation-pg'].every((lib) =>
          spans.some((s) => s.traceId === headerTrace && s.scope.includes(lib)),
        ),
      {
        timeoutMs: 15_000,
        what: `HTTP and pg spans in the trace; got ${[...new Set(spans.map((s) => s.scope))].join(', ')}`,
      },
    );
  });
});

describe('secrets in spans', () => {
  it('the consent ticket and OAuth credentials in a query are recorded as REDACTED', async () => {
    const secrets = {
      ticket: `ticket-${hex(8)}`,
      code: `code-${hex(8)}`,
      refresh_token: `refresh-${hex(8)}`,
      client_secret: `secret-${hex(8)}`,
      code_verifier: `verifier-${hex(8)}`,
    };
    const traceId = hex(16);
    const res = await fetch(
      `${backend!.baseUrl}/oauth-consent/some-uid/finish?${new URLSearchParams({ ...secrets, state: 'kept' })}`,
      { headers: { traceparent: `00-${traceId}-${hex(8)}-01` } },
    );
    expect(res.status).toBe(400);
    await res.text();
    const server = await waitFor(
      () => spans.find((s) => s.traceId === traceId && s.scope.includes('instrumentation-http')),
      { timeoutMs: 15_000, what: 'the HTTP server span of the consent request' },
    );
    const query = new URLSearchParams(String(server.attributes['url.query']));
    for (const name of Object.keys(secrets)) expect(query.get(name)).toBe('REDACTED');
    expect(query.get('state')).toBe('kept');
    const everything = exports.join('\n');
    for (const value of Object.values(secrets)) expect(everything).not.toContain(value);
  });
});
