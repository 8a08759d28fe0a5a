// One database + one real server per test file (PostgreSQL with a Redis session
// store, or the embedded default: PGlite, no Redis), and tokens signed as that
// server signs them. Raw HTTP helpers are in raw-http.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import type { Db } from '@flowpos/db';
import { McpTokenSigner } from '@flowpos/core';
import type { Services } from '../../src/composition/services.ts';
import { startTestServer, type TestServer } from './server.ts';

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

/** The Redis key of a session record, as the server writes it. */
export function redisSessionKey(services: Services, sessionId: string): string {
  return `${services.config.redisKeyPrefix}mcp:session:${sessionId}`;
}
