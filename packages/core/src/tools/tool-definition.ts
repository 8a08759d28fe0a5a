// What a tool is: its MCP face (name, description, input schema), who may see
// it (group + scope), and a handler that runs against the session's active
// business. Tools know nothing of HTTP.
import type { z } from 'zod';
import type { Db, SqlClient } from '@flowpos/db';
import type { Principal } from '../principal.ts';
import type { Scope } from '../roles.ts';
import type { IconName } from './tool-icons.ts';
import type { OutputSchema } from './tool-outputs.ts';
import type { ViewName } from './views.ts';
import type { SessionDirectory } from '../sessions/session-directory.ts';
import type { IntentCaps } from '../limits/intent-caps.ts';

/**
 * - `general`: needs its scope (or none);
 * - `business`: set_active_business, needs 2+ authorized businesses;
 * - `intent`: needs pos:intents, never shown to tenant_developer;
 * - `operator`: only platform_operator (and the operator scope).
 */
export type ToolGroup = 'general' | 'business' | 'intent' | 'operator';

export interface ToolContext {
  db: Db;
  /** Plain SQL for hot reads (see SqlClient). */
  sql: SqlClient;
  /** The 2025 session id; null for a 2026 (sessionless) request. */
  sessionId: string | null;
  /** The principal as of this call (the session store's copy). */
  principal: Principal;
  /**
   * Changes this session's principal at once (store first, then caches),
   * atomically: `change` is applied to the stored principal. Returns it.
   */
  updatePrincipal(change: (principal: Principal) => Principal): Promise<Principal>;
  sessions: SessionDirectory;
  /** The console's base URL, for links to its pages (an intent's page). */
  consoleUrl: string;
  /** Aborts when the request is cancelled: the client went away, cancelled it, or it timed out. */
  signal: AbortSignal;
  /** Daily caps on proposals (money-moving tools only); absent: none enforced. */
  caps?: IntentCaps | undefined;
}

export interface ToolDefinition<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  group: ToolGroup;
  scope: Scope | null;
  /** Reads only. A tool that writes says below what its writes are like. */
  readOnly: boolean;
  /** It may undo or end something (a pending intent, a session); false when absent. */
  destructive?: boolean;
  /** Calling it again with the same arguments changes nothing more; false when absent. */
  idempotent?: boolean;
  /** What clients show beside its title (tool-icons.ts). */
  icon: IconName;
  /**
   * Proposes something a merchant must approve: a client that can open a URL
   * is sent to the console to decide, and the call answers the decision
   * (mcp/approval-flow.ts).
   */
  asksApproval?: boolean;
  inputSchema: Shape;
  /** What the tool returns (its structuredContent); clients may validate against it. */
  outputSchema: OutputSchema;
  /** The view (MCP App) that renders this tool's structuredContent in clients that show them. */
  view?: ViewName;
  /**
   * Arguments whose values the session inspector may show (ids, filters,
   * dates): opt-in, never free text a person typed or anything secret. Other
   * arguments show by name only.
   */
  inspectableArguments?: readonly (keyof Shape & string)[];
  handler(args: z.infer<z.ZodObject<Shape>>, ctx: ToolContext): Promise<unknown>;
}

export function defineTool<Shape extends z.ZodRawShape>(
  tool: ToolDefinition<Shape>,
): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

/**
 * The tool's MCP annotations: hints for the client and the model. The spec's
 * defaults for a tool that writes are destructive and not idempotent, so
 * both hints are always stated for those; for read-only tools they mean
 * nothing and are left out. No tool reaches outside FlowPOS.
 */
export function toolAnnotations(tool: ToolDefinition) {
  return tool.readOnly
    ? { readOnlyHint: true, openWorldHint: false }
    : {
        readOnlyHint: false,
        destructiveHint: tool.destructive ?? false,
        idempotentHint: tool.idempotent ?? false,
        openWorldHint: false,
      };
}
