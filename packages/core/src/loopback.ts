// Whether a host is this machine: the one answer for the backend's config
// checks (the development secret and the emulator are for loopback only), the
// origin and Host policy, and OAuth's loopback redirects and metadata fetches.
// Loopback is 127.0.0.0/8, ::1 (in any spelling), IPv4-mapped 127.x
// (::ffff:127.0.0.1, which URL parsing writes ::ffff:7f00:1) and the name
// localhost; brackets, letter case and a trailing dot do not matter.
import { BlockList, isIP } from 'node:net';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** An IP address (no brackets) in a loopback range. */
export function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return loopback.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** A hostname or IP address (`localhost`, `127.0.0.2`, `[::1]`, `::1`) that names this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return h === 'localhost' || isLoopbackAddress(h);
}
