// Mounts the authorization server: oidc-provider's endpoints under /oauth
// (through @fastify/middie; the provider reads its own request bodies) and the
// consent routes. Only the canonical path of each provider route is forwarded
// (provider-endpoints.ts), each throttled per client address as the endpoint
// it is (oauth-throttle.ts), registrations within the address's cap of
// unused clients (client-registrations.ts).
import middie from '@fastify/middie';
import type { Db } from '@flowpos/db';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import type { RateLimits } from '../http/rate-limits.ts';
import { OAUTH_PREFIX } from './authorization-server.ts';
import { TOO_MANY_UNUSED, type ClientRegistrations } from './client-registrations.ts';
import { registerConsentRoutes } from './consent.routes.ts';
import {
  createOAuthThrottle,
  fastifyRequestOf,
  replyTooManyRequests,
  sendTooManyRequests,
  tagOAuthRequest,
} from './oauth-throttle.ts';
import { providerEndpoint } from './provider-endpoints.ts';

export interface OAuthRouteDeps {
  config: Config;
  db: Db;
  provider: Provider;
  registrations: ClientRegistrations;
  /** Null when throttling is off (RATE_LIMIT_ENABLED=false). */
  limits: RateLimits | null;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function registerOAuthRoutes(app: FastifyInstance, deps: OAuthRouteDeps) {
  const { provider, registrations } = deps;
  const callback = provider.callback();
  const throttle = deps.limits ? createOAuthThrottle(deps.limits, deps.config) : null;

  // Before middie's own hook: the provider's hooks find the Fastify request
  // (its TRUST_PROXY-aware address) and the fetch budget on Node's request.
  app.addHook('onRequest', (request, _reply, done) => {
    tagOAuthRequest(request, throttle?.metadataFetch);
    done();
  });

  /** `req.url` is what the provider routes on: the path below the mount, whatever spelling of the mount matched. */
  const gate = async (req: IncomingMessage, res: ServerResponse) => {
    const endpoint = providerEndpoint(req.url ?? '');
    const request = fastifyRequestOf(req);
    if (!endpoint || !request) {
      return sendJson(res, 404, { error: 'not_found', error_description: 'No such endpoint' });
    }
    const wait = await throttle?.endpoint(endpoint, request);
    if (wait) return sendTooManyRequests(res, wait);
    if (endpoint === 'registration' && req.method === 'POST') {
      const full = await registrations.full(request.ip);
      if (full !== null) return sendTooManyRequests(res, full, TOO_MANY_UNUSED);
    }
    await callback(req, res);
  };

  await app.register(middie);
  app.use(OAUTH_PREFIX, (req: IncomingMessage, res: ServerResponse) => {
    gate(req, res).catch((err: unknown) => {
      fastifyRequestOf(req)?.log.error({ err }, 'authorization server request failed');
      if (!res.headersSent) {
        sendJson(res, 503, {
          error: 'temporarily_unavailable',
          error_description: 'Try again shortly',
        });
      } else res.end();
    });
  });

  await app.register(async (scope) => {
    if (throttle) {
      scope.addHook('onRequest', async (request, reply) => {
        const wait = await throttle.consent(request);
        if (wait !== null) return replyTooManyRequests(reply, wait);
      });
    }
    registerConsentRoutes(scope, deps);
  });
}
