// Throwaway servers for the tests and the bench: the real backend (Fastify +
// services) on a random port, with its own PostgreSQL database and Redis key
// prefix; or as a child process for tests that kill, restart or run two instances.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { IdTokenVerifier } from '@flowpos/core';
import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/composition/app.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/observability/logger.ts';
import { createServices, type Services } from '../src/composition/services.ts';
import { freePort } from './free-port.ts';
import { TEST_RATE_LIMITS } from './test-rate-limits.ts';
import { deleteKeysUnder } from './redis-keys.ts';

export { freePort };

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const EMULATOR_HOST = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099';
export const TEST_TOKEN_SECRET = 'test-secret-of-at-least-thirty-two-characters!';
const REPO_ROOT = resolve(import.meta.dirname, '../../..');

export { TEST_RATE_LIMITS };

export function uniquePrefix(label = 't'): string {
  return `fp:test:${process.env.TEST_RUN_ID ?? 'local'}:${label}:${randomBytes(3).toString('hex')}:`;
}

/** Removes what a test server left in Redis under its own `fp:test:` prefix. */
async function deleteTestKeys(services: Services): Promise<void> {
  const prefix = services.config.redisKeyPrefix;
  const redis = services.redis;
  if (!redis || !prefix.startsWith('fp:test:') || redis.status !== 'ready') return;
  try {
    await deleteKeysUnder(redis, prefix);
  } catch {
    // Redis went away (the outage tests): its keys go with it or expire.
  }
}

export interface TestServer {
  app: FastifyInstance;
  services: Services;
  baseUrl: string;
  mcpUrl: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  databaseUrl: string;
  /** Omit for the database session store (the embedded default's, as without REDIS_URL). */
  redis?: boolean;
  redisUrl?: string;
  redisKeyPrefix?: string;
  env?: Record<string, string>;
  firebase?: IdTokenVerifier;
  /** Where log lines go (stdout when omitted). */
  logStream?: Writable;
  /** Where to listen (a random free port when omitted). */
  port?: number;
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  process.env.FIREBASE_AUTH_EMULATOR_HOST ??= EMULATOR_HOST;
  const port = options.port ?? (await freePort());
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: '5',
    ...(options.redis
      ? {
          REDIS_URL: options.redisUrl ?? REDIS_URL,
          REDIS_KEY_PREFIX: options.redisKeyPrefix ?? uniquePrefix(),
        }
      : {}),
    FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST,
    MCP_TOKEN_SECRET: TEST_TOKEN_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    MIGRATE_ON_START: 'false',
    ...TEST_RATE_LIMITS,
    ...options.env,
  });
  const logger = createLogger(
    { level: config.logLevel, format: config.logFormat },
    options.logStream,
  );
  const services = await createServices(
    config,
    logger,
    options.firebase ? { firebase: options.firebase } : {},
  );
  const app = await buildApp(services, logger);
  await app.listen({ host: '127.0.0.1', port });
  const baseUrl = config.publicBaseUrl;
  return {
    app,
    services,
    baseUrl,
    mcpUrl: `${baseUrl}/mcp`,
    async close() {
      await app.close();
      await deleteTestKeys(services);
      await services.close();
    },
  };
}

export interface BackendProcess {
  port: number;
  baseUrl: string;
  mcpUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

/** Starts `apps/backend/src/main.ts` as a separate process and waits for /healthz. */
export async function spawnBackend(options: {
  databaseUrl: string;
  redisKeyPrefix: string;
  port?: number;
  instanceId?: string;
  env?: Record<string, string>;
}): Promise<BackendProcess> {
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  let out = '';
  const child = spawn(process.execPath, ['apps/backend/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_BASE_URL: baseUrl,
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL,
      REDIS_KEY_PREFIX: options.redisKeyPrefix,
      FIREBASE_AUTH_EMULATOR_HOST: process.env.FIREBASE_AUTH_EMULATOR_HOST ?? EMULATOR_HOST,
      MCP_TOKEN_SECRET: TEST_TOKEN_SECRET,
      LOG_LEVEL: 'warn',
      MIGRATE_ON_START: 'false',
      ...TEST_RATE_LIMITS,
      INSTANCE_ID: options.instanceId ?? `instance-${port}`,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += String(d)));
  child.stderr?.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // A wait for the event, not a speed check: a loaded 2-core machine starts tsx slowly.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`backend exited early:\n${out}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`backend did not become healthy:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    baseUrl,
    mcpUrl: `${baseUrl}/mcp`,
    child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
