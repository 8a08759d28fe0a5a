// Dynamically registered clients do not pile up: one no person consented to
// expires (OAUTH_UNUSED_CLIENT_TTL_SECONDS) and is swept; consent keeps it; an
// address holds at most OAUTH_PENDING_CLIENTS_PER_ADDRESS unused clients, even
// when its registrations race.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sweepExpiredOAuthRecords } from '../../src/oauth/oauth-record-sweeper.ts';
import { useHarness } from '../support/harness.ts';
import { authorizedCode } from '../support/oauth-flow.ts';

const TTL_SECONDS = 3600;
const h = useHarness('oauth-registrations', {
  TRUST_PROXY: 'true',
  OAUTH_UNUSED_CLIENT_TTL_SECONDS: String(TTL_SECONDS),
  OAUTH_PENDING_CLIENTS_PER_ADDRESS: '2',
});

const newAddress = () => `10.77.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function register(address: string) {
  const res = await fetch(`${h.server.baseUrl}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({
      client_name: 'Pending Connector',
      redirect_uris: ['http://127.0.0.1:40004/cb'],
      token_endpoint_auth_method: 'none',
    }),
  });
  const json = (await res.json()) as { client_id?: string; error_description?: string };
  return { res, json };
}

const record = (id: string) =>
  h.db.oAuthRecord.findUniqueOrThrow({ where: { kind_id: { kind: 'Client', id } } });

describe('dynamically registered clients', () => {
  it('a client expires unless a person consents to it; the address is kept only as a keyed hash', async () => {
    const address = newAddress();
    const { res, json } = await register(address);
    expect(res.status).toBe(201);
    const unused = await record(json.client_id as string);
    const lifetime = (unused.expiresAt?.getTime() ?? 0) - unused.createdAt.getTime();
    expect(Math.abs(lifetime - TTL_SECONDS * 1000)).toBeLessThan(60_000);
    expect(unused.registeredBy).toMatch(/^[\w-]{43}$/);
    expect(JSON.stringify(unused)).not.toContain(address);

    const consented = await authorizedCode(h);
    expect((await record(consented.clientId)).expiresAt).toBeNull();
  });

  it('an expired unused client is unknown at once and swept', async () => {
    const { json } = await register(newAddress());
    const id = json.client_id as string;
    await h.db.oAuthRecord.update({
      where: { kind_id: { kind: 'Client', id } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await h.server.services.authorizationServer.Client.find(id)).toBeUndefined();
    await sweepExpiredOAuthRecords(h.db);
    expect(await h.db.oAuthRecord.count({ where: { kind: 'Client', id } })).toBe(0);
  });

  it('an address holds at most its cap of unused clients; a consented one frees a place', async () => {
    const address = newAddress();
    const first = await register(address);
    expect(first.res.status).toBe(201);
    expect((await register(address)).res.status).toBe(201);
    const refused = await register(address);
    expect(refused.res.status).toBe(429);
    expect(Number(refused.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json.error_description).toMatch(/unused clients/);
    expect((await register(newAddress())).res.status).toBe(201);

    await h.server.services.clientRegistrations.claim(first.json.client_id as string);
    expect((await register(address)).res.status).toBe(201);
  });

  it('racing registrations from one address never exceed the cap', async () => {
    const address = newAddress();
    const results = await Promise.all(Array.from({ length: 6 }, () => register(address)));
    const created = results.filter((r) => r.res.status === 201);
    // Registrations of one address take turns: exactly the cap gets through.
    expect(created).toHaveLength(2);
    expect(results.every((r) => r.res.status === 201 || r.res.status === 429)).toBe(true);
    const live = await h.db.oAuthRecord.count({
      where: { kind: 'Client', id: { in: results.map((r) => r.json.client_id ?? '') } },
    });
    expect(live).toBe(created.length);
  });
});
