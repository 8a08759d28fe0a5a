// POST /mcp/token and POST /mcp/token/refresh: thin over McpTokenService.
import type { FastifyInstance } from 'fastify';
import type { McpTokenService } from '../mcp/application/mcp-token.service.ts';

export function registerTokenRoutes(app: FastifyInstance, tokens: McpTokenService): void {
  app.post('/mcp/token', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return tokens.exchangeFirebaseToken(request.body);
  });
  app.post('/mcp/token/refresh', async (request, reply) => {
    reply.header('Cache-Control', 'no-store');
    return tokens.refresh(request.body);
  });
}
