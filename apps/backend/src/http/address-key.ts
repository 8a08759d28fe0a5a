// The client address as per-address budgets and caps count it. An IPv6 host
// is routinely given a whole /64 (SLAAC, privacy addresses) and may speak
// from any address in it: counted one address at a time, it would hold 2^64
// budgets. So an IPv6 address counts as its /64, and an IPv4-mapped one
// (`::ffff:a.b.c.d`, a dual-stack listener's view of an IPv4 client) as the
// IPv4 address it is.
import { isIPv6 } from 'node:net';

/** The eight 16-bit groups of a valid IPv6 address (zone dropped, embedded IPv4 folded in). */
function groupsOf(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  const ipv4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (ipv4) {
    const [a, b, c, d] = ipv4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, ipv4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const before = head ? head.split(':') : [];
  if (tail === undefined) return before.length === 8 ? before.map((g) => parseInt(g, 16)) : null;
  const after = tail ? tail.split(':') : [];
  const zeros = new Array<string>(8 - before.length - after.length).fill('0');
  return [...before, ...zeros, ...after].map((g) => parseInt(g, 16));
}

export function addressKey(address: string): string {
  if (!isIPv6(address)) return address;
  const groups = groupsOf(address);
  if (!groups || groups.length !== 8) return address;
  const [, , , , , ffff, high, low] = groups;
  if (groups.slice(0, 5).every((g) => g === 0) && ffff === 0xffff) {
    return [high! >> 8, high! & 255, low! >> 8, low! & 255].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}
