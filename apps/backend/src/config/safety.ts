// Configuration that would be dangerous, refused before the process starts:
// waits longer than the request they belong to, a previous secret with no end,
// the development secret or the Firebase emulator (which accepts forged
// tokens) anywhere the backend can be reached from elsewhere, and development
// settings in production.
import type { z } from 'zod';
import { DEV_TOKEN_SECRET } from './credentials.ts';
import { hostOfUrl, isLoopbackHost } from './hosts.ts';
import type { Env } from './schema.ts';

export function checkSafety(env: Env, ctx: z.RefinementCtx): void {
  for (const key of ['MCP_APPROVAL_ROUND_WAIT_MS', 'MCP_APPROVAL_SESSION_WAIT_MS'] as const) {
    const wait = env[key];
    if (wait !== undefined && wait >= env.MCP_REQUEST_TIMEOUT_MS)
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'must be below MCP_REQUEST_TIMEOUT_MS (the call would time out first)',
      });
  }
  if (env.MCP_TOKEN_SECRET_PREVIOUS && !env.MCP_TOKEN_SECRET_PREVIOUS_UNTIL) {
    ctx.addIssue({
      code: 'custom',
      path: ['MCP_TOKEN_SECRET_PREVIOUS_UNTIL'],
      message:
        'is required with MCP_TOKEN_SECRET_PREVIOUS (until when the previous secret is accepted)',
    });
  }
  // Reachable from other machines: no built-in secret, no emulator (it accepts forged tokens).
  const exposed =
    !isLoopbackHost(env.HOST) ||
    (env.PUBLIC_BASE_URL !== undefined && !isLoopbackHost(hostOfUrl(env.PUBLIC_BASE_URL)));
  if (exposed && (!env.MCP_TOKEN_SECRET || env.MCP_TOKEN_SECRET === DEV_TOKEN_SECRET)) {
    ctx.addIssue({
      code: 'custom',
      path: ['MCP_TOKEN_SECRET'],
      message:
        'must be a secret of your own when HOST or PUBLIC_BASE_URL is not loopback (the built-in development secret lets anyone mint tokens)',
    });
  }
  if (env.FIREBASE_AUTH_EMULATOR_HOST && env.NODE_ENV !== 'production') {
    const emulatorHost = hostOfUrl(`http://${env.FIREBASE_AUTH_EMULATOR_HOST}`);
    if (exposed || !isLoopbackHost(emulatorHost)) {
      ctx.addIssue({
        code: 'custom',
        path: ['FIREBASE_AUTH_EMULATOR_HOST'],
        message:
          'is for development on loopback only (HOST, PUBLIC_BASE_URL and the emulator on 127.0.0.1/localhost): the emulator accepts forged, unsigned ID tokens',
      });
    }
  }
  if (env.NODE_ENV === 'production') {
    if (env.MCP_TOKEN_SECRET === DEV_TOKEN_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['MCP_TOKEN_SECRET'],
        message: 'must not be the built-in development secret in production',
      });
    }
    if (env.FIREBASE_AUTH_EMULATOR_HOST) {
      ctx.addIssue({
        code: 'custom',
        path: ['FIREBASE_AUTH_EMULATOR_HOST'],
        message: 'must not be set in production: the emulator accepts forged, unsigned ID tokens',
      });
    }
    if (!env.MCP_TOKEN_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['MCP_TOKEN_SECRET'],
        message: 'is required in production',
      });
    }
    if (env.MCP_TEST_TOOLS === 'true') {
      ctx.addIssue({
        code: 'custom',
        path: ['MCP_TEST_TOOLS'],
        message: 'must not be set in production: it registers diagnostic tools',
      });
    }
    if (!env.DATABASE_URL || env.DATABASE_URL.startsWith('pglite:')) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'must be a PostgreSQL URL in production',
      });
    }
  }
}
