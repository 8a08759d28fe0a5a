// What the RUNBOOK §1 symptom files start from: one business, a valid key and
// a valid V2 token of its merchant (the control every refused row is compared
// with), an operator to ask diagnose, Redis as the sessions are stored, and the
// exact 401 a client sees.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect } from 'vitest';
import { createBusiness, createKey, createUser, type TestUser } from './fixtures.ts';
import { useHarness, type Harness } from './harness.ts';
import { AUTH_REQUIRED, exchangeToken } from './raw-http.ts';

export interface SymptomSetup {
  businessId: string;
  merchant: TestUser;
  /** The merchant's ID token, for the console's API. */
  merchantToken: string;
  userId: string;
  validKey: string;
  validToken: string;
  /** An operator, who may diagnose any business. */
  operator: TestUser;
  /** A client of the server's Redis, to look at sessions as stored. */
  redis: Redis;
}

/** A server of the file's own (`name`) and, before the tests, the setup on it. */
export function useSymptomSetup(name: string): { h: Harness; valid: () => SymptomSetup } {
  const h = useHarness(name);
  let made: SymptomSetup | undefined;
  beforeAll(async () => {
    const redis = new Redis(h.server.services.config.redisUrl as string);
    const { business } = await createBusiness(h.db);
    const validKey = (await createKey(h.db, { businessId: business.id })).key;
    const merchant = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
      label: name,
    });
    const merchantToken = await merchant.idToken();
    const validToken = (await exchangeToken(h.server.baseUrl, merchantToken)).json.token;
    const operator = await createUser(h.db, { operator: true, label: `${name}-op` });
    made = {
      businessId: business.id,
      merchant,
      merchantToken,
      userId: merchant.id,
      validKey,
      validToken,
      operator,
      redis,
    };
  });
  afterAll(() => made?.redis.disconnect());
  const valid = () => {
    if (!made) throw new Error('the symptom setup is used before beforeAll made it');
    return made;
  };
  return { h, valid };
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
