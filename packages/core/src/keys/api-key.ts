// API key format: `fp_mcp_` + 48 hex chars of randomness + 8 hex chars of
// CRC-32 over everything before it. Stored as SHA-256 only.
import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from './crc32.ts';

export const API_KEY_PREFIX = 'fp_mcp_';
const KEY_PATTERN = /^fp_mcp_([0-9a-f]{48})([0-9a-f]{8})$/;

export function generateApiKey(): string {
  const body = API_KEY_PREFIX + randomBytes(24).toString('hex');
  return body + crc32(body).toString(16).padStart(8, '0');
}

/** Format and checksum only: no database involved. */
export function isWellFormedApiKey(key: string): boolean {
  const match = KEY_PATTERN.exec(key);
  if (!match) return false;
  const body = API_KEY_PREFIX + match[1];
  return crc32(body).toString(16).padStart(8, '0') === match[2];
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith(API_KEY_PREFIX);
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The part shown in lists: enough to recognise a key, useless to use it. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 4);
}
