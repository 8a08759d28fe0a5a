// Recognising a pasted value by its shape alone (no database read): an API
// key secret or prefix, a JWT (ours, or a Firebase ID token), an opaque OAuth
// access token, a session id (UUID) or an OAuth client id. Shapes overlap
// (an opaque token and a registered client id are both random strings), so
// the caller tries the candidates in the order given.
import { API_KEY_PREFIX } from '../keys/api-key.ts';
import { isUuid } from '../storable.ts';
import type { ValueKind } from './diagnosis.ts';

const PREFIX_PATTERN = /^fp_mcp_[0-9a-f]{4,55}(?:…|\.\.\.)?$/;
const SECRET_PATTERN = /^fp_mcp_[0-9a-f]{56}$/;
const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const CLIENT_ID = /^[\x21-\x7e]{1,500}$/;

/** Strips what people paste around a value: a `Bearer ` prefix, quotes, spaces. */
export function normalizePasted(value: string): string {
  return value
    .trim()
    .replace(/^Authorization:\s*/i, '')
    .replace(/^Bearer\s+/i, '')
    .replace(/^["'`]|["'`]$/g, '')
    .trim();
}

function jwtPayload(value: string): Record<string, unknown> | null {
  try {
    const part = value.split('.')[1] ?? '';
    const parsed: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The kinds the value may be, most likely first; empty when none. */
export function recognise(value: string): ValueKind[] {
  if (value.startsWith(API_KEY_PREFIX)) {
    // A full-length value is a secret even with a bad checksum: the verifier says so.
    if (SECRET_PATTERN.test(value) || value.length >= API_KEY_PREFIX.length + 56)
      return ['api_key_secret'];
    return PREFIX_PATTERN.test(value) ? ['api_key_prefix'] : ['api_key_secret'];
  }
  if (JWT_PATTERN.test(value)) {
    const iss = jwtPayload(value)?.iss;
    if (typeof iss === 'string' && iss.startsWith('https://securetoken.google.com/'))
      return ['firebase_id_token'];
    return ['mcp_token'];
  }
  if (isUuid(value)) return ['session_id'];
  if (OPAQUE_TOKEN.test(value)) return ['oauth_access_token', 'oauth_client_id'];
  if (CLIENT_ID.test(value)) return ['oauth_client_id'];
  return [];
}

/**
 * What may be shown of the value: a key's display prefix, a session or client
 * id (not secrets), and for every secret only its kind and first characters.
 */
export function safeLabel(kind: ValueKind | null, value: string): string {
  switch (kind) {
    case 'api_key_secret':
    case 'api_key_prefix':
      return `${value.slice(0, API_KEY_PREFIX.length + 4)}…`;
    case 'session_id':
    case 'oauth_client_id':
      return value.length > 120 ? `${value.slice(0, 120)}…` : value;
    case 'mcp_token':
    case 'firebase_id_token':
      return `${value.slice(0, 6)}… (a JWT of ${value.length} characters)`;
    case 'oauth_access_token':
      return `(an opaque token of ${value.length} characters)`;
    case null:
      return `(${value.length} characters)`;
  }
}
