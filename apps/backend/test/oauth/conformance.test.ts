// The pinned MCP conformance suite's authorization-server check against our
// issuer: RFC 8414 metadata at the root well-known path, as MCP requires it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.ts';

const CONFORMANCE_BIN = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/conformance/dist/index.js',
);

const h = useHarness('oauth-conformance');

function runAuthorizationScenario(scenario: string) {
  return new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [CONFORMANCE_BIN, 'authorization', '--url', h.server.baseUrl, '--scenario', scenario],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('MCP conformance suite, authorization server', () => {
  it('authorization-server-metadata-endpoint', async () => {
    const { code, output } = await runAuthorizationScenario(
      'authorization-server-metadata-endpoint',
    );
    expect(output).toMatch(/Passed: ([1-9]\d*)\/\1, 0 failed/);
    expect(code, output).toBe(0);
  }, 60_000);
});
