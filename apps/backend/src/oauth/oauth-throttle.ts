// Per-address budgets on the authorization server, on the backend's
// @fastify/rate-limit store (Redis shared by every instance, memory on the
// embedded default): authorization requests and the consent routes share one
// budget, the server endpoints (token, revocation, ...) another; dynamic
// registrations count per hour, authorization requests also over an
// interaction's lifetime (so interaction and consent rows per address stay
// bounded), and Client ID Metadata Documents fetched on an address's behalf
// per window. Refusals are 429 with Retry-After and an OAuth-style body.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config.ts';
import { retryAfterMessage, type Limiter, type RateLimits } from '../http/rate-limits.ts';
import type { ProviderEndpoint } from './provider-endpoints.ts';

/** How long an interaction (and its consent row) lives: the provider's `ttl.Interaction`. */
export const INTERACTION_TTL_SECONDS = 600;

export interface OAuthThrottle {
  /** Seconds to wait before this request to the provider may run, else null. */
  endpoint(kind: ProviderEndpoint, request: FastifyRequest): Promise<number | null>;
  /** The consent routes: the authorization budget. */
  consent: Limiter;
  /** One Client ID Metadata Document fetched for this request's address. */
  metadataFetch: Limiter;
}

export function createOAuthThrottle(
  limits: RateLimits,
  config: Pick<Config, 'oauth' | 'rateLimit'>,
): OAuthThrottle {
  const authorize = limits.perAddress('oauth-authorize', config.rateLimit.oauthAuthorize);
  const interactions = limits.perAddress(
    'oauth-interactions',
    config.oauth.interactionsPerAddress,
    INTERACTION_TTL_SECONDS * 1000,
  );
  const server = limits.perAddress('oauth-server', config.rateLimit.oauthToken);
  const registrations = limits.perAddress(
    'oauth-registrations',
    config.oauth.registrationsPerHour,
    3_600_000,
  );
  const metadataFetch = limits.perAddress(
    'oauth-metadata-fetches',
    config.rateLimit.oauthMetadataFetches,
  );
  return {
    async endpoint(kind, request) {
      switch (kind) {
        case 'authorization': {
          const waits = await Promise.all([authorize(request), interactions(request)]);
          const over = waits.filter((w): w is number => w !== null);
          return over.length ? Math.max(...over) : null;
        }
        case 'resume':
          return authorize(request);
        case 'registration':
          return registrations(request);
        case 'server':
          return server(request);
      }
    },
    consent: authorize,
    metadataFetch,
  };
}

export const tooManyRequestsBody = (seconds: number, description = retryAfterMessage(seconds)) => ({
  error: 'too_many_requests',
  error_description: description,
});

/** A refusal on the raw response (the provider's mount has no Fastify reply). */
export function sendTooManyRequests(res: ServerResponse, seconds: number, description?: string) {
  res.writeHead(429, {
    'content-type': 'application/json; charset=utf-8',
    'retry-after': String(seconds),
    'cache-control': 'no-store',
  });
  res.end(JSON.stringify(tooManyRequestsBody(seconds, description)));
}

export function replyTooManyRequests(reply: FastifyReply, seconds: number) {
  return reply.code(429).header('retry-after', String(seconds)).send(tooManyRequestsBody(seconds));
}

// The provider's hooks (allowFetch, middleware) see only Node's request: the
// mount leaves the Fastify request on it, for its address and budgets.
const FASTIFY_REQUEST = Symbol('flowpos.fastifyRequest');
const METADATA_FETCH = Symbol('flowpos.oauthMetadataFetch');
type Tagged = IncomingMessage & {
  [FASTIFY_REQUEST]?: FastifyRequest;
  [METADATA_FETCH]?: Limiter;
};

export function tagOAuthRequest(request: FastifyRequest, metadataFetch?: Limiter): void {
  const raw = request.raw as Tagged;
  raw[FASTIFY_REQUEST] = request;
  if (metadataFetch) raw[METADATA_FETCH] = metadataFetch;
}

export const fastifyRequestOf = (req: IncomingMessage) => (req as Tagged)[FASTIFY_REQUEST];

/** The client address Fastify saw (TRUST_PROXY aware), for a request inside the provider. */
export const clientAddressOf = (req: IncomingMessage) => fastifyRequestOf(req)?.ip;

class TooManyRequests extends errors.OIDCProviderError {
  constructor(seconds: number, description: string) {
    super(429, 'too_many_requests');
    Object.assign(this, { error_description: description, allow_redirect: false });
  }
}

/**
 * Called by the provider before it fetches a metadata document: spends one
 * unit of the address's fetch budget, or refuses the request (429).
 */
export async function spendMetadataFetch(ctx: KoaContextWithOIDC | undefined): Promise<void> {
  const raw = ctx?.req as Tagged | undefined;
  const request = raw?.[FASTIFY_REQUEST];
  const budget = raw?.[METADATA_FETCH];
  if (!request || !budget) return;
  const wait = await budget(request);
  if (wait === null) return;
  ctx?.set('Retry-After', String(wait));
  throw new TooManyRequests(
    wait,
    `Too many client metadata documents fetched for this address: retry in ${wait} s`,
  );
}
