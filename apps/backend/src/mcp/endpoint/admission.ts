// Who may use /mcp: DNS-rebinding protection (only our own host names, and
// browser pages only from allowed origins), then McpAuthGuard; and, for a
// tools/call beyond an OAuth token's scopes, the 403 step-up challenge.
import type { Principal, ToolRegistry } from '@flowpos/core';
import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JSONRPC, sendJsonRpcError } from '../../http/json-rpc.ts';
import type { OriginPolicy } from '../../http/origin-policy.ts';
import { insufficientScopeChallenge, unauthorizedChallenge } from '../auth/auth-challenge.ts';
import { AUTH_REQUIRED_MESSAGE, type McpAuthGuard } from '../interfaces/guards/mcp-auth.guard.ts';
import type { Authenticated } from '../shared/authenticated.ts';

export interface AdmissionDeps {
  guard: McpAuthGuard;
  origins: OriginPolicy;
  registry: ToolRegistry;
  /** Named in every challenge (RFC 9728). */
  resourceMetadataUrl: string;
}

export interface Admission {
  /** Host and Origin, then credentials. Null when the reply has been sent. */
  admit(request: FastifyRequest, reply: FastifyReply): Promise<Authenticated | null>;
  /** 403 with an insufficient_scope challenge for a call beyond the principal's scopes; true once replied. */
  refusedForScope(reply: FastifyReply, principal: Principal, messages: JSONRPCMessage[]): boolean;
}

export function admission({
  guard,
  origins,
  registry,
  resourceMetadataUrl,
}: AdmissionDeps): Admission {
  return {
    async admit(request, reply) {
      if (!origins.allowsHost(request.headers.host)) {
        sendJsonRpcError(reply, 403, JSONRPC.SERVER_ERROR, 'Forbidden: Host not allowed');
        return null;
      }
      const origin = request.headers.origin;
      if (origin !== undefined && !origins.allowsOrigin(origin)) {
        sendJsonRpcError(reply, 403, JSONRPC.SERVER_ERROR, 'Forbidden: Origin not allowed');
        return null;
      }
      const auth = await guard.authenticate(request.headers.authorization);
      if (!auth) {
        reply.header('WWW-Authenticate', unauthorizedChallenge(resourceMetadataUrl));
        sendJsonRpcError(reply, 401, JSONRPC.SERVER_ERROR, AUTH_REQUIRED_MESSAGE);
        return null;
      }
      return auth;
    },
    refusedForScope(reply, principal, messages) {
      const challenge = insufficientScopeChallenge(
        registry,
        principal,
        messages,
        resourceMetadataUrl,
      );
      if (!challenge) return false;
      reply.header('WWW-Authenticate', challenge);
      sendJsonRpcError(reply, 403, JSONRPC.SERVER_ERROR, 'Forbidden: insufficient scope');
      return true;
    },
  };
}
