// The MCP conformance suite (@modelcontextprotocol/conformance, pinned) in
// server mode against the real backend, at both wires: the scenarios that fit
// a server with its own tools. The suite sends no credentials, so a small
// loopback proxy adds a test key's Authorization and passes everything else
// (Host and Origin included) through unchanged.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@flowpos/db/testing';
import { createBusiness, createKey, unique } from '../../support/fixtures.ts';
import { startTestServer, type TestServer } from '../../support/server.ts';

const CONFORMANCE_BIN = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/conformance/dist/index.js',
);

const RUNS: { specVersion: string; scenario: string }[] = [
  ...['server-stateless', 'tools-list', 'caching', 'dns-rebinding-protection'].map((scenario) => ({
    specVersion: '2026-07-28',
    scenario,
  })),
  ...[
    'server-initialize',
    'ping',
    'tools-list',
    'server-sse-multiple-streams',
    'dns-rebinding-protection',
  ].map((scenario) => ({ specVersion: '2025-11-25', scenario })),
];

let db: TestDatabase;
let backend: TestServer;
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
  db = await createTestDatabase('conformance');
  backend = await startTestServer({
    databaseUrl: db.url,
    redis: true,
    env: { MCP_TEST_TOOLS: 'true' },
  });
  const { business } = await createBusiness(db.prisma, unique('Conformance Cafe'));
  const { key } = await createKey(db.prisma, { businessId: business.id });
  const target = new URL(backend.mcpUrl);
  proxy = createServer((req, res) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, authorization: `Bearer ${key}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  // `localhost`, as a local client would name it: the DNS-rebinding scenario sends that Host.
  proxyUrl = `http://localhost:${(proxy.address() as AddressInfo).port}/mcp`;
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  backend.app.server.closeAllConnections();
  await backend?.close();
  await db?.drop();
});

function runConformance(scenario: string, specVersion: string) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        CONFORMANCE_BIN,
        'server',
        '--url',
        proxyUrl,
        '--scenario',
        scenario,
        '--spec-version',
        specVersion,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('MCP conformance suite', () => {
  for (const { scenario, specVersion } of RUNS) {
    it(`${specVersion} ${scenario}`, async () => {
      const { code, output } = await runConformance(scenario, specVersion);
      expect(output).not.toMatch(/\b[1-9]\d* failed\b/i);
      expect(code, output).toBe(0);
    }, 60_000);
  }
});
