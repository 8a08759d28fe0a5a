// /mcp/keys for scripts: list, create and revoke API keys with a Firebase ID
// token. The same core functions back the console's tRPC procedures.
import {
  createApiKey,
  listApiKeys,
  actorFromAuthorization,
  revokeApiKey,
  type Actor,
  type IdTokenVerifier,
  type KeyServiceDeps,
} from '@flowpos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

function actorFromRequest(
  request: FastifyRequest,
  verifier: IdTokenVerifier,
  db: KeyServiceDeps['db'],
  audit: KeyServiceDeps['audit'],
): Promise<Actor> {
  return actorFromAuthorization(db, verifier, request.headers.authorization, audit);
}

export function registerKeyRoutes(
  app: FastifyInstance,
  deps: KeyServiceDeps & { verifier: IdTokenVerifier },
): void {
  app.get('/mcp/keys', async (request) => {
    const actor = await actorFromRequest(request, deps.verifier, deps.db, deps.audit);
    const { businessId } = request.query as { businessId?: string };
    return { keys: await listApiKeys(deps, actor, businessId ?? '') };
  });

  app.post('/mcp/keys', async (request, reply) => {
    const actor = await actorFromRequest(request, deps.verifier, deps.db, deps.audit);
    const created = await createApiKey(deps, actor, request.body);
    reply.header('Cache-Control', 'no-store');
    return reply.code(201).send(created);
  });

  app.delete('/mcp/keys/:id', async (request) => {
    const actor = await actorFromRequest(request, deps.verifier, deps.db, deps.audit);
    const { id } = request.params as { id: string };
    return revokeApiKey(deps, actor, id);
  });
}
