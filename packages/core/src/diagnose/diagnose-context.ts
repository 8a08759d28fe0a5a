// What a diagnosis reads (live state) and who asks. Operators see everything;
// anyone else only what belongs to a business where they may diagnose
// (permissions.ts); the rest is answered as not found, never as forbidden.
import type { Db } from '@flowpos/db';
import type { Actor } from '../access/actor.ts';
import { may, mayIn } from '../access/permissions.ts';
import type { McpTokenSigner } from '../auth/mcp-token.ts';
import type { IdTokenVerifier } from '../auth/firebase-verifier.ts';
import type { Principal } from '../principal.ts';
import type { SessionStore } from '../sessions/session-record.ts';
import type { ToolRegistry } from '../tools/tool-registry.ts';
import { hiddenReason } from '../tools/tool-registry.ts';
import type { ToolFinding } from './diagnosis.ts';

export interface DiagnoseDeps {
  db: Db;
  store: SessionStore;
  registry: ToolRegistry;
  /** Verifies V2 tokens with the fleet's secret; without it a token is only recognised. */
  tokens?: McpTokenSigner | undefined;
  /** Verifies Firebase ID tokens (the token exchange's check). */
  firebase?: IdTokenVerifier | undefined;
  now?: () => number;
}

export interface Viewer {
  /** Whether the viewer may see what belongs to this business. */
  sees(businessId: string): boolean;
  /** Whether the viewer may see something spread over these businesses (any one is enough). */
  seesAny(businessIds: readonly string[]): boolean;
  /** Operators, or the shell (npm run diagnose): everything. */
  all: boolean;
}

export function viewerOf(actor: Actor | 'shell'): Viewer {
  if (actor === 'shell' || may(actor, 'diagnoseAnything')) {
    return { all: true, sees: () => true, seesAny: () => true };
  }
  const sees = (businessId: string) => mayIn(actor, businessId, 'diagnose');
  return { all: false, sees, seesAny: (ids) => ids.some(sees) };
}

/**
 * The principal's tools: visible, or hidden by the rule ToolRegistry applies
 * (the same hiddenReason as tools/list and the preview, so every rule it
 * knows, today's and future ones, shows here without change).
 */
export function toolFindings(registry: ToolRegistry, principal: Principal): ToolFinding[] {
  return registry.tools.map((tool) => ({
    name: tool.name,
    hiddenBy: hiddenReason(tool, principal),
  }));
}
