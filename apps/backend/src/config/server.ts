// Where the backend listens and what it stands on: address and public URL,
// PostgreSQL and Redis, the origins and hosts it answers, body and batch sizes.
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Env } from './schema.ts';

export const serverEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PUBLIC_BASE_URL: z.url().optional(),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: z.string().optional(),
  REDIS_KEY_PREFIX: z.string().default(''),
  ALLOWED_ORIGINS: z.string().optional(),
  CONSOLE_URL: z.url().optional(),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/, 'true, false, a hop count or addresses/CIDRs')
    .default('false'),
  ALLOWED_HOSTS: z.string().optional(),
  TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).default(25),
  MCP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(65),
  INSTANCE_ID: z.string().optional(),
  MIGRATE_ON_START: z.enum(['true', 'false']).default('true'),
};

export interface ServerConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  publicBaseUrl: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  allowedOrigins: string[];
  /** Where people sign in and consent: the console's origin. */
  consoleUrl: string;
  /** Fastify's trustProxy: which hops' X-Forwarded-For to believe for the client address. */
  trustProxy: boolean | number | string[];
  /** Host headers accepted besides the public URL's (and loopback names on loopback). */
  allowedHosts: string[];
  /** Procedures in one tRPC batch request. */
  trpcMaxBatchSize: number;
  maxBodyBytes: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than the usual load
   * balancer idle timeout (60 s), so the backend never closes a connection the
   * balancer is about to reuse (Node's own default is 5 s).
   */
  keepAliveTimeoutMs: number;
  instanceId: string;
  migrateOnStart: boolean;
}

export function serverConfig(env: Env): ServerConfig {
  const publicBaseUrl = (env.PUBLIC_BASE_URL ?? `http://${env.HOST}:${env.PORT}`).replace(
    /\/$/,
    '',
  );
  const defaultOrigins = ['http://127.0.0.1:3000', 'http://localhost:3000', publicBaseUrl];
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicBaseUrl,
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    allowedOrigins: env.ALLOWED_ORIGINS
      ? env.ALLOWED_ORIGINS.split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : defaultOrigins,
    consoleUrl: (env.CONSOLE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    allowedHosts: (env.ALLOWED_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    trpcMaxBatchSize: env.TRPC_MAX_BATCH_SIZE,
    maxBodyBytes: env.MCP_MAX_BODY_BYTES,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    instanceId: env.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
    migrateOnStart: env.MIGRATE_ON_START === 'true',
  };
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}
