// The WWW-Authenticate challenges /mcp answers with: on 401, where to find the
// protected resource metadata and which scopes to ask for; on 403, the scope an
// OAuth client must ask the person for before this tool call can succeed
// (RFC 6750 insufficient_scope, the MCP step-up flow).
import { SCOPES, stepUpScopeFor, type Principal, type ToolRegistry } from '@flowpos/core';

export function unauthorizedChallenge(resourceMetadataUrl: string): string {
  return `Bearer resource_metadata="${resourceMetadataUrl}", scope="${SCOPES.join(' ')}"`;
}

/** The challenge for the first tools/call in `messages` that needs a scope the OAuth token lacks. */
export function insufficientScopeChallenge(
  registry: ToolRegistry,
  principal: Principal,
  messages: readonly object[],
  resourceMetadataUrl: string,
): string | null {
  if (principal.kind !== 'oauth') return null;
  for (const message of messages) {
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (method !== 'tools/call') continue;
    const name = params?.name;
    if (typeof name !== 'string') continue;
    const needed = stepUpScopeFor(registry, name, principal);
    if (needed) {
      const scopes = [...new Set([...principal.scopes, needed])].join(' ');
      return `Bearer error="insufficient_scope", scope="${scopes}", resource_metadata="${resourceMetadataUrl}", error_description="This tool needs the ${needed} scope"`;
    }
  }
  return null;
}
