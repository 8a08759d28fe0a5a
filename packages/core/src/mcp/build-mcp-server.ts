// Builds the MCP server for one 2025 session or one 2026 request: registers
// exactly the tools ToolRegistry.listFor allows, wraps each handler with the
// tenant context, audit and error mapping, and can re-sync the tool set when
// the principal changes (the SDK then sends notifications/tools/list_changed).
import {
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type CallToolResult,
  type jsonSchemaValidator,
  type RegisteredTool,
  type ServerOptions,
  type Transport,
} from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit.ts';
import { isAppError } from '../errors.ts';
import { registerDiagnosticTools } from './diagnostic-tools.ts';
import {
  offersPromptsAndResources,
  registerPromptsAndResources,
  type PromptsAndResources,
} from './prompts-and-resources.ts';
import type { Principal } from '../principal.ts';
import type { ToolContext, ToolDefinition } from '../tools/tool-definition.ts';
import { hiddenReason, type ToolRegistry } from '../tools/tool-registry.ts';
import { checkingToolCalls, toolInputSchema } from './tool-call-check.ts';

export { offersPromptsAndResources } from './prompts-and-resources.ts';

export const SERVER_INFO = { name: 'flowpos-mcp', version: '1.0.0' } as const;

export interface SessionBinding {
  /** The 2025 session id; null for a 2026 (sessionless) request. */
  sessionId: string | null;
  /** The session's current principal (kept in sync with the store by the caller). */
  principal(): Principal;
  /** What every tool of this session runs with, besides the principal. */
  context: Omit<ToolContext, 'principal' | 'sessionId' | 'signal'>;
}

export interface BuiltServer {
  server: McpServer;
  /** Connects the server to `transport`, refusing malformed tool calls first (tool-call-check.ts). */
  connect(transport: Transport): Promise<void>;
  /** Adds and removes registered tools (and prompts and resources) to match the principal. */
  syncTools(principal: Principal): void;
  visibleToolNames(): string[];
  /** Whether what this server offers (tools, prompts, resources) differs from what `principal` may see. */
  differsFor(principal: Principal): boolean;
}

export interface BuildOptions {
  registry: ToolRegistry;
  validator: jsonSchemaValidator;
  audit: AuditLog;
  onUnexpectedError?: (error: unknown, tool: string) => void;
  /** Registers the conformance suite's diagnostic tools (test runs only). */
  diagnostics?: boolean;
  /** 2026 cache hints for the list results (ignored on 2025 sessions). */
  cacheHints?: ServerOptions['cacheHints'];
  /**
   * The one tool a single-request server will be asked to call (a 2026
   * `tools/call`). When the principal may see it, only that tool is registered:
   * a server built for one call does not convert every tool's schemas, nor
   * register prompts and resources. Otherwise the full set is registered, so
   * an unknown or hidden tool is answered exactly as it always is.
   */
  onlyTool?: string;
}

/** A tool's value as text (for clients that read text) and as structuredContent. */
export function toolResult(value: unknown): CallToolResult {
  const text = JSON.stringify(value);
  const structured =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (JSON.parse(text) as Record<string, unknown>)
      : undefined;
  return {
    content: [{ type: 'text', text }],
    ...(structured ? { structuredContent: structured } : {}),
  };
}

export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

class RequestCancelled extends Error {}

/** The work's outcome, or RequestCancelled as soon as `signal` aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new RequestCancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new RequestCancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function buildMcpServer(binding: SessionBinding, options: BuildOptions): BuiltServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, logging: {} },
    jsonSchemaValidator: options.validator,
    ...(options.cacheHints ? { cacheHints: options.cacheHints } : {}),
    debouncedNotificationMethods: [
      'notifications/tools/list_changed',
      'notifications/prompts/list_changed',
      'notifications/resources/list_changed',
    ],
    instructions:
      'FlowPOS point-of-sale tools. Every tool works on one business at a time: call whoami to see which one is active.',
  });
  const registered = new Map<string, RegisteredTool>();

  const register = (tool: ToolDefinition) => {
    const handle = server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: toolInputSchema(tool),
        outputSchema: tool.outputSchema,
        annotations: { readOnlyHint: tool.readOnly, openWorldHint: false },
      },
      async (args: unknown, ctx: { mcpReq: { signal: AbortSignal } }) =>
        runTool(tool, args as Record<string, unknown>, ctx.mcpReq.signal),
    );
    registered.set(tool.name, handle);
  };

  const runTool = async (
    tool: ToolDefinition,
    args: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<CallToolResult> => {
    const principal = binding.principal();
    // Enforced at call time too: a tool hidden since registration is unknown.
    if (hiddenReason(tool, principal) !== null) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${tool.name} not found`);
    }
    const started = performance.now();
    let outcome: 'success' | 'failure' | 'denied' = 'success';
    let errorMessage: string | undefined;
    try {
      // A cancelled request (client gone, timed out) stops being waited for:
      // its answer would be dropped anyway. Work already sent to the database finishes there.
      const value = await untilAborted(
        tool.handler(args, { ...binding.context, principal, sessionId: binding.sessionId, signal }),
        signal,
      );
      return toolResult(value);
    } catch (error) {
      if (error instanceof RequestCancelled) {
        outcome = 'failure';
        errorMessage = 'cancelled';
        return toolError(`${tool.name} was cancelled`);
      }
      if (isAppError(error)) {
        outcome = error.code === 'FORBIDDEN' ? 'denied' : 'failure';
        errorMessage = error.message;
        return toolError(error.message);
      }
      outcome = 'failure';
      errorMessage = 'internal error';
      options.onUnexpectedError?.(error, tool.name);
      return toolError(
        `${tool.name} failed unexpectedly; the error was logged. Try again${binding.sessionId ? `, or report session ${binding.sessionId}` : ''}.`,
      );
    } finally {
      options.audit.record({
        businessId: principal.activeBusinessId,
        action: 'mcp.tools_call',
        outcome,
        actorKind: principal.kind,
        actorId: principal.subject,
        details: {
          tool: tool.name,
          sessionId: binding.sessionId,
          durationMs: Math.round((performance.now() - started) * 100) / 100,
          ...(errorMessage ? { error: errorMessage } : {}),
        },
      });
    }
  };

  let promptsAndResources: PromptsAndResources | undefined;

  const syncTools = (principal: Principal) => {
    promptsAndResources?.sync(principal);
    const wanted = new Set(options.registry.listFor(principal).map((t) => t.name));
    for (const [name, handle] of registered) {
      if (!wanted.has(name)) {
        handle.remove();
        registered.delete(name);
      }
    }
    for (const tool of options.registry.tools) {
      if (wanted.has(tool.name) && !registered.has(tool.name)) register(tool);
    }
  };

  const visibleTool = (name: string) =>
    registered.has(name) ? options.registry.get(name) : undefined;

  const only = options.onlyTool ? options.registry.get(options.onlyTool) : undefined;
  if (only && !options.diagnostics && hiddenReason(only, binding.principal()) === null) {
    register(only);
  } else {
    syncTools(binding.principal());
    promptsAndResources = registerPromptsAndResources(server, binding.principal, binding.context);
    if (options.diagnostics) registerDiagnosticTools(server);
  }
  return {
    server,
    connect: (transport) => server.connect(checkingToolCalls(transport, visibleTool)),
    syncTools,
    visibleToolNames: () => [...registered.keys()],
    differsFor: (principal) => {
      const wanted = options.registry.listFor(principal).map((t) => t.name);
      const tools = [...registered.keys()];
      const sameTools =
        wanted.length === tools.length && wanted.every((name) => registered.has(name));
      const offered = promptsAndResources?.offered() ?? false;
      return !sameTools || offered !== offersPromptsAndResources(principal);
    },
  };
}
