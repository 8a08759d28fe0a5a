// Shared by the key rotation tests: a merchant's business (and an outsider's),
// rolling a key over /mcp/keys, and whether a secret still opens a session.
import { beforeAll, expect } from 'vitest';
import { createBusiness, createKey, createUser, type TestUser } from './fixtures.ts';
import type { Harness } from './harness.ts';
import { initializeBody, mcpRequest, trpcMutation } from './raw-http.ts';

export function useRotation(h: Harness) {
  let made: { businessId: string; merchant: TestUser; outsider: TestUser } | undefined;
  beforeAll(async () => {
    const businessId = (await createBusiness(h.db, undefined, 0)).business.id;
    const merchant = await createUser(h.db, {
      memberships: [{ businessId, role: 'merchant' }],
      label: 'rotate-merchant',
    });
    const other = (await createBusiness(h.db, undefined, 0)).business.id;
    const outsider = await createUser(h.db, {
      memberships: [{ businessId: other, role: 'merchant' }],
      label: 'rotate-outsider',
    });
    made = { businessId, merchant, outsider };
  });
  const current = () => {
    if (!made) throw new Error('the rotation setup is used before beforeAll made it');
    return made;
  };

  const rotate = async (keyId: string, body: unknown, user: TestUser = current().merchant) => {
    const res = await fetch(`${h.server.baseUrl}/mcp/keys/${keyId}/rotate`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await user.idToken()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, headers: res.headers, json: (await res.json()) as any };
  };
  const works = async (secret: string) =>
    (await mcpRequest(h.server.mcpUrl, { bearer: secret, body: initializeBody() })).status === 200;
  const newKey = () =>
    createKey(h.db, { businessId: current().businessId, createdById: current().merchant.id });

  return {
    get businessId() {
      return current().businessId;
    },
    get merchant() {
      return current().merchant;
    },
    get outsider() {
      return current().outsider;
    },
    rotate,
    works,
    newKey,
    /** A REST call on the key routes as `user` (the merchant by default). */
    async call(method: string, path: string, user: TestUser = current().merchant) {
      const res = await fetch(`${h.server.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${await user.idToken()}` },
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return { status: res.status, json: (await res.json()) as any };
    },
    /** The status of a console tRPC mutation by the merchant. */
    async trpcStatus(path: string, input: unknown) {
      const token = await current().merchant.idToken();
      return (await trpcMutation(h.server.baseUrl, token, path, input)).status;
    },
    /** A key rolled with a day's overlap: its old and new secrets, both working. */
    async rolledKey() {
      const { key: oldSecret, row } = await newKey();
      const res = await rotate(row.id, { overlap: '1d' });
      expect(res.status).toBe(201);
      expect(await works(oldSecret)).toBe(true);
      return {
        oldSecret,
        oldId: row.id,
        newSecret: res.json.key.key as string,
        newId: res.json.key.id,
      };
    },
  };
}
