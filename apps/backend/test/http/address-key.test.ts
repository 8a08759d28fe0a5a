// Per-address budgets count an IPv6 client by its /64 (one host may speak
// from any address in it) and an IPv4-mapped address as its IPv4 address.
import { describe, expect, it } from 'vitest';
import { addressKey } from '../../src/http/address-key.ts';

describe('addressKey', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts every address of one IPv6 /64 as that /64, however it is written', () => {
    const keys = [
      '2001:db8:1:2::1',
      '2001:DB8:1:2:ffff:ffff:ffff:ffff',
      '2001:0db8:0001:0002:0000:0000:abcd:0001',
      '2001:db8:1:2::1.2.3.4',
      '2001:db8:1:2::9%eth0',
    ].map(addressKey);
    expect(new Set(keys)).toEqual(new Set(['2001:db8:1:2::/64']));
  });

  it('keeps neighbouring /64s apart', () => {
    expect(addressKey('2001:db8:1:3::1')).not.toBe(addressKey('2001:db8:1:2::1'));
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:cb00:7107')).toBe('203.0.113.7');
  });

  it('leaves what is not an address alone', () => {
    expect(addressKey('not-an-address')).toBe('not-an-address');
  });
});
