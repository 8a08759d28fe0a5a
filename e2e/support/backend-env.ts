// The environment of an E2E backend instance: every instance of the run shares
// the database, the Redis prefix, the token secret and the public URL, as the
// instances of one deployment behind a load balancer do.
import { TEST_RATE_LIMITS } from '../../apps/backend/harness/test-rate-limits.ts';
import { BACKEND_URL, CONSOLE_URL, EMULATOR_HOST, REDIS_URL, redisKeyPrefix } from './env.ts';

export function backendEnv(databaseUrl: string, port: number, instanceId: string) {
  return {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_BASE_URL: BACKEND_URL,
    // OAuth sign-in and consent happen on the console under test.
    CONSOLE_URL,
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix(),
    FIREBASE_AUTH_EMULATOR_HOST: EMULATOR_HOST,
    MCP_TOKEN_SECRET: 'e2e-test-secret-not-for-production-0123456789',
    INSTANCE_ID: instanceId,
    LOG_LEVEL: process.env.E2E_BACKEND_LOG_LEVEL ?? 'warn',
    // A person signs in and decides in the browser while an AI client's call waits.
    MCP_APPROVAL_ROUND_WAIT_MS: '5000',
    MCP_APPROVAL_ROUNDS: '9',
    // Parallel browsers sign in as the same demo users from 127.0.0.1: budgets no run reaches.
    ...TEST_RATE_LIMITS,
  };
}
