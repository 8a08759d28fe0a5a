// Which browser origins may call the MCP endpoints, and which Host headers the
// server answers (DNS-rebinding protection). A server listening on loopback
// accepts any loopback origin and host (localhost, 127.0.0.1, [::1], any
// port: the MCP Inspector's web UI, local web apps); otherwise only the
// exact allow-list and the public URL's host.
import { isLoopbackHost } from '@flowpos/core';
import type { Config } from '../config.ts';

export interface OriginPolicy {
  allowsOrigin(origin: string): boolean;
  /** `host` is the Host header (name and optional port). */
  allowsHost(host: string | undefined): boolean;
}

function hostnameOf(host: string): string {
  // "[::1]:4000" keeps its brackets; "name:4000" loses the port.
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1).toLowerCase();
  const colon = host.indexOf(':');
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

export function createOriginPolicy(
  config: Pick<Config, 'host' | 'publicBaseUrl' | 'allowedOrigins' | 'allowedHosts'>,
): OriginPolicy {
  const onLoopback = isLoopbackHost(config.host);
  const origins = new Set(config.allowedOrigins);
  const hosts = new Set(
    [new URL(config.publicBaseUrl).hostname, ...config.allowedHosts].map((h) => h.toLowerCase()),
  );
  return {
    allowsOrigin(origin) {
      if (origins.has(origin)) return true;
      if (!onLoopback) return false;
      try {
        const url = new URL(origin);
        return (
          (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname)
        );
      } catch {
        return false;
      }
    },
    allowsHost(host) {
      // HTTP/1.1 always sends Host; a request without one is not from a browser.
      if (!host) return true;
      const name = hostnameOf(host);
      if (hosts.has(name)) return true;
      if (onLoopback) return isLoopbackHost(name);
      // Behind a load balancer the Host is the public one; others only when listed.
      return config.allowedHosts.length === 0;
    },
  };
}
