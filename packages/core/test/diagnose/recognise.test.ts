import { describe, expect, it } from 'vitest';
import { generateApiKey, displayPrefix } from '../../src/keys/api-key.ts';
import { normalizePasted, recognise, safeLabel } from '../../src/diagnose/recognise.ts';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('recognise', () => {
  it('tells the pasted kinds apart by shape', () => {
    const key = generateApiKey();
    expect(recognise(key)).toEqual(['api_key_secret']);
    expect(recognise(displayPrefix(key))).toEqual(['api_key_prefix']);
    expect(recognise(`${displayPrefix(key)}…`)).toEqual(['api_key_prefix']);
    expect(recognise(`${b64({ alg: 'HS256' })}.${b64({ sub: 'x' })}.sig`)).toEqual(['mcp_token']);
    expect(
      recognise(`${b64({ alg: 'RS256' })}.${b64({ iss: 'https://securetoken.google.com/p' })}.s`),
    ).toEqual(['firebase_id_token']);
    expect(recognise('0b4f3f0e-8a47-4c1b-9d43-3f2c1b5e6a70')).toEqual(['session_id']);
    expect(recognise('a'.repeat(43))).toEqual(['oauth_access_token', 'oauth_client_id']);
    expect(recognise('https://app.example/client.json')).toEqual(['oauth_client_id']);
    expect(recognise('two words')).toEqual([]);
  });

  it('strips what people paste around a value', () => {
    const key = generateApiKey();
    expect(normalizePasted(`  Authorization: Bearer ${key}\n`)).toBe(key);
    expect(normalizePasted(`"${key}"`)).toBe(key);
  });

  it('never labels a secret with more than a prefix', () => {
    const key = generateApiKey();
    expect(safeLabel('api_key_secret', key)).toBe(`${displayPrefix(key)}…`);
    expect(safeLabel('oauth_access_token', 'x'.repeat(43))).not.toContain('xxxx');
    const jwt = `${b64({ alg: 'HS256' })}.${b64({ sub: 'someone' })}.signature`;
    expect(safeLabel('mcp_token', jwt)).not.toContain('signature');
  });
});
