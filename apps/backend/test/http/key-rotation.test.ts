// Key rotation ("regenerate", "rotate old API keys if compromise is
// suspected"): a merchant rolls a key over /mcp/keys or the console's tRPC; a
// new secret is shown once; the old one keeps working for the chosen overlap
// and then stops; "none" cuts the old key and its sessions at once. Audited.
import { loadActorByUserId, rotateApiKey } from '@flowpos/core';
import superjson from 'superjson';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createKey, createUser, type TestUser } from '../support/fixtures.ts';
import {
  initializeBody,
  mcpRequest,
  rawSession,
  toolsCallBody,
  useHarness,
} from '../support/harness.ts';

const h = useHarness('keyrotation');
let businessId: string;
let merchant: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  businessId = (await createBusiness(h.db, undefined, 0)).business.id;
  merchant = await createUser(h.db, {
    memberships: [{ businessId, role: 'merchant' }],
    label: 'rotate-merchant',
  });
  const other = (await createBusiness(h.db, undefined, 0)).business.id;
  outsider = await createUser(h.db, {
    memberships: [{ businessId: other, role: 'merchant' }],
    label: 'rotate-outsider',
  });
});

async function rotate(keyId: string, body: unknown, user: TestUser = merchant) {
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
}

const works = async (secret: string) =>
  (await mcpRequest(h.server.mcpUrl, { bearer: secret, body: initializeBody() })).status === 200;

const newKey = () => createKey(h.db, { businessId, createdById: merchant.id });

describe('rolling a key over /mcp/keys', () => {
  it('with an overlap: a new secret once, both work, both listed with their expiry; audited', async () => {
    const { key: oldSecret, row } = await newKey();
    const before = Date.now();
    const res = await rotate(row.id, { overlap: '1h' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { key: created, replaced } = res.json;
    expect(created.key).toMatch(/^fp_mcp_[0-9a-f]{56}$/);
    expect(created).toMatchObject({ name: row.name, role: row.role, scopes: row.scopes });
    expect(replaced).toMatchObject({ id: row.id, status: 'active' });
    const stops = Date.parse(replaced.expiresAt);
    expect(stops).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000);
    expect(stops).toBeLessThanOrEqual(Date.now() + 3_600_000);

    expect(await works(oldSecret)).toBe(true);
    expect(await works(created.key)).toBe(true);

    const list = await fetch(`${h.server.baseUrl}/mcp/keys?businessId=${businessId}`, {
      headers: { authorization: `Bearer ${await merchant.idToken()}` },
    });
    const { keys } = (await list.json()) as { keys: { id: string; expiresAt: string | null }[] };
    expect(keys.find((k) => k.id === row.id)?.expiresAt).toBe(replaced.expiresAt);
    expect(keys.find((k) => k.id === created.id)?.expiresAt).toBeNull();
    expect(JSON.stringify(keys)).not.toContain(created.key);

    await h.server.services.audit.flush();
    const audited = await h.db.auditEvent.findFirst({
      where: { action: 'api_key.rotated', actorId: merchant.id, businessId },
      orderBy: { createdAt: 'desc' },
    });
    expect(audited?.details).toMatchObject({ keyId: row.id, newKeyId: created.id, overlap: '1h' });
    expect(JSON.stringify(audited?.details)).not.toContain(created.key);
  });

  it('after the overlap, the old secret stops and the new one goes on', async () => {
    const { key: oldSecret, row } = await newKey();
    // Rolled two hours ago with a one-hour overlap: the old key's time is up.
    const actor = await loadActorByUserId(h.db, merchant.id);
    const rolled = await rotateApiKey(
      {
        db: h.db,
        audit: h.server.services.audit,
        events: h.server.services.events,
        sessions: h.server.services.directory,
      },
      actor,
      { keyId: row.id, overlap: '1h' },
      new Date(Date.now() - 2 * 3_600_000),
    );
    expect(await works(oldSecret)).toBe(false);
    expect(await works(rolled.key.key)).toBe(true);
  });

  it('overlap none: the old secret and its live sessions stop at once', async () => {
    const { key: oldSecret, row } = await newKey();
    const session = await rawSession(h.server.mcpUrl, oldSecret);
    const res = await rotate(row.id, { overlap: 'none' });
    expect(res.status).toBe(201);
    expect(res.json.replaced).toMatchObject({ status: 'revoked' });
    expect(await h.server.services.store.get(session)).toBeNull();
    const call = await mcpRequest(h.server.mcpUrl, {
      bearer: oldSecret,
      sessionId: session,
      body: toolsCallBody('whoami'),
    });
    expect(call.status).toBe(401);
    expect(await works(res.json.key.key)).toBe(true);
  });

  it('refuses a bad overlap (400), a key of another business (404) and a revoked key (409)', async () => {
    const { row } = await newKey();
    expect((await rotate(row.id, { overlap: '2h' })).status).toBe(400);
    expect((await rotate(row.id, {})).status).toBe(400);
    expect((await rotate(row.id, { overlap: '1d' }, outsider)).status).toBe(404);
    const { row: revoked } = await createKey(h.db, { businessId, revoked: true });
    expect((await rotate(revoked.id, { overlap: '1d' })).status).toBe(409);
  });
});

describe('rolling a key from the console (tRPC keys.rotate)', () => {
  it('returns the new secret once and keeps the old one for the overlap', async () => {
    const { key: oldSecret, row } = await newKey();
    const res = await fetch(`${h.server.baseUrl}/trpc/keys.rotate`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await merchant.idToken()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(superjson.serialize({ keyId: row.id, overlap: '7d' })),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { data: unknown } };
    const rotated = superjson.deserialize<{
      key: { key: string };
      replaced: { expiresAt: Date };
    }>(body.result.data as never);
    expect(rotated.replaced.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(await works(oldSecret)).toBe(true);
    expect(await works(rotated.key.key)).toBe(true);
  });
});
