// Throttling with @fastify/rate-limit: counters in Redis (shared by every
// instance) when REDIS_URL is set, in memory for the embedded default. Four
// limits per window: failed authentication on /mcp per client address,
// /mcp/token and /mcp/token/refresh per address, /mcp/keys and tRPC per
// user, and a generous one per credential on authenticated /mcp traffic.
// Other modules build their own per-address limits on the same store
// (`perAddress`: the OAuth endpoints). A credential's budget is the one its
// merchant set (the key's or connected app's own, else the business default,
// from memory: core's CredentialLimits), else RATE_LIMIT_MCP. Refusals are 429 with Retry-After (a JSON-RPC error body on /mcp). When
// Redis does not answer, requests pass (the limits fail open).
import fastifyRateLimit from '@fastify/rate-limit';
import {
  tooManyRequests,
  type CredentialLimits,
  type CredentialLimitSet,
  type Principal,
} from '@flowpos/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { addressKey } from './address-key.ts';
import { JSONRPC, sendJsonRpcError } from './json-rpc.ts';

/** What the /mcp limits need of a request's credential (McpAuthGuard's answer). */
interface Credential {
  credential: string;
  principal: Pick<Principal, 'activeBusinessId'>;
}

/** The credential check the /mcp limits run (McpAuthGuard, shared with the controller). */
export interface CredentialCheck {
  authenticate(authorization: string | undefined): Promise<Credential | null>;
}

/** The seconds to wait when the request is over its budget, else null. */
export type Limiter = (req: FastifyRequest) => Promise<number | null>;

export interface RateLimits {
  /** onRequest for /mcp: refuses an address over its failed-auth budget, or a credential over its own. */
  mcpRequest(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** onResponse for /mcp: a 401 spends one unit of the address's failed-auth budget. */
  mcpResponse(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** onRequest for /mcp/token and /mcp/token/refresh. */
  tokenRequest(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** After sign-in (tRPC, /mcp/keys): throws 429 when the user is over budget. */
  forUser(request: FastifyRequest, userId: string): Promise<void>;
  /** A diagnosis (tRPC diagnose.run): throws 429 when the user is over RATE_LIMIT_DIAGNOSE. */
  diagnose(request: FastifyRequest, userId: string): Promise<void>;
  /** A budget of `max` requests per client address and window (RATE_LIMIT_WINDOW_SECONDS unless given). */
  perAddress(kind: string, max: number, windowMs?: number): Limiter;
}

const USER = Symbol('flowpos.rateLimitUser');
const CREDENTIAL = Symbol('flowpos.rateLimitCredential');
const CREDENTIAL_MAX = Symbol('flowpos.rateLimitCredentialMax');
type Tagged = FastifyRequest & {
  [USER]?: string;
  [CREDENTIAL]?: string;
  [CREDENTIAL_MAX]?: number;
};

export function retryAfterMessage(seconds: number): string {
  return `Too many requests: retry in ${seconds} s`;
}

export async function registerRateLimits(
  app: FastifyInstance,
  config: Pick<Config, 'rateLimit' | 'redisKeyPrefix'>,
  redis: Redis | undefined,
  guard: CredentialCheck,
  /** Merchants' per-credential limits; absent: RATE_LIMIT_MCP for every credential. */
  credentialLimits?: CredentialLimits,
): Promise<RateLimits | null> {
  const settings = config.rateLimit;
  if (!settings.enabled) return null;
  await app.register(fastifyRateLimit, {
    global: false,
    skipOnError: true,
    timeWindow: settings.windowMs,
    ...(redis ? { redis, nameSpace: `${config.redisKeyPrefix}ratelimit:` } : {}),
  });

  /**
   * `count` spends one unit and answers the seconds to wait when over `max`,
   * else null; `read` answers the same without spending. Both use one store:
   * in memory every createRateLimit has a store of its own, so a reader made
   * apart from its counter would never see a count.
   */
  const budget = (
    kind: string,
    max: number | ((req: FastifyRequest) => number),
    key: (req: Tagged) => string,
    windowMs = settings.windowMs,
  ): { count: Limiter; read: Limiter } => {
    const check = app.createRateLimit({
      max,
      timeWindow: windowMs,
      keyGenerator: (req) => `${kind}:${key(req as Tagged)}`,
    });
    const run =
      (increment: boolean): Limiter =>
      async (req) => {
        const result = await check(req, { increment });
        if (result.isAllowed) return null;
        const over = increment ? result.isExceeded : result.remaining === 0;
        return over ? Math.max(1, result.ttlInSeconds) : null;
      };
    return { count: run(true), read: run(false) };
  };
  const limiter = (
    kind: string,
    max: number | ((req: FastifyRequest) => number),
    key: (req: Tagged) => string,
    windowMs?: number,
  ) => budget(kind, max, key, windowMs).count;
  const authFailures = budget('auth-fail', settings.authFailures, (r) => addressKey(r.ip));
  const authFailuresSoFar = authFailures.read;
  const authFailed = authFailures.count;
  const perCredential = limiter(
    'mcp',
    credentialLimits ? (r) => (r as Tagged)[CREDENTIAL_MAX] ?? settings.mcp : settings.mcp,
    (r) => r[CREDENTIAL] ?? '',
  );
  // A merchant's figure is per minute; the window may be another length.
  const perWindow = (perMinute: number) =>
    Math.max(1, Math.round((perMinute * settings.windowMs) / 60_000));
  /**
   * Tags the request with its credential's budget (none: RATE_LIMIT_MCP) and
   * what it is counted under (a rolled key's secrets: one counter). From
   * memory as a rule, without waiting; a cache miss reads the database once
   * per credential and 30 s (a failed read leaves RATE_LIMIT_MCP).
   */
  const tagCredentialMax = (request: Tagged, auth: Credential): void | Promise<void> => {
    if (!credentialLimits) return;
    const tag = (set: CredentialLimitSet | undefined) => {
      // The secrets of a rolled key spend one budget, counted as its daily caps are.
      if (set) request[CREDENTIAL] = set.counter;
      const perMinute = set?.effective.callsPerMinute;
      if (perMinute != null) request[CREDENTIAL_MAX] = perWindow(perMinute);
    };
    const business = auth.principal.activeBusinessId;
    const cached = credentialLimits.peek(auth.credential, business);
    if (cached) return tag(cached);
    return credentialLimits.get(auth.credential, business).then(tag, () => undefined);
  };
  const perAddressToken = limiter('token', settings.token, (r) => addressKey(r.ip));
  const perUser = limiter('user', settings.user, (r) => r[USER] ?? '');
  const diagnosesPerUser = limiter('diagnose', settings.diagnose, (r) => r[USER] ?? '');

  const refuseJsonRpc = (reply: FastifyReply, seconds: number) => {
    reply.header('Retry-After', String(seconds));
    sendJsonRpcError(reply, 429, JSONRPC.SERVER_ERROR, retryAfterMessage(seconds));
  };

  return {
    async mcpRequest(request, reply) {
      // The address's failed-auth budget is read while the credential is
      // authenticated (from the key cache, as a rule) and counted: both
      // counters travel to Redis together, one round trip instead of two.
      // Over the address budget, the answer is 429 whatever the credential.
      const [blocked, wait] = await Promise.all([
        authFailuresSoFar(request),
        guard.authenticate(request.headers.authorization).then(async (auth) => {
          if (!auth) return null;
          (request as Tagged)[CREDENTIAL] = auth.credential;
          const loading = tagCredentialMax(request as Tagged, auth);
          if (loading) await loading;
          return perCredential(request);
        }),
      ]);
      if (blocked !== null) return refuseJsonRpc(reply, blocked);
      if (wait !== null) refuseJsonRpc(reply, wait);
    },
    async mcpResponse(request, reply) {
      if (reply.statusCode === 401) await authFailed(request);
    },
    async tokenRequest(request, reply) {
      const wait = await perAddressToken(request);
      if (wait === null) return;
      reply.header('Retry-After', String(wait));
      await reply.code(429).send({ error: retryAfterMessage(wait), code: 'TOO_MANY_REQUESTS' });
    },
    async forUser(request, userId) {
      (request as Tagged)[USER] = userId;
      const wait = await perUser(request);
      if (wait !== null) throw tooManyRequests(wait);
    },
    async diagnose(request, userId) {
      (request as Tagged)[USER] = userId;
      const wait = await diagnosesPerUser(request);
      if (wait !== null) throw tooManyRequests(wait);
    },
    perAddress: (kind, max, windowMs) => limiter(kind, max, (r) => addressKey(r.ip), windowMs),
  };
}
