// Key rotation ("regenerate", "rotate old API keys if compromise is
// suspected"): a merchant rolls a key over /mcp/keys or the console's tRPC; a
// new secret is shown once; the old one keeps working for the chosen overlap
// and then stops; "none" cuts the old key and its sessions at once. Audited.
// A rolled key stays one key: listed once with its previous secret; revoking
// it stops every secret; its overlap can be ended early; two concurrent rolls
// leave one successor.
import { loadActorByUserId, rotateApiKey } from '@flowpos/core';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { createKey } from '../support/fixtures.ts';
import { useHarness } from '../support/harness.ts';
import { useRotation } from '../support/key-rotation.ts';
import { mcpRequest, rawSession, toolsCallBody, trpcMutation } from '../support/raw-http.ts';

const h = useHarness('keyrotation');
const k = useRotation(h);
const { rotate, works, newKey, call, trpcStatus, rolledKey } = k;

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

    const list = await fetch(`${h.server.baseUrl}/mcp/keys?businessId=${k.businessId}`, {
      headers: { authorization: `Bearer ${await k.merchant.idToken()}` },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const { keys } = (await list.json()) as { keys: any[] };
    // One key: the new secret, with the old one and the end of its overlap.
    expect(keys.filter((k) => k.name === row.name)).toHaveLength(1);
    expect(keys.find((k) => k.id === row.id)).toBeUndefined();
    const listed = keys.find((k) => k.id === created.id);
    expect(listed?.expiresAt).toBeNull();
    expect(listed?.previousSecrets).toEqual([
      expect.objectContaining({ id: row.id, prefix: row.prefix, expiresAt: replaced.expiresAt }),
    ]);
    expect(created.previousSecrets).toEqual([expect.objectContaining({ id: row.id })]);
    expect(JSON.stringify(keys)).not.toContain(created.key);

    await h.server.services.core.audit.flush();
    const audited = await h.db.auditEvent.findFirst({
      where: { action: 'api_key.rotated', actorId: k.merchant.id, businessId: k.businessId },
      orderBy: { createdAt: 'desc' },
    });
    expect(audited?.details).toMatchObject({ keyId: row.id, newKeyId: created.id, overlap: '1h' });
    expect(JSON.stringify(audited?.details)).not.toContain(created.key);
  });

  it('after the overlap, the old secret stops and the new one goes on', async () => {
    const { key: oldSecret, row } = await newKey();
    // Rolled two hours ago with a one-hour overlap: the old key's time is up.
    const actor = await loadActorByUserId(h.db, k.merchant.id);
    const rolled = await rotateApiKey(
      {
        db: h.db,
        audit: h.server.services.core.audit,
        events: h.server.services.core.events,
        sessions: h.server.services.core.sessions,
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
    expect((await rotate(row.id, { overlap: '1d' }, k.outsider)).status).toBe(404);
    const { row: revoked } = await createKey(h.db, { businessId: k.businessId, revoked: true });
    expect((await rotate(revoked.id, { overlap: '1d' })).status).toBe(409);
  });
});

describe('rolling a key from the console (tRPC keys.rotate)', () => {
  it('returns the new secret once and keeps the old one for the overlap', async () => {
    const { key: oldSecret, row } = await newKey();
    const res = await trpcMutation(h.server.baseUrl, await k.merchant.idToken(), 'keys.rotate', {
      keyId: row.id,
      overlap: '7d',
    });
    expect(res.status).toBe(200);
    const body = res.body as { result: { data: unknown } };
    const rotated = superjson.deserialize<{
      key: { key: string };
      replaced: { expiresAt: Date };
    }>(body.result.data as never);
    expect(rotated.replaced.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(await works(oldSecret)).toBe(true);
    expect(await works(rotated.key.key)).toBe(true);
  });
});

describe('a rolled key is one key: revoking it stops every secret', () => {
  it('DELETE /mcp/keys/:id on the new id stops the old secret and its sessions too', async () => {
    const { oldSecret, oldId, newSecret, newId } = await rolledKey();
    const session = await rawSession(h.server.mcpUrl, oldSecret);
    const res = await call('DELETE', `/mcp/keys/${newId}`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: newId, status: 'revoked', previousSecrets: [] });
    expect(await works(newSecret)).toBe(false);
    expect(await works(oldSecret)).toBe(false);
    expect(await h.server.services.store.get(session)).toBeNull();
    const old = await h.db.apiKey.findUniqueOrThrow({ where: { id: oldId } });
    expect(old.revokedAt).not.toBeNull();
  });

  it('DELETE /mcp/keys/:id on the old id stops the new secret too', async () => {
    const { oldSecret, oldId, newSecret } = await rolledKey();
    expect((await call('DELETE', `/mcp/keys/${oldId}`)).status).toBe(200);
    expect(await works(newSecret)).toBe(false);
    expect(await works(oldSecret)).toBe(false);
  });

  it('tRPC keys.revoke stops both secrets', async () => {
    const { oldSecret, newSecret, newId } = await rolledKey();
    expect(await trpcStatus('keys.revoke', { keyId: newId })).toBe(200);
    expect(await works(newSecret)).toBe(false);
    expect(await works(oldSecret)).toBe(false);
  });

  it('a key rolled twice: revoking it stops all three secrets', async () => {
    const first = await rolledKey();
    const again = await rotate(first.newId, { overlap: '1h' });
    expect(again.status).toBe(201);
    expect(again.json.key.previousSecrets).toHaveLength(2);
    expect((await call('DELETE', `/mcp/keys/${again.json.key.id}`)).status).toBe(200);
    for (const secret of [first.oldSecret, first.newSecret, again.json.key.key]) {
      expect(await works(secret)).toBe(false);
    }
  });
});

describe('expiring the old secret now', () => {
  it('over /mcp/keys: the old secret and its sessions stop, the new one goes on; audited', async () => {
    const { oldSecret, newSecret, newId } = await rolledKey();
    const session = await rawSession(h.server.mcpUrl, oldSecret);
    const res = await call('POST', `/mcp/keys/${newId}/expire-previous`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: newId, status: 'active', previousSecrets: [] });
    expect(await works(oldSecret)).toBe(false);
    expect(await h.server.services.store.get(session)).toBeNull();
    expect(await works(newSecret)).toBe(true);
    // Nothing left to expire: the same answer, nothing changed.
    expect((await call('POST', `/mcp/keys/${newId}/expire-previous`)).status).toBe(200);
    expect(await works(newSecret)).toBe(true);
    await h.server.services.core.audit.flush();
    expect(
      await h.db.auditEvent.count({
        where: {
          action: 'api_key.previous_expired',
          actorId: k.merchant.id,
          businessId: k.businessId,
        },
      }),
    ).toBe(1);
  });

  it('over tRPC keys.expirePrevious; another business cannot (404)', async () => {
    const { oldSecret, newSecret, newId } = await rolledKey();
    expect((await call('POST', `/mcp/keys/${newId}/expire-previous`, k.outsider)).status).toBe(404);
    expect(await works(oldSecret)).toBe(true);
    expect(await trpcStatus('keys.expirePrevious', { keyId: newId })).toBe(200);
    expect(await works(oldSecret)).toBe(false);
    expect(await works(newSecret)).toBe(true);
  });
});

describe('concurrent rolls of one key', () => {
  it('one wins (201), the other gets 409, and the key has one successor', async () => {
    const { row } = await newKey();
    // Hold the old row locked until both rolls wait on it, so both read it unrolled.
    let release!: () => void;
    let locked!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holding = h.db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM api_key WHERE id = ${row.id}::uuid FOR UPDATE`;
        locked();
        await held;
      },
      { timeout: 30_000 },
    );
    await isLocked;
    const rolls = Promise.all([
      rotate(row.id, { overlap: '1h' }),
      rotate(row.id, { overlap: '1d' }),
    ]);
    await expect
      .poll(async () => {
        const waiting = await h.db.$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND query LIKE '%UPDATE%api_key%'`;
        return Number(waiting[0]?.n ?? 0);
      })
      .toBe(2);
    release();
    await holding;
    const results = await rolls;
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)?.json.error).toBe('This key was already rolled');
    expect(await h.db.apiKey.count({ where: { businessId: k.businessId, name: row.name } })).toBe(
      2,
    );
  });
});
