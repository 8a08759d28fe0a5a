// /mcp/keys with Firebase ID tokens (RUNBOOK §3 A.2, DESIGN "API keys"): list
// without secrets, create once, membership and role checks, revoke that takes
// effect on /mcp at once, and only the SHA-256 hash at rest.
import { hashApiKey, isWellFormedApiKey } from '@flowpos/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createUser, type TestUser } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import {
  AUTH_REQUIRED,
  initializeBody,
  mcpRequest,
  rawSession,
  toolsCallBody,
} from '../support/raw-http.ts';

const h = useHarness('keysrest');
let businessId: string;
let merchant: TestUser;
let developer: TestUser;
let outsider: TestUser;
const plainKeys: string[] = [];

beforeAll(async () => {
  businessId = (await createBusiness(h.db)).business.id;
  const otherBusiness = (await createBusiness(h.db)).business.id;
  merchant = await createUser(h.db, {
    memberships: [{ businessId, role: 'merchant' }],
    label: 'keys-merchant',
  });
  developer = await createUser(h.db, {
    memberships: [{ businessId, role: 'tenant_developer' }],
    label: 'keys-dev',
  });
  outsider = await createUser(h.db, {
    memberships: [{ businessId: otherBusiness, role: 'merchant' }],
    label: 'keys-outsider',
  });
});

async function api(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  user: TestUser | string | null,
  body?: unknown,
) {
  const headers: Record<string, string> = {};
  if (user)
    headers.authorization = `Bearer ${typeof user === 'string' ? user : await user.idToken()}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${h.server.baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json: any = text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, text, json };
}

async function createViaApi(user: TestUser, body: Record<string, unknown>) {
  const res = await api('POST', '/mcp/keys', user, {
    businessId,
    name: `key ${crypto.randomUUID().slice(0, 8)}`,
    scopes: ['pos:read'],
    ...body,
  });
  if (res.status === 201) plainKeys.push(res.json.key);
  return res;
}

describe('POST /mcp/keys', () => {
  it('201 with the secret once; the listing then shows the prefix only', async () => {
    const res = await createViaApi(merchant, {
      name: 'Till 1',
      scopes: ['pos:read', 'pos:intents'],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(isWellFormedApiKey(res.json.key)).toBe(true);
    expect(res.json).toMatchObject({
      id: expect.any(String),
      name: 'Till 1',
      role: 'merchant',
      scopes: ['pos:read', 'pos:intents'],
      isActive: true,
    });
    expect(res.json.prefix).toBe(res.json.key.slice(0, 11));
    expect(res.json).not.toHaveProperty('hash');

    const list = await api('GET', `/mcp/keys?businessId=${businessId}`, merchant);
    expect(list.status).toBe(200);
    const listed = (list.json.keys as Record<string, unknown>[]).find((k) => k.id === res.json.id);
    expect(listed).toMatchObject({
      id: res.json.id,
      name: 'Till 1',
      prefix: res.json.prefix,
      role: 'merchant',
      isActive: true,
      expiresAt: null,
    });
    for (const field of [
      'id',
      'name',
      'prefix',
      'role',
      'scopes',
      'isActive',
      'expiresAt',
      'lastUsedAt',
      'createdAt',
    ]) {
      expect(listed).toHaveProperty(field);
    }
    for (const k of list.json.keys as Record<string, unknown>[]) {
      expect(k).not.toHaveProperty('key');
      expect(k).not.toHaveProperty('hash');
    }
    expect(list.text).not.toContain(res.json.key);
    expect(list.text).not.toContain(hashApiKey(res.json.key));
    expect(list.text).not.toContain(res.json.key.slice(11));
  });

  it('the created key works on /mcp', async () => {
    const res = await createViaApi(merchant, {});
    const init = await mcpRequest(h.server.mcpUrl, {
      bearer: res.json.key,
      body: initializeBody(),
    });
    expect(init.status).toBe(200);
  });

  it('400 on bad input', async () => {
    const bad: Record<string, unknown>[] = [
      { businessId, scopes: ['pos:read'] },
      { businessId, name: '', scopes: ['pos:read'] },
      { businessId, name: 'x', scopes: [] },
      { businessId, name: 'x', scopes: ['pos:everything'] },
      { businessId, name: 'x', scopes: ['pos:read'], role: 'superuser' },
      {
        businessId,
        name: 'x',
        scopes: ['pos:read'],
        expiresAt: new Date(Date.now() - 60_000).toISOString(),
      },
      { businessId: 'not-a-uuid', name: 'x', scopes: ['pos:read'] },
    ];
    const before = await h.db.apiKey.count();
    for (const body of bad) {
      const res = await api('POST', '/mcp/keys', merchant, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.key).toBeUndefined();
    }
    expect(await h.db.apiKey.count()).toBe(before);
  });

  it('403 for a non-member; 401 without a valid Firebase ID token', async () => {
    const res = await api('POST', '/mcp/keys', outsider, {
      businessId,
      name: 'x',
      scopes: ['pos:read'],
    });
    expect(res.status).toBe(403);
    expect(res.json.error).toBe('You are not a member of this business');
    expect(
      (await api('POST', '/mcp/keys', null, { businessId, name: 'x', scopes: ['pos:read'] }))
        .status,
    ).toBe(401);
    expect(
      (
        await api('POST', '/mcp/keys', 'forged.firebase.token', {
          businessId,
          name: 'x',
          scopes: ['pos:read'],
        })
      ).status,
    ).toBe(401);
  });

  it('a tenant developer cannot create pos:intents or merchant keys (403), but can create a developer key', async () => {
    const intents = await createViaApi(developer, { scopes: ['pos:read', 'pos:intents'] });
    expect(intents.status).toBe(403);
    expect(intents.json.error).toBe('A tenant_developer key cannot have the pos:intents scope');
    const asMerchant = await createViaApi(developer, { role: 'merchant' });
    expect(asMerchant.status).toBe(403);
    const ok = await createViaApi(developer, { scopes: ['pos:read'] });
    expect(ok.status).toBe(201);
    expect(ok.json.role).toBe('tenant_developer');
  });
});

describe('GET /mcp/keys', () => {
  it('403 not a member, 400 without a business id, 401 without a token', async () => {
    const forbidden = await api('GET', `/mcp/keys?businessId=${businessId}`, outsider);
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).not.toContain('fp_mcp_');
    expect((await api('GET', '/mcp/keys', merchant)).status).toBe(400);
    expect((await api('GET', '/mcp/keys?businessId=nope', merchant)).status).toBe(400);
    expect((await api('GET', `/mcp/keys?businessId=${businessId}`, null)).status).toBe(401);
  });
});

describe('DELETE /mcp/keys/:id', () => {
  it('revoking stops the key on /mcp at once (401) and ends its sessions', async () => {
    const created = await createViaApi(merchant, { scopes: ['pos:read'] });
    const key = created.json.key as string;
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const warm = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: toolsCallBody('whoami'),
    });
    expect(warm.status).toBe(200);

    const revoked = await api('DELETE', `/mcp/keys/${created.json.id}`, merchant);
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ id: created.json.id, isActive: false, status: 'revoked' });
    expect(revoked.text).not.toContain(key);

    const call = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: toolsCallBody('whoami'),
    });
    expect(call.status).toBe(401);
    expect(call.json.error.message).toBe(AUTH_REQUIRED);
    const init = await mcpRequest(h.server.mcpUrl, { bearer: key, body: initializeBody() });
    expect(init.status).toBe(401);
    expect(await h.server.services.store.get(sessionId)).toBeNull();

    const list = await api('GET', `/mcp/keys?businessId=${businessId}`, merchant);
    expect(
      (list.json.keys as { id: string; isActive: boolean }[]).find((k) => k.id === created.json.id)
        ?.isActive,
    ).toBe(false);
  });

  it('403/404 for people who may not revoke it; the key keeps working', async () => {
    const created = await createViaApi(merchant, { role: 'merchant' });
    const byOutsider = await api('DELETE', `/mcp/keys/${created.json.id}`, outsider);
    expect(byOutsider.status).toBe(404);
    const byDeveloper = await api('DELETE', `/mcp/keys/${created.json.id}`, developer);
    expect(byDeveloper.status).toBe(403);
    expect((await api('DELETE', `/mcp/keys/${crypto.randomUUID()}`, merchant)).status).toBe(404);
    expect((await api('DELETE', `/mcp/keys/${created.json.id}`, null)).status).toBe(401);
    const init = await mcpRequest(h.server.mcpUrl, {
      bearer: created.json.key,
      body: initializeBody(),
    });
    expect(init.status).toBe(200);
  });
});

describe('at rest', () => {
  it('the database holds only the SHA-256 hash: no plain key in api_key rows or audit_event details', async () => {
    await h.server.services.core.audit.flush();
    expect(plainKeys.length).toBeGreaterThanOrEqual(4);
    const rows = await h.db.apiKey.findMany();
    const auditRows = await h.db.auditEvent.findMany();
    const rawRows = JSON.stringify(await h.db.$queryRawUnsafe('SELECT * FROM api_key'));
    const rawAudit = JSON.stringify(await h.db.$queryRawUnsafe('SELECT * FROM audit_event'));
    for (const plain of plainKeys) {
      const row = rows.find((r) => r.hash === hashApiKey(plain));
      expect(row).toBeDefined();
      expect(row?.hash).toMatch(/^[0-9a-f]{64}$/);
      const secretPart = plain.slice(11);
      for (const dump of [JSON.stringify(rows), rawRows, JSON.stringify(auditRows), rawAudit]) {
        expect(dump).not.toContain(plain);
        expect(dump).not.toContain(secretPart);
      }
    }
    expect(auditRows.some((r) => r.action === 'api_key.created')).toBe(true);
  });
});
