// RUNBOOK §3, the 401 checklist, item by item (A: API keys, B: V2 tokens,
// C: OAuth connectors): each state made for real, the endpoint's answer
// checked, then the diagnosis and the checklist step it points to.
import { STEPS, SYMPTOMS } from '@flowpos/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createBusiness,
  createKey,
  createUser,
  setValidSince,
  type TestUser,
} from '../support/fixtures.ts';
import { signerLike, useHarness } from '../support/harness.ts';
import { exchangeToken, postJson } from '../support/raw-http.ts';
import { trpc } from '../support/oauth-browser.ts';
import { authorizedTokens } from '../support/oauth-flow.ts';
import { waitFor } from '../support/poll.ts';
import { diagnoseOver, factOf, findingOf } from './support.ts';

const h = useHarness('diagnose-checklist');
let businessId: string;
let operator: TestUser;

beforeAll(async () => {
  businessId = (await createBusiness(h.db)).business.id;
  operator = await createUser(h.db, { operator: true, label: 'checklist-op' });
});

const ask = async (value: string, tool?: string) =>
  diagnoseOver(h.server.baseUrl, await operator.idToken(), value, tool);
const codes = (d: { findings: { code: string }[] }[]) =>
  d.flatMap((x) => x.findings.map((f) => f.code));

describe('A) V1 API key path', () => {
  it('1. header format: "Bearer fp_mcp_…" pasted whole is read as the key', async () => {
    const { key } = await createKey(h.db, { businessId });
    const [d] = await ask(`Authorization: Bearer ${key}`);
    expect(d!.kind).toBe('api_key_secret');
    expect(d!.found).toBe(true);
    expect(codes([d!]).filter((c) => c !== 'credential.no_session')).toEqual([]);
  });

  it('2. key status as GET /mcp/keys shows it, from the prefix alone', async () => {
    const { key, row } = await createKey(h.db, {
      businessId,
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const diagnoses = await ask(row.prefix);
    const d = diagnoses.find((x) => factOf(x, 'Key')?.startsWith(row.name));
    expect(d?.kind).toBe('api_key_prefix');
    expect(factOf(d!, 'Status')).toBe('active');
    expect(factOf(d!, 'Expires')).toBe(row.expiresAt!.toISOString());
    expect(JSON.stringify(diagnoses)).not.toContain(key);
  });

  it('3. isActive = true: an inactive key is named revoked', async () => {
    const { key } = await createKey(h.db, { businessId, isActive: false });
    expect(findingOf(await ask(key), 'key.revoked').steps).toContainEqual(STEPS.keyIsActive);
  });

  it("3. expiresAt is null or in the future: a rolled key's old secret past its overlap", async () => {
    const merchant = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    const idToken = await merchant.idToken();
    const created = await trpc<{ id: string; key: string }>(
      h.server.baseUrl,
      idToken,
      'keys.create',
      { businessId, name: 'rolled', scopes: ['pos:read'] },
      'mutation',
    );
    const rolled = await trpc(
      h.server.baseUrl,
      idToken,
      'keys.rotate',
      { keyId: created.data.id, overlap: 'none' },
      'mutation',
    );
    expect(rolled.status, rolled.message).toBe(200);
    const f = findingOf(await ask(created.data.key), 'key.revoked');
    expect(f.symptom).toEqual(SYMPTOMS.authRequired);
  });

  it('3. key scopes include required tool scopes', async () => {
    const { key } = await createKey(h.db, {
      businessId,
      role: 'merchant',
      scopes: ['pos:intents'],
    });
    const f = findingOf(await ask(key, 'list_products'), 'tool.hidden');
    expect(f.why).toContain('needs pos:read');
    expect(f.steps[0]).toEqual(STEPS.keyScopes);
  });

  it("3. a tool its scopes allow but the key's tool policy leaves out is named as such", async () => {
    const { key } = await createKey(h.db, {
      businessId,
      role: 'merchant',
      scopes: ['pos:read', 'pos:intents'],
      toolPolicy: { kind: 'read_only' },
    });
    const hidden = findingOf(await ask(key, 'create_sale_intent'), 'tool.hidden');
    expect(hidden.why).toContain('outside the tool policy (read-only)');
    const listed = await ask(key, 'list_products');
    expect(codes(listed)).not.toContain('tool.hidden');
  });
});

describe('B) V2 token path', () => {
  it('1. a Firebase ID token that exchanges is found, with nothing wrong', async () => {
    const user = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    const idToken = await user.idToken();
    expect((await exchangeToken(h.server.baseUrl, idToken)).status).toBe(200);
    const [d] = await ask(idToken);
    expect(d!.kind).toBe('firebase_id_token');
    expect(d!.findings).toEqual([]);
    expect(factOf(d!, 'User')).toBe(user.email);
  });

  it('2. 403: user has no active memberships', async () => {
    const user = await createUser(h.db, {
      memberships: [{ businessId, role: 'merchant', isActive: false }],
    });
    const idToken = await user.idToken();
    expect((await exchangeToken(h.server.baseUrl, idToken)).status).toBe(403);
    expect(findingOf(await ask(idToken), 'token.no_membership').steps).toContainEqual(
      STEPS.noMembership,
    );
  });

  it('3. an expired token that still refreshes: refresh', async () => {
    const user = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    // A chain started before the account's sign-ins became valid would be refused at refresh.
    const started = Date.now() - (3600 + 300) * 1000;
    await setValidSince(user.firebaseUid, Math.floor(started / 1000) - 60);
    const signer = signerLike(h.server.services);
    const { token } = await signer.sign(
      { sub: user.id, email: user.email, role: 'merchant', businessIds: [businessId] },
      Date.now() - (signer.ttlSeconds + 120) * 1000,
    );
    const f = findingOf(await ask(token), 'token.expired_refreshable');
    expect(f.steps).toEqual([STEPS.refresh, STEPS.refreshWindow]);
    expect((await postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token })).status).toBe(200);
  });

  it('4. JWT must be validly signed', async () => {
    const user = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    const other = signerLike(h.server.services, {
      secret: 'another-secret-that-is-long-enough-to-sign!!',
    });
    const { token } = await other.sign({
      sub: user.id,
      email: user.email,
      role: 'merchant',
      businessIds: [businessId],
    });
    expect((await postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token })).status).toBe(401);
    const [d] = await ask(token);
    expect(d!.found).toBe(false);
    expect(findingOf([d!], 'token.invalid').steps).toContainEqual(STEPS.refreshSigned);
    // Claims of a token not ours are never read back.
    expect(JSON.stringify(d)).not.toContain(user.email);
  });

  it('4. not more than 7 days expired', async () => {
    const user = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    const signer = signerLike(h.server.services);
    const { token } = await signer.sign(
      { sub: user.id, email: user.email, role: 'merchant', businessIds: [businessId] },
      Date.now() - 9 * 24 * 3600 * 1000,
    );
    expect(findingOf(await ask(token), 'token.expired_beyond_refresh').steps).toContainEqual(
      STEPS.refreshWindow,
    );
  });

  it('4. memberships are re-resolved from DB at refresh time', async () => {
    const owner = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    const user = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    const token = (await exchangeToken(h.server.baseUrl, await user.idToken())).json
      .token as string;
    await trpc(
      h.server.baseUrl,
      await owner.idToken(),
      'members.setActive',
      { businessId, userId: user.id, isActive: false },
      'mutation',
    );
    expect((await postJson(`${h.server.baseUrl}/mcp/token/refresh`, { token })).status).toBe(403);
    const f = findingOf(await ask(token), 'token.no_membership');
    expect(f.steps).toContainEqual(STEPS.refreshMemberships);
  });

  it('signed out everywhere since the token was issued', async () => {
    const user = await createUser(h.db, { memberships: [{ businessId, role: 'merchant' }] });
    const idToken = await user.idToken();
    const token = (await exchangeToken(h.server.baseUrl, idToken)).json.token as string;
    const out = await trpc(
      h.server.baseUrl,
      idToken,
      'members.signOutEverywhere',
      { userId: user.id },
      'mutation',
    );
    expect(out.status, out.message).toBe(200);
    expect(findingOf(await ask(token), 'token.signed_out').symptom).toEqual(SYMPTOMS.authRequired);
  });
});

describe('C) OAuth connector path', () => {
  it('a live access token names its app, person and business; revoking shows on the client id', async () => {
    const t = await authorizedTokens(h);
    const [d] = await ask(t.accessToken);
    expect(d!.kind).toBe('oauth_access_token');
    expect(d!.found).toBe(true);
    expect(factOf(d!, 'Person')).toBe(t.user.email);
    expect(JSON.stringify(d)).not.toContain(t.accessToken);

    const apps = await trpc<{ id: string; clientId: string }[]>(
      h.server.baseUrl,
      await t.user.idToken(),
      'oauth.connectedApps',
      undefined,
      'query',
    );
    const grant = apps.data.find((a) => a.clientId === t.clientId)!;
    await trpc(
      h.server.baseUrl,
      await t.user.idToken(),
      'oauth.revoke',
      { grantId: grant.id },
      'mutation',
    );
    const f = await waitFor(async () => findingOf(await ask(t.clientId), 'grant.revoked'));
    expect(f.steps).toContainEqual(STEPS.oauthListed);
    const [client] = await ask(t.clientId);
    expect(factOf(client!, 'Redirect hosts')).toBe('127.0.0.1:40001');
  });

  it('a scope the person did not allow: insufficient_scope', async () => {
    const t = await authorizedTokens(h, { decision: { scopes: ['pos:read'] } });
    const f = findingOf(await ask(t.accessToken, 'create_sale_intent'), 'tool.hidden');
    expect(f.steps).toContainEqual(STEPS.oauthScope);
  });
});
