// The console's tools preview: which tools a principal would see in
// tools/list, and why the others are hidden. The principal is built the way
// the MCP endpoint builds it (apiKeyPrincipal for a key, resolveUserPrincipal
// for a user) or from a custom role/scopes/business count; the list itself is
// ToolRegistry.explain, the same rule listFor applies at initialize.
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { authorize, mayIn } from '../access/permissions.ts';
import { resolveUserPrincipal } from '../access/user-principal.ts';
import { notFound } from '../errors.ts';
import { apiKeyPrincipal, verifiedKey } from '../keys/api-key-verifier.ts';
import { badRequest } from '../errors.ts';
import { findActiveGrant, grantPrincipal } from '../oauth/grant-principal.ts';
import { getConnectedApp } from '../oauth/grant-tool-policy.ts';
import type { Principal } from '../principal.ts';
import { ALL_TOOLS, type ToolPolicy } from './tool-policy.ts';
import type { Role, Scope } from '../roles.ts';
import type { ToolsPreviewInput } from '../schemas/tools-preview.ts';
import { toolListing, type ToolListing, type ToolRegistry } from './tool-registry.ts';

export type PreviewPrincipal = Pick<
  Principal,
  'role' | 'scopes' | 'authorizedBusinessIds' | 'toolPolicy'
>;

export interface ToolsPreview {
  principal: {
    role: Role;
    scopes: Scope[];
    authorizedBusinessCount: number;
    toolPolicy: ToolPolicy;
  };
  tools: (ToolListing & { visible: boolean; reason: string | null })[];
}

/** The principal to preview, if the actor may see it. */
export async function previewPrincipal(
  db: Db,
  actor: Actor,
  input: ToolsPreviewInput,
): Promise<PreviewPrincipal> {
  switch (input.mode) {
    case 'custom': {
      // Reveals nothing tenant-specific: only the visibility rules themselves.
      authorize(actor, 'previewCustomTools');
      const ids = Array.from(
        { length: input.businessCount },
        (_, i) => `preview-business-${i + 1}`,
      );
      return { role: input.role, scopes: [...new Set(input.scopes)], authorizedBusinessIds: ids };
    }
    case 'key': {
      const row = await db.apiKey.findUnique({ where: { id: input.keyId } });
      // Another business's key is "not found", as in key management.
      if (!row || !mayIn(actor, row.businessId, 'manageKeys')) throw notFound('API key not found');
      return apiKeyPrincipal(verifiedKey(row));
    }
    case 'grant': {
      // Whoever may see the connected app may see what it gets (grant-tool-policy.ts).
      await getConnectedApp(db, actor, input.grantId);
      const grant = await findActiveGrant(db, input.grantId);
      if (!grant) throw notFound('Connected app not found');
      // As its tokens are (a token naming none of our scopes carries the grant's).
      const principal = await grantPrincipal(db, grant, []);
      if (!principal) {
        throw badRequest('The person who connected this app has no access to its business now');
      }
      return principal;
    }
    case 'user': {
      authorize(actor, 'previewUserTools');
      const user = await db.user.findUnique({ where: { id: input.userId }, select: { id: true } });
      if (!user) throw notFound('User not found');
      return resolveUserPrincipal(db, user.id);
    }
  }
}

export function previewTools(registry: ToolRegistry, principal: PreviewPrincipal): ToolsPreview {
  return {
    principal: {
      role: principal.role,
      scopes: [...principal.scopes],
      authorizedBusinessCount: principal.authorizedBusinessIds.length,
      toolPolicy: principal.toolPolicy ?? ALL_TOOLS,
    },
    tools: registry
      .explain(principal)
      .map((v) => ({ ...toolListing(v.tool), visible: v.visible, reason: v.reason })),
  };
}

export async function toolsPreview(
  deps: { db: Db; registry: ToolRegistry },
  actor: Actor,
  input: ToolsPreviewInput,
): Promise<ToolsPreview> {
  return previewTools(deps.registry, await previewPrincipal(deps.db, actor, input));
}
