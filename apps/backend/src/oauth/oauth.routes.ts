// Mounts the authorization server: oidc-provider's endpoints under /oauth
// (through @fastify/middie; the provider reads its own request bodies), dynamic
// registration throttled per client address, and the consent routes.
import middie from '@fastify/middie';
import type { Db } from '@flowpos/db';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Config } from '../config.ts';
import { OAUTH_PREFIX, OAUTH_ROUTES } from './authorization-server.ts';
import { registerConsentRoutes } from './consent.routes.ts';
import type { RegistrationThrottle } from './registration-throttle.ts';

export interface OAuthRouteDeps {
  config: Config;
  db: Db;
  provider: Provider;
  throttle: RegistrationThrottle;
}

export async function registerOAuthRoutes(app: FastifyInstance, deps: OAuthRouteDeps) {
  const callback = deps.provider.callback();
  const registration = `${OAUTH_PREFIX}${OAUTH_ROUTES.registration}`;
  // Before middie's own hook: the client address as Fastify sees it (TRUST_PROXY aware).
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST' || request.url.split('?')[0] !== registration) return;
    if (await deps.throttle.allow(request.ip)) return;
    return reply.code(429).header('retry-after', '3600').send({
      error: 'too_many_requests',
      error_description: 'Too many client registrations from this address; try later',
    });
  });
  await app.register(middie);
  app.use(OAUTH_PREFIX, (req: IncomingMessage, res: ServerResponse) => void callback(req, res));
  registerConsentRoutes(app, deps);
}
