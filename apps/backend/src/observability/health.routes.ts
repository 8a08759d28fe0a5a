// Probes for load balancers and orchestrators:
//   /livez   the process answers (restart it when this fails);
//   /readyz  PostgreSQL and Redis answer (send no traffic while 503);
//   /healthz both, with the instance id and session store, for people.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import { isHealthy, type DependencyHealth } from './dependency-health.ts';

export interface HealthRouteDeps {
  config: Config;
  sessionStore: string;
  checkDependencies: () => Promise<DependencyHealth>;
}

export function registerHealthRoutes(app: FastifyInstance, deps: HealthRouteDeps): void {
  app.get('/livez', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const health = await deps.checkDependencies();
    const ok = isHealthy(health);
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', ...health });
  });

  app.get('/healthz', async (_request, reply) => {
    const health = await deps.checkDependencies();
    const ok = isHealthy(health);
    return reply.code(ok ? 200 : 503).send({
      status: ok ? 'ok' : 'degraded',
      instanceId: deps.config.instanceId,
      sessionStore: deps.sessionStore,
      ...health,
    });
  });
}
