// ToolRegistry.listFor(principal): the one place tool visibility is decided.
// The MCP server registers exactly these tools for a session, and the
// console's tools preview shows this same list with the reasons for the rest.
import { z } from 'zod';
import type { Principal } from '../principal.ts';
import { ROLE_SCOPES, type Scope } from '../roles.ts';
import type { ToolDefinition } from './tool-definition.ts';
import { policyExcludes } from './tool-policy.ts';

export interface ToolVisibility {
  tool: ToolDefinition;
  visible: boolean;
  /** Why a hidden tool is hidden, in words an operator can act on. */
  reason: string | null;
}

export interface ToolListing {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

type VisibilityInput = Pick<Principal, 'role' | 'scopes' | 'authorizedBusinessIds' | 'toolPolicy'>;

/**
 * Why the principal may not see (nor call) this tool, or null. What its role
 * and scopes allow first, then the credential's tool policy narrows that:
 * all in memory, since tools/call asks on every call.
 */
export function hiddenReason(tool: ToolDefinition, principal: VisibilityInput): string | null {
  return rightsReason(tool, principal) ?? policyExcludes(principal.toolPolicy, tool);
}

function rightsReason(tool: ToolDefinition, principal: VisibilityInput): string | null {
  switch (tool.group) {
    case 'business':
      if (principal.authorizedBusinessIds.length <= 1) return 'needs 2+ businesses';
      break;
    case 'intent':
      if (principal.role === 'tenant_developer') return 'never shown to tenant_developer';
      if (!principal.scopes.includes('pos:intents')) return 'needs pos:intents';
      return null;
    case 'operator':
      if (principal.role !== 'platform_operator') return 'only for platform_operator';
      break;
    case 'general':
      break;
  }
  if (tool.scope && !principal.scopes.includes(tool.scope)) return `needs ${tool.scope}`;
  return null;
}

export class ToolRegistry {
  private readonly byName: Map<string, ToolDefinition>;

  readonly tools: readonly ToolDefinition[];
  constructor(tools: readonly ToolDefinition[]) {
    this.tools = tools;
    this.byName = new Map(tools.map((t) => [t.name, t]));
  }

  get(name: string): ToolDefinition | undefined {
    return this.byName.get(name);
  }

  /** The tools this principal sees in tools/list (and may call). */
  listFor(principal: VisibilityInput): ToolDefinition[] {
    return this.tools.filter((t) => hiddenReason(t, principal) === null);
  }

  explain(principal: VisibilityInput): ToolVisibility[] {
    return this.tools.map((tool) => {
      const reason = hiddenReason(tool, principal);
      return { tool, visible: reason === null, reason };
    });
  }
}

/** The JSON Schema a client sees for a tool's input, as tools/list shows it. */
export function toolInputJsonSchema(tool: ToolDefinition): Record<string, unknown> {
  const schema = z.toJSONSchema(z.object(tool.inputSchema), { io: 'input' }) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return schema;
}

export function toolListing(tool: ToolDefinition): ToolListing {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: toolInputJsonSchema(tool),
  };
}

/**
 * The scope a principal would need to call this tool when its role allows the
 * tool but its scopes do not (an OAuth client can ask the person for it:
 * step-up); null when the tool is visible, unknown, or beyond the role.
 */
export function stepUpScopeFor(
  registry: ToolRegistry,
  toolName: string,
  principal: VisibilityInput,
): Scope | null {
  const tool = registry.get(toolName);
  if (!tool || hiddenReason(tool, principal) === null) return null;
  if (hiddenReason(tool, { ...principal, scopes: [...ROLE_SCOPES[principal.role]] }) !== null)
    return null;
  return tool.group === 'intent' ? 'pos:intents' : tool.scope;
}
