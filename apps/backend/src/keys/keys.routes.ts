// /mcp/keys for scripts: list, create, roll, revoke API keys and set their tool policy with a
// Firebase ID token. The same core functions back the console's tRPC procedures.
import {
  createApiKey,
  expirePreviousSecrets,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
  updateApiKeyToolPolicy,
  type KeyServiceDeps,
} from '@flowpos/core';
import type { FastifyInstance } from 'fastify';
import { signedInActor, type SignedInDeps } from '../http/signed-in.ts';

export interface KeyRouteDeps extends KeyServiceDeps, SignedInDeps {}

export function registerKeyRoutes(app: FastifyInstance, deps: KeyRouteDeps): void {
  app.get('/mcp/keys', async (request) => {
    const actor = await signedInActor(request, deps);
    const { businessId } = request.query as { businessId?: string };
    return { keys: await listApiKeys(deps, actor, businessId ?? '') };
  });

  app.post('/mcp/keys', async (request, reply) => {
    const actor = await signedInActor(request, deps);
    const created = await createApiKey(deps, actor, request.body);
    reply.header('Cache-Control', 'no-store');
    return reply.code(201).send(created);
  });

  // Body {overlap: "none" | "1h" | "1d" | "7d"}: the old secret works that long.
  app.post('/mcp/keys/:id/rotate', async (request, reply) => {
    const actor = await signedInActor(request, deps);
    const { id } = request.params as { id: string };
    const body = (request.body ?? {}) as Record<string, unknown>;
    const rotated = await rotateApiKey(deps, actor, { ...body, keyId: id });
    reply.header('Cache-Control', 'no-store');
    return reply.code(201).send(rotated);
  });

  // A rolled key's older secrets stop now (the overlap ends early).
  app.post('/mcp/keys/:id/expire-previous', async (request) => {
    const actor = await signedInActor(request, deps);
    const { id } = request.params as { id: string };
    return expirePreviousSecrets(deps, actor, id);
  });

  // Body: the policy, {kind: "all" | "read_only"} or {kind: "tools", tools: [names]}.
  // Live sessions and listen streams of the key follow (tools/list_changed).
  app.put('/mcp/keys/:id/tool-policy', async (request) => {
    const actor = await signedInActor(request, deps);
    const { id } = request.params as { id: string };
    return updateApiKeyToolPolicy(deps, actor, { keyId: id, toolPolicy: request.body });
  });

  // Every secret of the key stops at once (a rolled key's older ones too).
  app.delete('/mcp/keys/:id', async (request) => {
    const actor = await signedInActor(request, deps);
    const { id } = request.params as { id: string };
    return revokeApiKey(deps, actor, id);
  });
}
