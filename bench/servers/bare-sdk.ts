// The peer baseline: a bare MCP SDK 1.32 stateful server on node:http, as the
// SDK documents it. One McpServer + StreamableHTTPServerTransport per session
// (JSON responses), one shared Ajv validator, an `echo` tool. No auth, no
// store, no database. Prints `READY <port>` when listening.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { z } from 'zod';
import { listenForBench } from './listen.ts';

const validator = new AjvJsonSchemaValidator();
const transports = new Map<string, StreamableHTTPServerTransport>();

function newServer(): McpServer {
  const server = new McpServer(
    { name: 'bare-echo', version: '1.0.0' },
    { jsonSchemaValidator: validator },
  );
  server.registerTool(
    'echo',
    { description: 'Echoes its input', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text }] }),
  );
  return server;
}

function fail(res: http.ServerResponse, status: number, message: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

const httpServer = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      const sessionId = req.headers['mcp-session-id'];
      const existing = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
      if (existing) return await existing.handleRequest(req, res, body);
      if (!sessionId && req.method === 'POST' && isInitializeRequest(body)) {
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          enableJsonResponse: true,
          onsessioninitialized: (id) => void transports.set(id, transport),
        });
        transport.onclose = () => {
          if (transport.sessionId) transports.delete(transport.sessionId);
        };
        await newServer().connect(transport);
        return await transport.handleRequest(req, res, body);
      }
      return fail(
        res,
        sessionId ? 404 : 400,
        sessionId ? 'Session not found' : 'Bad Request: no valid session ID',
      );
    } catch (error) {
      if (!res.headersSent) fail(res, 500, String(error));
    }
  });
});
listenForBench(httpServer);
