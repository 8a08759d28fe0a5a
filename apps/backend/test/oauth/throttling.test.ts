// Every authorization-server endpoint is throttled per client address, as the
// route the provider runs (no other spelling of a path reaches it), with 429,
// Retry-After and an OAuth-style body; interactions and metadata-document
// fetches are bounded per address; pushed authorization requests are off and
// a client's sector_identifier_uri is refused without being fetched. Each test
// speaks from its own address (X-Forwarded-For, TRUST_PROXY=true).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.ts';
import { startTestServer } from '../support/server.ts';
import { authorizeUrl } from '../support/oauth-browser.ts';

const ENV = {
  TRUST_PROXY: 'true',
  RATE_LIMIT_OAUTH_AUTHORIZE: '5',
  OAUTH_INTERACTIONS_PER_ADDRESS: '3',
  RATE_LIMIT_OAUTH_TOKEN: '3',
  RATE_LIMIT_OAUTH_METADATA_FETCHES: '2',
  OAUTH_REGISTRATIONS_PER_HOUR: '2',
};
const h = useHarness('oauth-throttling', ENV);

let addresses = 0;
const newAddress = () => `10.${++addresses}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const from = (address: string, init: RequestInit = {}) => ({
  ...init,
  redirect: 'manual' as const,
  headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': address },
});
const redirectUri = 'http://127.0.0.1:40003/cb';
const registration = (metadata: Record<string, unknown> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    client_name: 'Throttled Connector',
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'none',
    ...metadata,
  }),
});

async function expectThrottled(res: Response) {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await res.json()).toMatchObject({
    error: 'too_many_requests',
    error_description: expect.stringMatching(/retry/i),
  });
}

/** A small server for client documents and sector URIs, counting what it is asked for. */
let docs: Server;
let docBase: string;
const hits = new Map<string, number>();
beforeAll(async () => {
  docs = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    res.writeHead(200, { 'content-type': 'application/json' });
    if (path.startsWith('/sector')) return res.end(JSON.stringify([redirectUri]));
    res.end(
      JSON.stringify({
        client_id: `${docBase}${path}`,
        client_name: 'Document Connector',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'none',
      }),
    );
  });
  await new Promise<void>((r) => docs.listen(0, '127.0.0.1', r));
  docBase = `https://127.0.0.1:${(docs.address() as AddressInfo).port}`;
});
afterAll(() => {
  docs?.close();
});

const clients = () => h.db.oAuthRecord.count({ where: { kind: 'Client' } });
const interactions = () => h.db.oAuthRecord.count({ where: { kind: 'Interaction' } });

describe('OAuth throttling per address', () => {
  it('no spelling of the registration path registers past the per-address budget', async () => {
    const address = newAddress();
    const base = h.server.baseUrl;
    for (let i = 0; i < 2; i++) {
      expect((await fetch(`${base}/oauth/register`, from(address, registration()))).status).toBe(
        201,
      );
    }
    const before = await clients();
    await expectThrottled(await fetch(`${base}/oauth/register`, from(address, registration())));
    for (const path of [
      '/oauth/register/',
      '/oauth/REGISTER',
      '/oauth/Register/',
      '/OAUTH/register',
      '/%6Fauth/register',
      '/oauth//register',
    ]) {
      const res = await fetch(`${base}${path}`, from(address, registration()));
      expect([404, 429], path).toContain(res.status);
    }
    expect(await clients()).toBe(before);
    // Another address has its own budget.
    expect((await fetch(`${base}/oauth/register`, from(newAddress(), registration()))).status).toBe(
      201,
    );
  });

  it('the addresses of one IPv6 /64 share one registration budget', async () => {
    // One host holds a whole /64: a new address per request must not buy a new budget.
    const network = `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
    const base = h.server.baseUrl;
    for (const host of ['::1', '::2']) {
      const res = await fetch(`${base}/oauth/register`, from(`${network}${host}`, registration()));
      expect(res.status).toBe(201);
    }
    const before = await clients();
    for (const host of ['::3', ':0:0:abcd:1', ':ffff:ffff:ffff:ffff']) {
      const res = await fetch(`${base}/oauth/register`, from(`${network}${host}`, registration()));
      await expectThrottled(res);
    }
    expect(await clients()).toBe(before);
  });

  it('the authorization endpoint, its resume and the consent routes share one budget', async () => {
    const address = newAddress();
    const base = h.server.baseUrl;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${base}/oauth-consent/unknown-${i}`, from(address));
      expect(res.status).toBe(400);
    }
    const authorize = authorizeUrl(base, { clientId: 'any', redirectUri });
    await expectThrottled(await fetch(authorize, from(address)));
    await expectThrottled(await fetch(`${base}/oauth/authorize/some-uid`, from(address)));
    await expectThrottled(await fetch(`${base}/oauth-consent/unknown`, from(address)));
    expect((await fetch(authorize, from(newAddress()))).status).not.toBe(429);
  });

  it('the token and revocation endpoints share one budget', async () => {
    const address = newAddress();
    const form = (body: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });
    const grant = { grant_type: 'authorization_code', code: 'x', client_id: 'nobody' };
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${h.server.baseUrl}/oauth/token`, from(address, form(grant)));
      expect(res.status).not.toBe(429);
    }
    await expectThrottled(
      await fetch(`${h.server.baseUrl}/oauth/token`, from(address, form(grant))),
    );
    await expectThrottled(
      await fetch(
        `${h.server.baseUrl}/oauth/revoke`,
        from(address, form({ token: 'x', client_id: 'nobody' })),
      ),
    );
  });

  it('interactions an address opens are bounded over their lifetime', async () => {
    const reg = await fetch(
      `${h.server.baseUrl}/oauth/register`,
      from(newAddress(), registration()),
    );
    const clientId = ((await reg.json()) as { client_id: string }).client_id;
    const address = newAddress();
    const authorize = () =>
      fetch(authorizeUrl(h.server.baseUrl, { clientId, redirectUri }), from(address));
    const before = await interactions();
    for (let i = 0; i < 3; i++) expect((await authorize()).status).toBe(303);
    expect(await interactions()).toBe(before + 3);
    const refused = await authorize();
    // Counted over an interaction's lifetime, not the one-minute window.
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
    await expectThrottled(refused);
    expect(await interactions()).toBe(before + 3);
  });

  it('client metadata documents fetched for an address are bounded', async () => {
    const address = newAddress();
    const authorize = (path: string) =>
      fetch(
        authorizeUrl(h.server.baseUrl, { clientId: `${docBase}${path}`, redirectUri }),
        from(address),
      );
    expect((await authorize('/doc-1.json')).status).toBe(303);
    expect((await authorize('/doc-2.json')).status).toBe(303);
    await expectThrottled(await authorize('/doc-3.json'));
    expect(hits.get('/doc-3.json')).toBeUndefined();
  });

  it('budgets are shared by every instance (Redis)', async () => {
    const other = await startTestServer({
      databaseUrl: h.database.url,
      redis: true,
      redisKeyPrefix: h.server.services.config.redisKeyPrefix,
      env: ENV,
    });
    try {
      const address = newAddress();
      const register = (base: string) =>
        fetch(`${base}/oauth/register`, from(address, registration()));
      expect((await register(h.server.baseUrl)).status).toBe(201);
      expect((await register(other.baseUrl)).status).toBe(201);
      await expectThrottled(await register(h.server.baseUrl));
      await expectThrottled(await register(other.baseUrl));
    } finally {
      await other.close();
    }
  });

  it('the embedded default (no Redis) keeps the budgets in memory', async () => {
    const embedded = await startTestServer({ databaseUrl: h.database.url, env: ENV });
    try {
      const address = newAddress();
      const register = () =>
        fetch(`${embedded.baseUrl}/oauth/register`, from(address, registration()));
      expect((await register()).status).toBe(201);
      expect((await register()).status).toBe(201);
      await expectThrottled(await register());
      await expectThrottled(
        await fetch(`${embedded.baseUrl}/OAUTH/register`, from(address, registration())),
      );
    } finally {
      await embedded.close();
    }
  });

  it('pushed authorization requests are not offered', async () => {
    const res = await fetch(`${h.server.baseUrl}/oauth/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'x', response_type: 'code' }),
    });
    expect(res.status).toBe(404);
    const metadata = (await (
      await fetch(`${h.server.baseUrl}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(metadata).not.toHaveProperty('pushed_authorization_request_endpoint');
  });
});

describe('outbound fetches on a client say-so', () => {
  it('a registration naming a sector_identifier_uri is refused, and the URI never fetched', async () => {
    const res = await fetch(
      `${h.server.baseUrl}/oauth/register`,
      from(newAddress(), registration({ sector_identifier_uri: `${docBase}/sector.json` })),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client_metadata' });
    expect(hits.get('/sector.json')).toBeUndefined();
  });
});
