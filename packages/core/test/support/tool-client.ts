// A real MCP client connected to the server a session would get, over an
// in-memory transport, against a real PostgreSQL database: what a model sees.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import type { Database } from '@flowpos/db';
import type { AuditLog } from '../../src/audit.ts';
import { createMemoryEventBus } from '../../src/events.ts';
import { buildMcpServer } from '../../src/mcp/build-mcp-server.ts';
import type { Principal } from '../../src/principal.ts';
import { createMemorySessionStore } from '../../src/sessions/memory-session-store.ts';
import { SessionDirectory } from '../../src/sessions/session-directory.ts';
import { POS_TOOLS } from '../../src/tools/pos-tools.ts';
import { ToolRegistry } from '../../src/tools/tool-registry.ts';

const validator = new AjvJsonSchemaValidator();
const registry = new ToolRegistry(POS_TOOLS);

export const merchantKey = (businessId: string): Principal => ({
  kind: 'api_key',
  credentialId: 'key:k1',
  role: 'merchant',
  scopes: ['pos:read', 'pos:intents', 'sessions:read'],
  authorizedBusinessIds: [businessId],
  activeBusinessId: businessId,
  apiKeyId: 'k1',
  label: 'fp_mcp_test…',
});

export interface ToolCall {
  isError: boolean;
  text: string;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read any field of a tool's JSON
}

/** The console base URL the test servers link intents to. */
export const TEST_CONSOLE_URL = 'http://console.test';

export function toolClients(
  db: Pick<Database, 'prisma' | 'sql'>,
  audit: AuditLog,
  directory = new SessionDirectory(createMemorySessionStore(60_000), createMemoryEventBus()),
) {
  return async function connect(initial: Principal) {
    let principal = initial;
    const built = buildMcpServer(
      {
        sessionId: 'test-session',
        principal: () => principal,
        context: {
          db: db.prisma,
          sql: db.sql,
          sessions: directory,
          consoleUrl: TEST_CONSOLE_URL,
          updatePrincipal: async (change) => {
            principal = change(principal);
            built.syncTools(principal);
            return principal;
          },
        },
      },
      { registry, validator, audit },
    );
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await built.connect(serverSide);
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(clientSide);
    const call = async (name: string, args: Record<string, unknown> = {}): Promise<ToolCall> => {
      const result = (await client.callTool({ name, arguments: args })) as {
        content: { text: string }[];
        isError?: boolean;
      };
      const text = result.content[0]?.text ?? '';
      return { isError: result.isError === true, text, json: () => JSON.parse(text) };
    };
    return { client, call, principal: () => principal };
  };
}
