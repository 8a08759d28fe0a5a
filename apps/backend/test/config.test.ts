// Configuration is validated once; bad values stop the process with a clear message.
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
