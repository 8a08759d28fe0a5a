// RUNBOOK §1, row by row: each state is made for real (keys revoked through
// the console's API, sessions opened and ended over /mcp, tokens refused by
// /mcp/token*), the client-visible failure is checked, then diagnose is asked
// and must name that row, the reason and the runbook's step.
import { SYMPTOMS, STEPS } from '@flowpos/core';
import { describe, expect, it } from 'vitest';
import { createKey } from '../support/fixtures.ts';
import { signerLike } from '../support/harness.ts';
import {
  exchangeToken,
  initializeBody,
  mcpRequest,
  postJson,
  rawSession,
  toolsListBody,
} from '../support/raw-http.ts';
import { connectModernClient } from '../support/mcp-client.ts';
import { trpc } from '../support/oauth-browser.ts';
import { waitFor } from '../support/poll.ts';
import { factOf, findingOf, useRowsSetup } from './support.ts';

const { h, rows } = useRowsSetup('diagnose-rows');
const { ask } = rows;

describe('401 Authentication required on POST /mcp', () => {
  it('a key revoked in the console: revoked, §3 A) isActive, regenerate', async () => {
    const created = await trpc<{ id: string; key: string }>(
      h.server.baseUrl,
      rows.merchantToken,
      'keys.create',
      { businessId: rows.businessId, name: 'to revoke', scopes: ['pos:read'] },
      'mutation',
    );
    expect(created.status).toBe(200);
    const { id, key } = created.data;
    expect(
      (await trpc(h.server.baseUrl, rows.merchantToken, 'keys.revoke', { keyId: id }, 'mutation'))
        .status,
    ).toBe(200);
    expect(
      (await mcpRequest(h.server.mcpUrl, { bearer: key, body: initializeBody() })).status,
    ).toBe(401);

    const [d] = await ask(key);
    expect(d!.kind).toBe('api_key_secret');
    const f = findingOf([d!], 'key.revoked');
    expect(f.symptom).toEqual(SYMPTOMS.authRequired);
    expect(f.steps).toContainEqual(STEPS.keyIsActive);
    expect(f.steps).toContainEqual(STEPS.regenerate);
    expect(factOf(d!, 'Status')).toBe('revoked');
    // Never the secret back: only its display prefix.
    expect(JSON.stringify(d)).not.toContain(key);
  });

  it('an expired key: expired, §3 A) expiresAt', async () => {
    const { key } = await createKey(h.db, {
      businessId: rows.businessId,
      expiresAt: new Date(Date.now() - 60_000),
    });
    expect(
      (await mcpRequest(h.server.mcpUrl, { bearer: key, body: initializeBody() })).status,
    ).toBe(401);
    const f = findingOf(await ask(key), 'key.expired');
    expect(f.symptom).toEqual(SYMPTOMS.authRequired);
    expect(f.steps).toContainEqual(STEPS.keyExpiry);
  });

  it('a key mangled while copying: malformed, §3 A) header format', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId });
    const mangled = `${key.slice(0, -1)}${key.at(-1) === '0' ? '1' : '0'}`;
    expect(
      (await mcpRequest(h.server.mcpUrl, { bearer: mangled, body: initializeBody() })).status,
    ).toBe(401);
    const f = findingOf(await ask(mangled), 'key.malformed');
    expect(f.steps).toContainEqual(STEPS.keyHeaderFormat);
  });
});

describe('401 on POST /mcp/token', () => {
  it('an expired Firebase ID token: invalid/expired, §3 B) 2', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const past = Math.floor(Date.now() / 1000) - 7200;
    const stale = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: 'https://securetoken.google.com/demo-flowpos', aud: 'demo-flowpos', sub: rows.merchant.firebaseUid, user_id: rows.merchant.firebaseUid, iat: past, exp: past + 3600, auth_time: past })}.`;
    expect((await exchangeToken(h.server.baseUrl, stale)).status).toBe(401);
    const [d] = await ask(stale);
    expect(d!.kind).toBe('firebase_id_token');
    const f = findingOf([d!], 'firebase.invalid');
    expect(f.symptom).toEqual(SYMPTOMS.tokenExchange);
    expect(f.steps).toContainEqual(STEPS.firebaseInvalid);
  });
});

describe('401 on POST /mcp/token/refresh', () => {
  it('a token expired more than 7 days ago: beyond the refresh window, exchange again', async () => {
    const signer = signerLike(h.server.services);
    const old = Date.now() - (8 * 24 * 3600 + signer.ttlSeconds) * 1000;
    const { token } = await signer.sign(
      {
        sub: rows.merchant.id,
        email: rows.merchant.email,
        role: 'merchant',
        businessIds: [rows.businessId],
      },
      old,
    );
    expect((await postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token })).status).toBe(401);
    const f = findingOf(await ask(token), 'token.expired_beyond_refresh');
    expect(f.symptom).toEqual(SYMPTOMS.tokenRefresh);
    expect(f.steps).toEqual([STEPS.refreshWindow, STEPS.exchangeAgain]);
  });
});

describe('400 mcp-session-id header required', () => {
  it('a key with no live session: initialize first', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId });
    const res = await mcpRequest(h.server.mcpUrl, { bearer: key, body: toolsListBody() });
    expect(res.status).toBe(400);
    const f = findingOf(await ask(key), 'credential.no_session');
    expect(f.symptom).toEqual(SYMPTOMS.sessionHeader);
    expect(f.steps).toContainEqual(STEPS.sessionHeader);
  });
});

describe('Tool missing from tools/list', () => {
  it('names the rule that hides it (hiddenReason)', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId, scopes: ['pos:read'] });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const list = await mcpRequest(h.server.mcpUrl, {
      bearer: key,
      sessionId,
      body: toolsListBody(),
    });
    const names = (list.json.result.tools as { name: string }[]).map((t) => t.name);
    expect(names).not.toContain('create_sale_intent');
    const diagnoses = await ask(key, 'create_sale_intent');
    const f = findingOf(diagnoses, 'tool.hidden');
    expect(f.symptom).toEqual(SYMPTOMS.toolMissing);
    expect(f.why).toContain('needs pos:intents');
    expect(f.steps).toContainEqual(STEPS.keyScopes);
    expect(diagnoses[0]!.tools.find((t) => t.name === 'list_products')?.hiddenBy).toBeNull();
  });
});

describe('set_active_business has no effect', () => {
  it('a one-business session is told set_active_business is not offered', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId });
    const sessionId = await rawSession(h.server.mcpUrl, key);
    const f = findingOf(await ask(sessionId), 'session.one_business');
    expect(f.symptom).toEqual(SYMPTOMS.activeBusiness);
    expect(f.steps).toContainEqual(STEPS.setActiveBusiness);
  });
});

describe('405 on GET or DELETE /mcp', () => {
  it('a credential used by a 2026-07-28 client: no session, GET answers 405', async () => {
    const { key } = await createKey(h.db, { businessId: rows.businessId });
    const client = await connectModernClient(h.server.mcpUrl, key);
    try {
      await client.callTool({ name: 'whoami', arguments: {} });
      const res = await mcpRequest(h.server.mcpUrl, {
        method: 'GET',
        bearer: key,
        headers: { 'mcp-protocol-version': '2026-07-28', accept: 'text/event-stream' },
      });
      expect(res.status).toBe(405);
      const diagnoses = await waitFor(async () => {
        const found = await ask(key);
        findingOf(found, 'credential.sessionless');
        return found;
      });
      const f = findingOf(diagnoses, 'credential.sessionless');
      expect(f.symptom).toEqual(SYMPTOMS.modernGetDelete);
      expect(f.steps).toContainEqual(STEPS.sessionlessNoStream);
      expect(factOf(diagnoses[0]!, 'Instance that last served the sessionless client')).toBe(
        h.server.services.config.instanceId,
      );
    } finally {
      await client.close();
    }
  });
});
