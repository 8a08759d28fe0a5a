// The person behind a REST request (/mcp/keys, /audit/export): a Firebase ID
// token in Authorization, checked by core, then their per-user rate limit.
import {
  actorFromAuthorization,
  type Actor,
  type AuditLog,
  type IdTokenVerifier,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';
import type { FastifyRequest } from 'fastify';

export interface SignedInDeps {
  db: Db;
  audit: AuditLog;
  verifier: IdTokenVerifier;
  /** Throttling per signed-in user (429 when over budget). */
  limitUser?: ((request: FastifyRequest, userId: string) => Promise<void>) | undefined;
}

export async function signedInActor(request: FastifyRequest, deps: SignedInDeps): Promise<Actor> {
  const actor = await actorFromAuthorization(
    deps.db,
    deps.verifier,
    request.headers.authorization,
    deps.audit,
  );
  await deps.limitUser?.(request, actor.userId);
  return actor;
}
