// Builds the MCP server for one 2025 session or one 2026 request: registers
// exactly the tools ToolRegistry.listFor allows, wraps each handler with the
// tenant context, audit and error mapping, and can re-sync the tool set when
// the principal changes (the SDK then sends notifications/tools/list_changed).
import {
  McpServer,
  type jsonSchemaValidator,
  type RegisteredTool,
  type ServerContext,
  type ServerOptions,
  type Transport,
} from '@modelcontextprotocol/server';
import type { AuditLog } from '../audit.ts';
import { badArgumentsCall, type ToolCallObserver } from '../usage/usage-counter.ts';
import { runWithApproval, type ApprovalOptions } from './approval-flow.ts';
import { registerDiagnosticTools } from './diagnostic-tools.ts';
import {
  offersPromptsAndResources,
  registerPromptsAndResources,
  type PromptsAndResources,
} from './prompts-and-resources.ts';
import type { Principal } from '../principal.ts';
import { toolAnnotations, type ToolDefinition } from '../tools/tool-definition.ts';
import { ICONS } from '../tools/tool-icons.ts';
import { hiddenReason, type ToolRegistry } from '../tools/tool-registry.ts';
import { memoizedSchema } from './memoized-schema.ts';
import { createToolRunner, type SessionBinding } from './tool-runner.ts';
import { checkingToolCalls, toolInputSchema } from './tool-call-check.ts';
import { registerViewResources, type ViewResources } from './view-resources.ts';
import { viewToolMeta, type ViewHtml, type ViewName } from '../tools/views.ts';

export { offersPromptsAndResources } from './prompts-and-resources.ts';

/** Who the server is (initialize, and every 2026 result's `_meta`); server.json says the same. */
export const SERVER_INFO = {
  name: 'flowpos-mcp',
  title: 'FlowPOS',
  version: '1.0.0',
  icons: ICONS.flowpos,
};

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
  /** Usage counting: every call the runner makes, and calls refused for their arguments. */
  usage?: ToolCallObserver | undefined;
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
  /**
   * Approval in the client (approval-flow.ts): without it, proposal tools
   * answer the pending intent as they always have.
   */
  approvals?: ApprovalOptions | undefined;
  /**
   * The views' HTML (MCP Apps), served as ui:// resources. View tools carry
   * their `_meta.ui` either way: clients without Apps ignore it.
   */
  views?: ViewHtml;
}

export function buildMcpServer(binding: SessionBinding, options: BuildOptions): BuiltServer {
  const server = new McpServer(SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, logging: {} },
    jsonSchemaValidator: options.validator,
    ...(options.cacheHints ? { cacheHints: options.cacheHints } : {}),
    // An echoed requestState is checked (signature, expiry, credential) before any handler runs.
    ...(options.approvals ? { requestState: { verify: options.approvals.codec.verify } } : {}),
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
        // Converted to JSON Schema once per tool, not per server (memoized-schema.ts).
        inputSchema: memoizedSchema(toolInputSchema(tool)),
        outputSchema: memoizedSchema(tool.outputSchema),
        annotations: toolAnnotations(tool),
        icons: ICONS[tool.icon],
        ...(tool.view ? { _meta: viewToolMeta(tool.view) } : {}),
      },
      async (args: unknown, ctx: ServerContext) => {
        const input = args as Record<string, unknown>;
        const run = () => runTool(tool, input, ctx.mcpReq.signal);
        const approvals = options.approvals;
        if (!tool.asksApproval || !approvals) return run();
        return runWithApproval({
          tool,
          args: input,
          ctx,
          server,
          principal: binding.principal,
          run,
          approvals,
          onUnexpectedError: options.onUnexpectedError,
          modern: binding.sessionId === null,
        });
      },
    );
    registered.set(tool.name, handle);
  };

  const runTool = createToolRunner(binding, options);

  let promptsAndResources: PromptsAndResources | undefined;
  let viewResources: ViewResources | undefined;

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
    viewResources?.sync(registeredTools());
  };

  const registeredTools = () => options.registry.tools.filter((t) => registered.has(t.name));
  /** The views of the tools the principal sees now, whatever the lists were last synced to. */
  const visibleViews = () =>
    new Set<ViewName>(
      options.registry.listFor(binding.principal()).flatMap((t) => (t.view ? [t.view] : [])),
    );

  const visibleTool = (name: string) =>
    registered.has(name) ? options.registry.get(name) : undefined;

  const usage = options.usage;
  const badArguments =
    usage && ((tool: ToolDefinition) => usage(badArgumentsCall(binding.principal(), tool.name)));

  const only = options.onlyTool ? options.registry.get(options.onlyTool) : undefined;
  if (only && !options.diagnostics && hiddenReason(only, binding.principal()) === null) {
    register(only);
  } else {
    syncTools(binding.principal());
    promptsAndResources = registerPromptsAndResources(server, binding.principal, binding.context);
    if (options.views) {
      viewResources = registerViewResources(server, options.views, visibleViews);
      viewResources.sync(registeredTools());
    }
    if (options.diagnostics) registerDiagnosticTools(server);
  }
  return {
    server,
    connect: (transport) => server.connect(checkingToolCalls(transport, visibleTool, badArguments)),
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
