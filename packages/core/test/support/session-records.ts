// Session records for the session store tests: an API key's session in one business.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../src/principal.ts';
import type { SessionRecord } from '../../src/sessions/session-record.ts';

/** The principal of API key k1, a merchant's read-only key for `activeBusinessId`. */
export const keyPrincipal = (activeBusinessId: string): Principal => ({
  kind: 'api_key',
  credentialId: 'key:k1',
  role: 'merchant',
  scopes: ['pos:read'],
  authorizedBusinessIds: [activeBusinessId],
  activeBusinessId,
  apiKeyId: 'k1',
  label: 'fp_mcp_ab12…',
});

/** A session of key k1 in business b1 on instance a, seen just now, unless `overrides` say otherwise. */
export function sessionRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const now = Date.now();
  return {
    id: randomUUID(),
    principal: keyPrincipal('b1'),
    credential: 'key:k1',
    initialize: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'test', version: '1' },
    },
    createdAt: now,
    lastSeenAt: now,
    instanceId: 'a',
    ...overrides,
  };
}
