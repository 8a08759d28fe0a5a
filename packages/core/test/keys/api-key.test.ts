import { describe, expect, it } from 'vitest';
import {
  API_KEY_PREFIX,
  displayPrefix,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
} from '../../src/keys/api-key.ts';
import { crc32 } from '../../src/keys/crc32.ts';

describe('API key format', () => {
  it('generates fp_mcp_ + 48 hex + 8 hex checksum', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^fp_mcp_[0-9a-f]{56}$/);
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(generateApiKey()).not.toBe(key);
  });

  it('rejects a key with one character changed (checksum)', () => {
    const key = generateApiKey();
    const i = API_KEY_PREFIX.length + 5;
    const tampered = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
    expect(isWellFormedApiKey(tampered)).toBe(false);
  });

  it('rejects malformed keys', () => {
    for (const bad of [
      '',
      'fp_mcp_',
      'fp_mcp_xyz',
      `fp_mcp_${'a'.repeat(56)}`,
      `sk_${'a'.repeat(56)}`,
      generateApiKey().toUpperCase(),
    ]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });

  it('crc32 matches the IEEE check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  it('hashes with SHA-256 and shows only a short prefix', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key)).not.toContain(key.slice(7, 20));
    expect(displayPrefix(key)).toBe(key.slice(0, 11));
  });
});
