// RUNBOOK §1, the 404 Unknown session ID row: each way a session ends is made
// for real over /mcp, the client sees 404, then diagnose is asked and must
// name when and why the session ended (or, alive, whose it is).
import { SYMPTOMS, STEPS } from '@flowpos/core';
import { describe, expect, it } from 'vitest';
import { createKey, createUser } from '../support/fixtures.ts';
import { redisSessionKey } from '../support/harness.ts';
import { exchangeToken, mcpRequest, rawSession, toolsListBody } from '../support/raw-http.ts';
import { trpc } from '../support/oauth-browser.ts';
import { waitFor } from '../support/poll.ts';
import { factOf, findingOf, useRowsSetup } from './support.ts';

const { h, rows } = useRowsSetup('diagnose-ended');
const { ask } = rows;

describe('404 Unknown session ID: when and why it ended', () => {
  const gone = async (key: string, sessionId: string) =>
    expect(
      (await mcpRequest(h.server.mcpUrl, { bearer: key, sessionId, body: toolsListBody() })).status,
    ).toBe(404);

  it('deleted by the client (DELETE /mcp)', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    expect(
      (await mcpRequest(h.server.mcpUrl, { method: 'DELETE', bearer: key, sessionId })).status,
    ).toBe(200);
    await gone(key, sessionId);
    const f = await waitFor(async () => findingOf(await ask(sessionId), 'session.deleted'));
    expect(f.symptom).toEqual(SYMPTOMS.unknownSession);
    expect(f.why).toMatch(/DELETE \/mcp/);
    expect(f.steps).toContainEqual(STEPS.reinitialize);
  });

  it('idle: the store let it expire after SESSION_IDLE_TIMEOUT_SECONDS', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    // What the sliding TTL does after a day without a request, now.
    await rows.redis.pexpire(redisSessionKey(h.server.services, sessionId), 1);
    await new Promise((r) => setTimeout(r, 20));
    const [d] = await waitFor(async () => {
      const found = await ask(sessionId);
      findingOf(found, 'session.idle');
      return found;
    });
    const f = findingOf([d!], 'session.idle');
    expect(f.steps).toContainEqual(STEPS.sessionIdle);
    expect(factOf(d!, 'Instance that last served it')).toBe(h.server.services.config.instanceId);
  });

  it('its key was revoked', async () => {
    const created = await trpc<{ id: string; key: string }>(
      h.server.baseUrl,
      rows.merchantToken,
      'keys.create',
      { businessId: rows.businessId, name: 'revoke with session', scopes: ['pos:read'] },
      'mutation',
    );
    const { id, key } = created.data;
    const sessionId = await rawSession(h.server.mcpUrl, key);
    await trpc(h.server.baseUrl, rows.merchantToken, 'keys.revoke', { keyId: id }, 'mutation');
    const f = await waitFor(async () => findingOf(await ask(sessionId), 'session.revoked'));
    expect(f.why).toMatch(/revoked/);
    expect(f.steps).toContainEqual(STEPS.sessionEnded);
  });

  it('its key expired', async () => {
    const { key } = await createKey(h.db, {
      businessId: rows.businessId,
      expiresAt: new Date(Date.now() + 1500),
    });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    await new Promise((r) => setTimeout(r, 1600));
    // The runbook (§4 6): the session ends, and the key then also answers 401.
    expect(
      (await mcpRequest(h.server.mcpUrl, { bearer: key, sessionId, body: toolsListBody() })).status,
    ).toBe(401);
    const f = await waitFor(async () => findingOf(await ask(sessionId), 'session.key_expired'));
    expect(f.steps).toContainEqual(STEPS.sessionKeyExpiry);
  });

  it('it lost its rights (the membership was deactivated)', async () => {
    const member = await createUser(h.db, {
      memberships: [{ businessId: rows.businessId, role: 'merchant' }],
      label: 'loses',
    });
    const token = (await exchangeToken(h.server.baseUrl, await member.idToken())).json
      .token as string;
    const sessionId = await rawSession(h.server.mcpUrl, token);
    const off = await trpc(
      h.server.baseUrl,
      rows.merchantToken,
      'members.setActive',
      { businessId: rows.businessId, userId: member.id, isActive: false },
      'mutation',
    );
    expect(off.status).toBe(200);
    const f = await waitFor(async () => findingOf(await ask(sessionId), 'session.lost_rights'));
    expect(f.why).toMatch(/lost its rights/);
  });

  it('ended by an operator', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    expect(
      (
        await trpc(
          h.server.baseUrl,
          await rows.operator.idToken(),
          'sessions.end',
          { sessionId },
          'mutation',
        )
      ).status,
    ).toBe(200);
    await gone(key, sessionId);
    await waitFor(async () => findingOf(await ask(sessionId), 'session.ended_by_operator'));
  });

  it('alive: then it is another credential, and the instance serving it is named', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId });
    const other = (await createKey(h.db, { businessId: rows.businessId })).key;
    const sessionId = await rawSession(h.server.mcpUrl, key);
    await gone(other, sessionId);
    const [d] = await ask(sessionId);
    expect(findingOf([d!], 'session.alive').steps).toContainEqual(STEPS.sessionCredential);
    expect(factOf(d!, 'Instance that last served it')).toBe(h.server.services.config.instanceId);
  });
});
