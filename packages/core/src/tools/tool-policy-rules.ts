// The server's side of tool policies: a policy names only tools the server
// offers, the catalog the console offers to choose from, and applying a new
// policy to a credential's live sessions and listen streams (through the
// same events a scope change uses: every instance re-checks within a second).
import { badRequest } from '../errors.ts';
import type { DomainEvent, EventBus } from '../events.ts';
import type { Principal } from '../principal.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import { POS_TOOLS } from './pos-tools.ts';
import { ALL_TOOLS, principalPolicy, type ToolPolicy } from './tool-policy.ts';

const KNOWN_TOOLS = new Set(POS_TOOLS.map((t) => t.name));

/** The policy (absent: all), refused with a 400 naming what it names that is no tool of ours. */
export function knownToolPolicy(policy: ToolPolicy | undefined): ToolPolicy {
  if (!policy) return ALL_TOOLS;
  if (policy.kind !== 'tools') return policy;
  const unknown = policy.tools.filter((name) => !KNOWN_TOOLS.has(name));
  if (unknown.length) throw badRequest(`Unknown tool: ${unknown.slice(0, 5).join(', ')}`);
  return { kind: 'tools', tools: [...new Set(policy.tools)] };
}

export interface PolicyTool {
  name: string;
  title: string;
  description: string;
  /** Annotated readOnlyHint: kept by a read-only policy. */
  readOnly: boolean;
}

/** Every tool a policy may name, in the order tools/list shows them. */
export function toolPolicyCatalog(): PolicyTool[] {
  return POS_TOOLS.map((t) => ({
    name: t.name,
    title: t.title,
    description: t.description,
    readOnly: t.readOnly,
  }));
}

/** The principal under another policy (`all` leaves no policy on it). */
export function withToolPolicy(principal: Principal, policy: ToolPolicy): Principal {
  const { toolPolicy: _previous, ...rest } = principal;
  return { ...rest, ...principalPolicy(policy) };
}

/**
 * Credentials whose policy changed (already stored): each one's `event` tells
 * every instance to drop what it cached of the credential and re-check its
 * listen streams (which notify when their list changed); its 2025 sessions get
 * the new principal (session.changed: tools/list_changed on every instance).
 */
export async function applyToolPolicy(
  deps: { events: EventBus; sessions: SessionDirectory },
  changed: readonly { credential: string; event: DomainEvent }[],
  policy: ToolPolicy,
): Promise<void> {
  for (const { credential, event } of changed) {
    await deps.events.publish(event);
    await deps.sessions.updateForCredential(credential, (p) => withToolPolicy(p, policy));
  }
}
