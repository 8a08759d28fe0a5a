// The origin and Host checks of /mcp (DNS-rebinding protection), in process:
// as the SDK's originValidation tests, every case is one call on the policy.
import { describe, expect, it } from 'vitest';
import { createOriginPolicy } from '../../src/http/origin-policy.ts';

const onLoopback = createOriginPolicy({
  host: '127.0.0.1',
  publicBaseUrl: 'http://127.0.0.1:4000',
  allowedOrigins: [],
  allowedHosts: [],
});

const deployed = (allowedHosts: string[] = []) =>
  createOriginPolicy({
    host: '0.0.0.0',
    publicBaseUrl: 'https://mcp.flowpos.example',
    allowedOrigins: ['https://console.flowpos.example'],
    allowedHosts,
  });

describe('origins', () => {
  it('on loopback, accepts any loopback origin on any port, over http or https', () => {
    for (const origin of [
      'http://localhost:6274',
      'http://127.0.0.1:3000',
      'https://localhost',
      'http://[::1]:8080',
    ])
      expect(onLoopback.allowsOrigin(origin), origin).toBe(true);
  });

  it('on loopback, refuses other hosts, other schemes and what is not a URL', () => {
    for (const origin of [
      'http://evil.example',
      'http://localhost.evil.example',
      'http://127.0.0.1.nip.io',
      'file://localhost',
      'chrome-extension://abcdef',
      'null',
      '',
    ])
      expect(onLoopback.allowsOrigin(origin), origin).toBe(false);
  });

  it('deployed, accepts exactly the allow-list: no loopback, no look-alike', () => {
    const policy = deployed();
    expect(policy.allowsOrigin('https://console.flowpos.example')).toBe(true);
    expect(policy.allowsOrigin('http://console.flowpos.example')).toBe(false);
    expect(policy.allowsOrigin('https://console.flowpos.example:8443')).toBe(false);
    expect(policy.allowsOrigin('http://localhost:6274')).toBe(false);
  });
});

describe('Host headers', () => {
  it('answers a request without Host (not from a browser)', () => {
    expect(onLoopback.allowsHost(undefined)).toBe(true);
    expect(deployed(['mcp.internal']).allowsHost(undefined)).toBe(true);
  });

  it('on loopback, answers loopback names with or without a port, any case', () => {
    for (const host of ['localhost', 'LOCALHOST:4000', '127.0.0.1:4000', '[::1]:4000', '[::1]'])
      expect(onLoopback.allowsHost(host), host).toBe(true);
  });

  it('on loopback, refuses a rebound name', () => {
    for (const host of [
      'evil.example',
      'evil.example:4000',
      'localhost.evil.example',
      '[::2]:4000',
    ])
      expect(onLoopback.allowsHost(host), host).toBe(false);
  });

  it("deployed, answers the public URL's host and the listed ones", () => {
    const policy = deployed(['mcp.internal']);
    expect(policy.allowsHost('mcp.flowpos.example')).toBe(true);
    expect(policy.allowsHost('MCP.flowpos.example:443')).toBe(true);
    expect(policy.allowsHost('mcp.internal:4000')).toBe(true);
    expect(policy.allowsHost('evil.example')).toBe(false);
    expect(policy.allowsHost('localhost')).toBe(false);
  });

  it('deployed with no list, answers any Host (a load balancer names the host)', () => {
    expect(deployed().allowsHost('10.0.0.7:4000')).toBe(true);
  });
});
