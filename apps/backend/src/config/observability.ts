// What the backend tells its operators: logs, metrics, traces, and tool
// call usage per credential.
import { z } from 'zod';
import type { Env } from './schema.ts';

export const observabilityEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_ENABLED: z.enum(['true', 'false']).default('true'),
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  OTEL_TRACES_ENABLED: z.enum(['true', 'false']).default('false'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default('http://127.0.0.1:4318'),
  OTEL_SERVICE_NAME: z.string().min(1).default('flowpos-backend'),
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  LOG_REQUESTS: z.enum(['true', 'false']).optional(),
  USAGE_ENABLED: z.enum(['true', 'false']).default('true'),
  USAGE_FLUSH_SECONDS: z.coerce.number().min(0.05).max(300).default(5),
  USAGE_HOURLY_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 31)
    .default(48),
  USAGE_DAILY_RETENTION_DAYS: z.coerce.number().int().min(1).max(3660).default(90),
};

export interface ObservabilityConfig {
  logLevel: string;
  logFormat: 'json' | 'pretty';
  tracing: {
    enabled: boolean;
    /** OTLP/HTTP base URL; traces go to <endpoint>/v1/traces. */
    endpoint: string;
    serviceName: string;
  };
  metrics: {
    enabled: boolean;
    /** Bearer token /metrics requires, when set. */
    token: string | undefined;
    /** A separate listener for /metrics (same host), when set. */
    port: number | undefined;
    /** /metrics on the main port: not in production unless a token protects it. */
    onMainPort: boolean;
  };
  /** One log line per request (method, route, status, duration). */
  logRequests: boolean;
  /** Tool call usage per credential and tool (core/usage): counted in memory, written in batches. */
  usage: {
    /** Off: tools/call counts nothing (the bench compares on and off). */
    enabled: boolean;
    flushIntervalMs: number;
    /** How long hour rows and day rows are kept. */
    hourlyRetentionMs: number;
    dailyRetentionMs: number;
  };
}

export function observabilityConfig(env: Env): ObservabilityConfig {
  return {
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    tracing: {
      enabled: env.OTEL_TRACES_ENABLED === 'true',
      endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''),
      serviceName: env.OTEL_SERVICE_NAME,
    },
    metrics: {
      enabled: env.METRICS_ENABLED === 'true',
      token: env.METRICS_TOKEN,
      port: env.METRICS_PORT,
      onMainPort:
        env.METRICS_ENABLED === 'true' &&
        (env.NODE_ENV !== 'production' || env.METRICS_TOKEN !== undefined),
    },
    logRequests: (env.LOG_REQUESTS ?? String(env.NODE_ENV === 'production')) === 'true',
    usage: {
      enabled: env.USAGE_ENABLED === 'true',
      flushIntervalMs: Math.round(env.USAGE_FLUSH_SECONDS * 1000),
      hourlyRetentionMs: env.USAGE_HOURLY_RETENTION_HOURS * 3_600_000,
      dailyRetentionMs: env.USAGE_DAILY_RETENTION_DAYS * 86_400_000,
    },
  };
}
