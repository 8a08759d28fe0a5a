// The credentials the backend accepts and issues: Firebase sign-in, MCP
// access tokens (V2) and their refresh chain, the OAuth authorization
// server's tokens and registrations, the API key cache.
import { z } from 'zod';
import type { Env } from './schema.ts';

export const DEV_TOKEN_SECRET = 'flowpos-dev-only-secret-change-me-in-production';

const refreshMaxAge = z.coerce.number().int().min(300);
const DEFAULT_REFRESH_MAX_AGE_SECONDS = 30 * 86_400;

export const credentialsEnv = {
  FIREBASE_PROJECT_ID: z.string().min(1).default('demo-flowpos'),
  FIREBASE_AUTH_EMULATOR_HOST: z.string().optional(),
  MCP_TOKEN_SECRET: z
    .string()
    .min(32, 'MCP_TOKEN_SECRET must be at least 32 characters')
    .optional(),
  MCP_TOKEN_SECRET_PREVIOUS: z
    .string()
    .min(32, 'MCP_TOKEN_SECRET_PREVIOUS must be at least 32 characters')
    .optional(),
  MCP_TOKEN_SECRET_PREVIOUS_UNTIL: z.iso
    .datetime({
      offset: true,
      message: 'must be an ISO 8601 date-time, e.g. 2026-12-08T00:00:00Z',
    })
    .optional(),
  MCP_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400 * 30)
    .default(3600),
  // How long a refresh chain may go on from the original sign-in (the token
  // refresh rule in core's tokens/token-refresh.ts).
  MCP_TOKEN_REFRESH_MAX_AGE_SECONDS: refreshMaxAge.optional(),
  /** Deprecated: the former name of MCP_TOKEN_REFRESH_MAX_AGE_SECONDS, still read (with a warning). */
  MCP_MAX_SESSION_AGE_SECONDS: refreshMaxAge.optional(),
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  OAUTH_REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(86_400 * 365)
    .default(86_400 * 30),
  OAUTH_REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).default(60),
  OAUTH_UNUSED_CLIENT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(86_400 * 30)
    .default(86_400),
  OAUTH_PENDING_CLIENTS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  OAUTH_INTERACTIONS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(30_000),
};

export interface CredentialsConfig {
  firebaseProjectId: string;
  firebaseEmulatorHost: string | undefined;
  tokenSecret: string;
  /** The secret before the last rotation and until when (epoch ms) it still verifies. */
  previousTokenSecret: { secret: string; until: number } | undefined;
  tokenTtlSeconds: number;
  /** Age limit of a token refresh chain from the original sign-in. */
  tokenRefreshMaxAgeSeconds: number;
  oauth: {
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** Dynamic client registrations allowed per client IP and hour. */
    registrationsPerHour: number;
    /** A dynamically registered client that no grant has used by then is deleted. */
    unusedClientTtlSeconds: number;
    /** Registered clients not yet used by a grant, per registering address. */
    pendingClientsPerAddress: number;
    /** Authorization requests per address over an interaction's lifetime (INTERACTION_TTL_SECONDS). */
    interactionsPerAddress: number;
  };
  keyCacheTtlMs: number;
  /** Deprecated settings in use, each saying what replaces it: logged as warnings at start. */
  deprecations: string[];
}

export function credentialsConfig(env: Env): CredentialsConfig {
  return {
    firebaseProjectId: env.FIREBASE_PROJECT_ID,
    firebaseEmulatorHost: env.FIREBASE_AUTH_EMULATOR_HOST || undefined,
    tokenSecret: env.MCP_TOKEN_SECRET ?? DEV_TOKEN_SECRET,
    previousTokenSecret:
      env.MCP_TOKEN_SECRET_PREVIOUS && env.MCP_TOKEN_SECRET_PREVIOUS_UNTIL
        ? {
            secret: env.MCP_TOKEN_SECRET_PREVIOUS,
            until: Date.parse(env.MCP_TOKEN_SECRET_PREVIOUS_UNTIL),
          }
        : undefined,
    tokenTtlSeconds: env.MCP_TOKEN_TTL_SECONDS,
    tokenRefreshMaxAgeSeconds:
      env.MCP_TOKEN_REFRESH_MAX_AGE_SECONDS ??
      env.MCP_MAX_SESSION_AGE_SECONDS ??
      DEFAULT_REFRESH_MAX_AGE_SECONDS,
    oauth: {
      accessTokenTtlSeconds: env.OAUTH_ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.OAUTH_REFRESH_TOKEN_TTL_SECONDS,
      registrationsPerHour: env.OAUTH_REGISTRATIONS_PER_HOUR,
      unusedClientTtlSeconds: env.OAUTH_UNUSED_CLIENT_TTL_SECONDS,
      pendingClientsPerAddress: env.OAUTH_PENDING_CLIENTS_PER_ADDRESS,
      interactionsPerAddress: env.OAUTH_INTERACTIONS_PER_ADDRESS,
    },
    keyCacheTtlMs: env.KEY_CACHE_TTL_MS,
    deprecations:
      env.MCP_MAX_SESSION_AGE_SECONDS === undefined
        ? []
        : [
            env.MCP_TOKEN_REFRESH_MAX_AGE_SECONDS === undefined
              ? 'MCP_MAX_SESSION_AGE_SECONDS is deprecated: rename it MCP_TOKEN_REFRESH_MAX_AGE_SECONDS (same meaning: the age limit of a token refresh chain)'
              : 'MCP_MAX_SESSION_AGE_SECONDS is deprecated and ignored: MCP_TOKEN_REFRESH_MAX_AGE_SECONDS is set',
          ],
  };
}
