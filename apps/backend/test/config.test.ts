// Configuration is validated once; bad values stop the process with a clear message.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/flowpos',
  MCP_TOKEN_SECRET: 's'.repeat(40),
};

describe('loadConfig', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      publicBaseUrl: 'http://127.0.0.1:4000',
      databaseUrl: undefined,
      redisUrl: undefined,
    });
    expect(config.allowedOrigins).toContain('http://127.0.0.1:3000');
  });

  it('refuses the Firebase Auth Emulator in production', () => {
    expect(() =>
      loadConfig({ ...production, FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }),
    ).toThrow(/FIREBASE_AUTH_EMULATOR_HOST: must not be set in production/);
    expect(() => loadConfig(production)).not.toThrow();
  });

  it('requires a token secret and PostgreSQL in production', () => {
    expect(() => loadConfig({ ...production, MCP_TOKEN_SECRET: undefined })).toThrow(
      /MCP_TOKEN_SECRET: is required in production/,
    );
    expect(() => loadConfig({ ...production, DATABASE_URL: undefined })).toThrow(/DATABASE_URL/);
  });

  it('names every bad value', () => {
    try {
      loadConfig({ PORT: 'eighty', MCP_TOKEN_SECRET: 'short' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/MCP_TOKEN_SECRET must be at least 32 characters/);
    }
  });
});

describe('token secret rotation', () => {
  it('takes the previous secret with the date until which it is accepted', () => {
    const config = loadConfig({
      ...production,
      MCP_TOKEN_SECRET_PREVIOUS: 'p'.repeat(40),
      MCP_TOKEN_SECRET_PREVIOUS_UNTIL: '2026-12-08T00:00:00Z',
    });
    expect(config.previousTokenSecret).toEqual({
      secret: 'p'.repeat(40),
      until: Date.parse('2026-12-08T00:00:00Z'),
    });
    expect(loadConfig(production).previousTokenSecret).toBeUndefined();
  });

  it('refuses a previous secret without a window or with a bad date', () => {
    expect(() => loadConfig({ ...production, MCP_TOKEN_SECRET_PREVIOUS: 'p'.repeat(40) })).toThrow(
      /MCP_TOKEN_SECRET_PREVIOUS_UNTIL: is required/,
    );
    expect(() =>
      loadConfig({
        ...production,
        MCP_TOKEN_SECRET_PREVIOUS: 'p'.repeat(40),
        MCP_TOKEN_SECRET_PREVIOUS_UNTIL: 'next week',
      }),
    ).toThrow(/MCP_TOKEN_SECRET_PREVIOUS_UNTIL: must be an ISO 8601 date-time/);
  });
});

describe('logs', () => {
  it('logs one line per request in production only, unless told otherwise', () => {
    expect(loadConfig(production).logRequests).toBe(true);
    expect(loadConfig({}).logRequests).toBe(false);
    expect(loadConfig({ LOG_REQUESTS: 'true' }).logRequests).toBe(true);
    expect(loadConfig({ ...production, LOG_REQUESTS: 'false' }).logRequests).toBe(false);
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'fancy' })).toThrow(/LOG_FORMAT/);
  });
});

describe('metrics exposure', () => {
  it('serves /metrics on the main port in development, and in production only behind a token', () => {
    expect(loadConfig({}).metrics).toMatchObject({ enabled: true, onMainPort: true });
    expect(loadConfig(production).metrics).toMatchObject({ enabled: true, onMainPort: false });
    expect(loadConfig({ ...production, METRICS_TOKEN: 't'.repeat(24) }).metrics.onMainPort).toBe(
      true,
    );
    expect(loadConfig({ ...production, METRICS_PORT: '9464' }).metrics).toMatchObject({
      port: 9464,
      onMainPort: false,
    });
    expect(loadConfig({ METRICS_ENABLED: 'false' }).metrics.onMainPort).toBe(false);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});

describe('no development secrets off loopback', () => {
  const exposedHosts = [
    { HOST: '0.0.0.0' },
    { HOST: '10.0.0.5' },
    { PUBLIC_BASE_URL: 'https://mcp.example.com' },
  ];

  it('refuses the built-in token secret when HOST or PUBLIC_BASE_URL is not loopback', () => {
    for (const where of exposedHosts) {
      expect(() => loadConfig(where)).toThrow(
        /MCP_TOKEN_SECRET: must be a secret of your own when HOST or PUBLIC_BASE_URL is not loopback/,
      );
      expect(() => loadConfig({ ...where, MCP_TOKEN_SECRET: 's'.repeat(40) })).not.toThrow();
    }
    expect(() =>
      loadConfig({
        HOST: '0.0.0.0',
        MCP_TOKEN_SECRET: 'flowpos-dev-only-secret-change-me-in-production',
      }),
    ).toThrow(/MCP_TOKEN_SECRET: must be a secret of your own/);
  });

  it('accepts the built-in secret and the emulator on loopback, in development and tests', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) {
      expect(() =>
        loadConfig({ HOST: host, FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }),
      ).not.toThrow();
    }
    expect(() =>
      loadConfig({
        NODE_ENV: 'test',
        PUBLIC_BASE_URL: 'http://[::1]:4000',
        FIREBASE_AUTH_EMULATOR_HOST: 'localhost:9099',
      }),
    ).not.toThrow();
  });

  it('refuses the emulator off loopback, and the built-in secret in production', () => {
    const secret = { MCP_TOKEN_SECRET: 's'.repeat(40) };
    for (const where of exposedHosts) {
      expect(() =>
        loadConfig({ ...where, ...secret, FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' }),
      ).toThrow(/FIREBASE_AUTH_EMULATOR_HOST: is for development on loopback only/);
    }
    expect(() => loadConfig({ FIREBASE_AUTH_EMULATOR_HOST: '10.1.2.3:9099' })).toThrow(
      /FIREBASE_AUTH_EMULATOR_HOST/,
    );
    expect(() =>
      loadConfig({
        ...production,
        MCP_TOKEN_SECRET: 'flowpos-dev-only-secret-change-me-in-production',
      }),
    ).toThrow(/must not be the built-in development secret in production/);
  });

  it('the backend process stops with one line naming the problem', async () => {
    const child = spawn(process.execPath, ['apps/backend/src/main.ts'], {
      cwd: resolve(import.meta.dirname, '../../..'),
      env: {
        PATH: process.env.PATH,
        HOST: '0.0.0.0',
        PORT: '0',
        FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^Invalid configuration: MCP_TOKEN_SECRET: must be a secret of your own .*; FIREBASE_AUTH_EMULATOR_HOST: is for development on loopback only/,
    );
  });
});

describe('tracing', () => {
  it('is off by default and takes its OTLP endpoint from the environment', () => {
    expect(loadConfig({}).tracing).toEqual({
      enabled: false,
      endpoint: 'http://127.0.0.1:4318',
      serviceName: 'flowpos-backend',
    });
    expect(
      loadConfig({
        OTEL_TRACES_ENABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      }).tracing,
    ).toMatchObject({ enabled: true, endpoint: 'http://collector:4318' });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
  });
});

describe('approval in the client', () => {
  it('waits a few seconds per 2026 round and most of the request timeout on 2025 sessions by default', () => {
    expect(loadConfig({}).approvals).toEqual({
      roundWaitMs: 3_000,
      maxRounds: 8,
      sessionWaitMs: 45_000,
    });
    expect(loadConfig({ MCP_REQUEST_TIMEOUT_MS: '2000' }).approvals).toMatchObject({
      roundWaitMs: 1_000,
      sessionWaitMs: 1_500,
    });
  });

  it('refuses waits the request timeout would cut short, and more rounds than SDK clients retry', () => {
    expect(() =>
      loadConfig({ MCP_REQUEST_TIMEOUT_MS: '5000', MCP_APPROVAL_ROUND_WAIT_MS: '5000' }),
    ).toThrow(/MCP_APPROVAL_ROUND_WAIT_MS: must be below MCP_REQUEST_TIMEOUT_MS/);
    expect(() =>
      loadConfig({ MCP_REQUEST_TIMEOUT_MS: '5000', MCP_APPROVAL_SESSION_WAIT_MS: '6000' }),
    ).toThrow(/MCP_APPROVAL_SESSION_WAIT_MS: must be below MCP_REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ MCP_APPROVAL_ROUNDS: '10' })).toThrow(/MCP_APPROVAL_ROUNDS/);
  });

  it('counts usage by default, keeps hours 48 h and days 90 days, and can be switched off', () => {
    expect(loadConfig({}).usage).toEqual({
      enabled: true,
      flushIntervalMs: 5_000,
      hourlyRetentionMs: 48 * 3_600_000,
      dailyRetentionMs: 90 * 86_400_000,
    });
    const custom = loadConfig({
      USAGE_ENABLED: 'false',
      USAGE_FLUSH_SECONDS: '0.5',
      USAGE_HOURLY_RETENTION_HOURS: '72',
      USAGE_DAILY_RETENTION_DAYS: '30',
    }).usage;
    expect(custom).toEqual({
      enabled: false,
      flushIntervalMs: 500,
      hourlyRetentionMs: 72 * 3_600_000,
      dailyRetentionMs: 30 * 86_400_000,
    });
    expect(() => loadConfig({ USAGE_DAILY_RETENTION_DAYS: '0' })).toThrow(
      /USAGE_DAILY_RETENTION_DAYS/,
    );
  });
});
