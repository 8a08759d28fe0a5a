// One database + one real server per test file (PostgreSQL with a Redis session
// store, or the embedded default: PGlite, no Redis), and raw HTTP helpers for
// /mcp that show exactly what a client on the wire sees.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import type { Db } from '@flowpos/db';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { McpTokenSigner } from '@flowpos/core';
import type { Services } from '../../src/composition/services.ts';
import { startTestServer, type TestServer } from './server.ts';

export const ACCEPT_BOTH = 'application/json, text/event-stream';
export const AUTH_REQUIRED = 'Authentication required: provide a valid MCP API key or access token';

/** What a test needs of a running backend, whichever database it keeps its data in. */
export interface ServerHarness {
  kind: DatabaseKind;
  db: Db;
  server: TestServer;
  close(): Promise<void>;
}

export interface Harness extends ServerHarness {
  database: TestDatabase;
}

/**
 * Where a backend keeps its data: PostgreSQL with Redis (production's
 * topology), or the embedded default (PGlite in a folder, no Redis).
 */
export type DatabaseKind = 'postgresql' | 'embedded';
export const DATABASE_KINDS: readonly DatabaseKind[] = ['postgresql', 'embedded'];

/** Ends the sessions' transports (open GET streams keep app.close() waiting), then the server. */
async function closeServer(server: TestServer): Promise<void> {
  await server.services.sessions.shutdown();
  const closing = server.close();
  server.app.server.closeAllConnections();
  await closing;
}

/** A harness's server settings beyond the defaults: environment, and where its log lines go. */
export interface HarnessOptions {
  env?: Record<string, string>;
  logStream?: Writable;
}

export async function startHarness(
  label: string,
  env?: Record<string, string>,
  options: Pick<HarnessOptions, 'logStream'> = {},
): Promise<Harness> {
  const database = await createTestDatabase(label);
  try {
    const server = await startTestServer({
      databaseUrl: database.url,
      redis: true,
      ...(env ? { env } : {}),
      ...(options.logStream ? { logStream: options.logStream } : {}),
    });
    return {
      kind: 'postgresql',
      database,
      db: database.prisma,
      server,
      async close() {
        await closeServer(server);
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The embedded default, as `npm start` runs it: a fresh PGlite folder, migrated at start. */
export async function startEmbeddedHarness(
  label: string,
  options: HarnessOptions = {},
): Promise<ServerHarness> {
  const dir = mkdtempSync(join(tmpdir(), `flowpos-${label}-`));
  try {
    const server = await startTestServer({
      databaseUrl: `pglite:${join(dir, 'db')}`,
      env: { MIGRATE_ON_START: 'true', ...options.env },
      ...(options.logStream ? { logStream: options.logStream } : {}),
    });
    return {
      kind: 'embedded',
      db: server.services.database.prisma,
      server,
      async close() {
        await closeServer(server);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Starts before the enclosing block's tests (and before its own beforeAll
 * hooks, registered after this call), closes after them; the fields are
 * there from the first hook on.
 */
function useStarted<T extends ServerHarness>(label: string, start: () => Promise<T>) {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.close();
  });
  return () => {
    if (!started) throw new Error(`the ${label} harness is used before beforeAll started it`);
    return started;
  };
}

/** The file's harness on PostgreSQL and Redis. */
export function useHarness(label: string, env?: Record<string, string>): Harness {
  const current = useStarted(label, () => startHarness(label, env));
  return {
    kind: 'postgresql',
    get database() {
      return current().database;
    },
    get db() {
      return current().db;
    },
    get server() {
      return current().server;
    },
    close: () => current().close(),
  };
}

/** A harness on the given database kind, for `describe.each(DATABASE_KINDS)`. */
export function useHarnessOn(
  kind: DatabaseKind,
  label: string,
  options: HarnessOptions = {},
): ServerHarness {
  const current = useStarted(label, () =>
    kind === 'postgresql'
      ? startHarness(label, options.env, options.logStream ? { logStream: options.logStream } : {})
      : startEmbeddedHarness(label, options),
  );
  return {
    kind,
    get db() {
      return current().db;
    },
    get server() {
      return current().server;
    },
    close: () => current().close(),
  };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface McpRequestOptions {
  method?: 'POST' | 'GET' | 'DELETE';
  bearer?: string;
  /** A full Authorization header value (overrides bearer). */
  authorization?: string;
  sessionId?: string;
  body?: unknown;
  /** Sent as is (no JSON.stringify). */
  rawBody?: string;
  headers?: Record<string, string>;
}

export async function mcpRequest(
  url: string,
  options: McpRequestOptions = {},
): Promise<RawResponse> {
  const method = options.method ?? 'POST';
  const headers: Record<string, string> = {};
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    headers.accept = ACCEPT_BOTH;
  }
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  else if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.sessionId !== undefined) {
    headers['mcp-session-id'] = options.sessionId;
    headers['mcp-protocol-version'] = LATEST_PROTOCOL_VERSION;
  }
  Object.assign(headers, options.headers ?? {});
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await fetch(url, {
    method,
    headers,
    ...(body !== undefined && method !== 'GET' ? { body } : {}),
  });
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function initializeBody(id: number | string = 1, clientName = 'raw-test') {
  return {
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: {
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: clientName, version: '1.0.0' },
    },
  };
}

/** initialize + notifications/initialized over raw HTTP; returns the session id. */
export async function rawSession(url: string, bearer: string): Promise<string> {
  const init = await mcpRequest(url, { bearer, body: initializeBody() });
  if (init.status !== 200) throw new Error(`initialize failed: ${init.status} ${init.text}`);
  const sessionId = init.headers.get('mcp-session-id');
  if (!sessionId) throw new Error('no mcp-session-id on initialize');
  const done = await mcpRequest(url, {
    bearer,
    sessionId,
    body: { jsonrpc: '2.0', method: 'notifications/initialized' },
  });
  if (done.status !== 202)
    throw new Error(`notifications/initialized failed: ${done.status} ${done.text}`);
  return sessionId;
}

let nextId = 100;
export function toolsCallBody(name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } };
}
export function toolsListBody() {
  return { jsonrpc: '2.0', id: nextId++, method: 'tools/list', params: {} };
}

/** Opens GET /mcp as SSE, returns status and content type once headers arrive, then aborts. */
export async function openSse(
  url: string,
  bearer: string | undefined,
  sessionId: string | undefined,
) {
  const controller = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  if (sessionId) {
    headers['mcp-session-id'] = sessionId;
    headers['mcp-protocol-version'] = LATEST_PROTOCOL_VERSION;
  }
  const res = await fetch(url, { method: 'GET', headers, signal: controller.signal });
  const status = res.status;
  const contentType = res.headers.get('content-type') ?? '';
  let text = '';
  if (!contentType.includes('text/event-stream')) text = await res.text();
  controller.abort();
  await res.body?.cancel().catch(() => undefined);
  return { status, contentType, text };
}

/** Posts JSON to a non-MCP route. */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, headers: res.headers, text, json: json as any };
}

/** A signer with the server's own configuration (or another secret). */
export function signerLike(
  services: Services,
  overrides: { secret?: string } = {},
): McpTokenSigner {
  return new McpTokenSigner({
    secret: overrides.secret ?? services.config.tokenSecret,
    ttlSeconds: services.config.tokenTtlSeconds,
    issuer: services.config.publicBaseUrl,
    audience: `${services.config.publicBaseUrl}/mcp`,
  });
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned `alg: none` JWT with otherwise valid claims for this server. */
export function algNoneToken(services: Services, userId: string): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: userId,
    email: 'forged@example.com',
    role: 'platform_operator',
    businessIds: [],
    iss: services.config.publicBaseUrl,
    aud: `${services.config.publicBaseUrl}/mcp`,
    iat: now,
    exp: now + 3600,
  };
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}

/** POST /mcp/token with a Firebase ID token. */
export async function exchangeToken(baseUrl: string, firebaseIdToken: string) {
  return postJson(`${baseUrl}/mcp/token`, { firebaseIdToken });
}

/** The Redis key of a session record, as the server writes it. */
export function redisSessionKey(services: Services, sessionId: string): string {
  return `${services.config.redisKeyPrefix}mcp:session:${sessionId}`;
}
