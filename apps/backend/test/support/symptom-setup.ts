// What the RUNBOOK §1 symptom files start from: one business, a valid key and
// a valid V2 token of its merchant (the control every refused row is compared
// with), and the exact 401 a client sees.
import { beforeAll, expect } from 'vitest';
import { createBusiness, createKey, createUser } from './fixtures.ts';
import { type Harness } from './harness.ts';
import { AUTH_REQUIRED, exchangeToken } from './raw-http.ts';

export interface ValidCredentials {
  businessId: string;
  validKey: string;
  validToken: string;
  userId: string;
}

export function useValidCredentials(h: Harness, label: string): () => ValidCredentials {
  let made: ValidCredentials | undefined;
  beforeAll(async () => {
    const { business } = await createBusiness(h.db);
    const validKey = (await createKey(h.db, { businessId: business.id })).key;
    const user = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label,
    });
    const validToken = (await exchangeToken(h.server.baseUrl, await user.idToken())).json.token;
    made = { businessId: business.id, validKey, validToken, userId: user.id };
  });
  return () => {
    if (!made) throw new Error('the credentials are used before beforeAll made them');
    return made;
  };
}

export function expectAuthRequired(
  h: Harness,
  res: { status: number; json: unknown; headers: Headers },
) {
  expect(res.status).toBe(401);
  expect(res.json).toEqual({
    jsonrpc: '2.0',
    error: { code: -32000, message: AUTH_REQUIRED },
    id: null,
  });
  expect(res.headers.get('www-authenticate')).toBe(
    `Bearer resource_metadata="${h.server.baseUrl}/.well-known/oauth-protected-resource", scope="pos:read pos:intents sessions:read operator"`,
  );
}
