// /metrics in Prometheus text format: on the main port (development, or behind
// METRICS_TOKEN in production) and/or on a listener of its own (METRICS_PORT),
// which a deployment keeps off the public network.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { bearerToken } from '@flowpos/core';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics.ts';

function allowed(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = Buffer.from(bearerToken(authorization) ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

async function scrape(metrics: Metrics, authorization: string | undefined, token?: string) {
  if (!allowed(authorization, token)) {
    return { status: 401, type: 'application/json', body: '{"error":"metrics token required"}' };
  }
  return { status: 200, type: metrics.contentType(), body: await metrics.render() };
}

export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, token?: string) {
  app.get('/metrics', async (request, reply) => {
    const answer = await scrape(metrics, request.headers.authorization, token);
    if (answer.status === 401) reply.header('WWW-Authenticate', 'Bearer');
    return reply.code(answer.status).type(answer.type).send(answer.body);
  });
}

/** A plain HTTP listener serving only GET /metrics. */
export async function startMetricsServer(
  metrics: Metrics,
  options: { host: string; port: number; token?: string },
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    scrape(metrics, req.headers.authorization, options.token).then(
      (answer) => res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}
