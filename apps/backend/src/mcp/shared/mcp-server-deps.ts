// What building an MCP server for a principal needs, shared by the 2025
// session path (McpSessionService) and the 2026 request path (McpRequestService).
import type {
  ApprovalOptions,
  AuditLog,
  IntentCaps,
  EventBus,
  RequestLogRecorder,
  SessionDirectory,
  SessionStore,
  ToolCallObserver,
  ToolRegistry,
  ViewHtml,
} from '@flowpos/core';
import type { Db, SqlClient } from '@flowpos/db';
import type { jsonSchemaValidator } from '@modelcontextprotocol/server';
import type { Logger } from 'pino';

export interface McpServerDeps {
  db: Db;
  sql: SqlClient;
  store: SessionStore;
  /** Every session of every era (core's directory): ends them, finds them. */
  sessions: SessionDirectory;
  events: EventBus;
  registry: ToolRegistry;
  /** One validator for every server: building Ajv per server is costly. */
  validator: jsonSchemaValidator;
  audit: AuditLog;
  /** Usage counting (core/usage), in memory on the hot path; absent when USAGE_ENABLED=false. */
  usage?: ToolCallObserver | undefined;
  logger: Logger;
  /** The conformance suite's diagnostic tools (MCP_TEST_TOOLS, tests only). */
  diagnostics: boolean;
  /** Approval in the client for proposal tools; absent: they answer the pending intent. */
  approvals?: ApprovalOptions | undefined;
  /** The console's base URL: tools link intents to their console page. */
  consoleUrl: string;
  /** The views' built HTML (MCP Apps), read once at start. */
  views: ViewHtml;
  /** Daily caps on proposals; absent when CREDENTIAL_LIMITS_ENABLED=false. */
  caps?: IntentCaps | undefined;
  /** The session inspector's queue; absent when it is off (INSPECTOR_ENABLED=false). */
  inspector?: RequestLogRecorder | undefined;
}
