// The 2026-07-28 peer baseline: a bare MCP SDK 2 `createMcpHandler` stateless
// server on node:http (`toNodeHandler`), one `echo` tool, a shared Ajv
// validator and the zod schema built once. No auth, no store, no database.
// Prints `READY <port>` when listening.
import http from 'node:http';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { z } from 'zod';
import { listenForBench } from './listen.ts';

const validator = new AjvJsonSchemaValidator();
const input = z.object({ text: z.string() });

const handler = createMcpHandler(() => {
  const server = new McpServer(
    { name: 'bare-echo-v2', version: '1.0.0' },
    { jsonSchemaValidator: validator },
  );
  server.registerTool(
    'echo',
    { description: 'Echoes its input', inputSchema: input },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
});
const node = toNodeHandler(handler);

const httpServer = http.createServer((req, res) => void node(req, res));
listenForBench(httpServer);
