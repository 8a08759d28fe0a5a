// The ceiling: a raw node:http JSON endpoint that parses a JSON-RPC request
// and answers a tools/call-shaped result. No MCP, no framework. What loopback
// HTTP + JSON on this machine (and this load generator) can do at most.
import http from 'node:http';
import { listenForBench } from './listen.ts';

const httpServer = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let id: unknown = null;
    let text = '';
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        id?: unknown;
        params?: { arguments?: { text?: string } };
      };
      id = body.id ?? null;
      text = String(body.params?.arguments?.text ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}');
      return;
    }
    const payload = JSON.stringify({
      jsonrpc: '2.0',
      id,
      result: { content: [{ type: 'text', text }] },
    });
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
    });
    res.end(payload);
  });
});
listenForBench(httpServer);
