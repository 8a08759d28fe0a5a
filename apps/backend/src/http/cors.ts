// CORS for browser-based MCP clients on /mcp, /mcp/token* and /.well-known/*:
// preflights answered for allowed origins, the MCP headers allowed and
// exposed. Other routes (the console's /trpc goes through a same-origin
// rewrite) get no CORS headers.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MCP_PATH } from '../config.ts';
import type { OriginPolicy } from './origin-policy.ts';

const ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'MCP-Protocol-Version',
  'Mcp-Method',
  'Mcp-Name',
  'Mcp-Session-Id',
  'Last-Event-ID',
].join(', ');
const EXPOSE_HEADERS = ['Mcp-Session-Id', 'MCP-Protocol-Version', 'WWW-Authenticate'].join(', ');
const ALLOW_METHODS = 'GET, POST, DELETE, OPTIONS';

export function isCorsPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return (
    path === MCP_PATH ||
    path === `${MCP_PATH}/token` ||
    path === `${MCP_PATH}/token/refresh` ||
    path.startsWith('/.well-known/')
  );
}

export function registerCors(app: FastifyInstance, policy: OriginPolicy): void {
  const allowedOrigin = (request: FastifyRequest): string | null => {
    const origin = request.headers.origin;
    return origin && isCorsPath(request.url) && policy.allowsOrigin(origin) ? origin : null;
  };

  app.addHook('onRequest', async (request, reply) => {
    const origin = allowedOrigin(request);
    if (!origin) return;
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    reply.header('Vary', 'Origin');
  });

  const preflight = async (request: FastifyRequest, reply: FastifyReply) => {
    if (!allowedOrigin(request)) return reply.code(403).send({ error: 'Origin not allowed' });
    return reply
      .code(204)
      .header('Access-Control-Allow-Methods', ALLOW_METHODS)
      .header('Access-Control-Allow-Headers', ALLOW_HEADERS)
      .header('Access-Control-Max-Age', '600')
      .send();
  };
  for (const path of [MCP_PATH, `${MCP_PATH}/token`, `${MCP_PATH}/token/refresh`, '/.well-known/*'])
    app.options(path, preflight);
}
