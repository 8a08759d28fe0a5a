// Loopback is one answer everywhere: the table the config checks, the origin
// policy and OAuth's redirect and metadata rules all rely on.
import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, isLoopbackHost } from '../src/loopback.ts';

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['127.255.255.254', true],
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['[::ffff:7f00:1]', true],
    ['::ffff:127.9.9.9', true],
    ['128.0.0.1', false],
    ['126.255.255.255', false],
    ['10.0.0.1', false],
    ['::', false],
    ['::2', false],
    ['::ffff:10.0.0.1', false],
    ['localhost.example.com', false],
    ['mylocalhost', false],
    ['127.0.0.1.example.com', false],
    ['', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('isLoopbackAddress', () => {
  it('takes addresses only: a name, even localhost, is not one', () => {
    expect(isLoopbackAddress('127.0.0.2')).toBe(true);
    expect(isLoopbackAddress('::1')).toBe(true);
    expect(isLoopbackAddress('localhost')).toBe(false);
    expect(isLoopbackAddress('[::1]')).toBe(false);
  });
});
