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
  await app.register(middie);
  app.use(OAUTH_PREFIX, (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === OAUTH_ROUTES.registration) {
      const address = req.socket.remoteAddress ?? 'unknown';
      void deps.throttle.allow(address).then(
        (allowed) => {
          if (allowed) return callback(req, res);
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '3600' });
          res.end(
            JSON.stringify({
              error: 'too_many_requests',
              error_description: 'Too many client registrations from this address; try later',
            }),
          );
        },
        () => {
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'temporarily_unavailable' }));
        },
      );
      return;
    }
    void callback(req, res);
  });
  registerConsentRoutes(app, deps);
}
