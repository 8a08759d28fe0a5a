// Guards on fetching Client ID Metadata Documents, beyond oidc-provider's own
// (HTTPS only, special-use addresses refused after DNS, 2.5 s, 5 KiB, no
// redirects, `client_id` equal to the URL). A backend reachable from other
// machines refuses a host that resolves to a private, loopback or link-local
// address before any request. A backend only this machine can reach (listening
// and published on loopback, whatever NODE_ENV says) fetches a document on a
// loopback host over plain HTTP, so local clients and tests can serve one.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { isLoopbackHost } from '@flowpos/core';

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  privateRanges.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  privateRanges.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4mapped) return privateRanges.check(v4mapped, 'ipv4');
  return privateRanges.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Reachable from other machines: every address the host resolves to must be public. */
export async function resolvesToPublicAddresses(clientId: string): Promise<boolean> {
  const { hostname } = new URL(clientId);
  const host = hostname.replace(/^\[|\]$/g, '');
  try {
    const addresses = isIP(host) ? [{ address: host }] : await lookup(host, { all: true });
    return addresses.length > 0 && addresses.every((a) => !isPrivateAddress(a.address));
  } catch {
    return false;
  }
}

/**
 * The fetch oidc-provider uses. On a local-only backend a loopback `https://`
 * document URL is fetched over `http://` without the provider's address
 * filter; every other URL goes through the filter untouched.
 */
export function clientMetadataFetch(localOnly: boolean) {
  return (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (localOnly && url.protocol === 'https:' && isLoopbackHost(url.hostname)) {
      url.protocol = 'http:';
      const { dispatcher: _ignored, ...rest } = (init ?? {}) as RequestInit & {
        dispatcher?: unknown;
      };
      return fetch(url, rest);
    }
    return fetch(input, init);
  };
}
