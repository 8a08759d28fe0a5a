// Idle keep-alive connections outlive a load balancer's usual idle timeout, so
// the balancer never reuses a connection the backend has just closed; the time
// is a setting (HTTP_KEEP_ALIVE_TIMEOUT_SECONDS) and reaches every response.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { useHarness } from '../support/harness.ts';

const h = useHarness('keepalive', { HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '7' });

function keepAliveHeader(url: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers['keep-alive']?.toString()));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('keep-alive', () => {
  it('keeps idle connections longer than a load balancer does, by default', () => {
    expect(loadConfig({}).keepAliveTimeoutMs).toBe(65_000);
  });

  it('announces the configured idle timeout on every response', async () => {
    expect(await keepAliveHeader(`${h.server.baseUrl}/healthz`)).toBe('timeout=7');
  });
});
