// Hostile input on /oauth/* and the consent pages: client registration
// metadata gets the whole corpus; the authorize query, the token and
// revocation forms and the consent uid get the hostile strings. Every answer
// is a 4xx or the protocol's own answer (a redirect, an issued client),
// never a 5xx or a hang; the clients stored break no later registration or
// authorization; the audit trail holds exactly the consent and revocation made.
import { describe, expect, it } from 'vitest';
import { useHarness } from '../support/harness.ts';
import {
  HOSTILE_SEGMENTS,
  hostileBodies,
  percentEncoded,
  sendCorpus,
  type HostileBody,
} from '../support/hostile-corpus.ts';
import { authorizeUrl, registerClient } from '../support/oauth-browser.ts';
import { authorizedTokens } from '../support/oauth-flow.ts';
import { waitFor } from '../support/poll.ts';

// The corpus registers many clients from one address: room for them all.
const h = useHarness('hostileoauth', { OAUTH_REGISTRATIONS_PER_HOUR: '100000' });

const registration = {
  client_name: 'Hostile Connector',
  redirect_uris: ['http://127.0.0.1:1/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
  client_uri: 'http://127.0.0.1:1/',
  scope: 'pos:read',
};

const postJson = (path: string) => (body: string | Uint8Array, signal: AbortSignal) =>
  fetch(`${h.server.baseUrl}${path}`, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json' },
    body,
  });

const postForm = (path: string) => (body: string | Uint8Array, signal: AbortSignal) =>
  fetch(`${h.server.baseUrl}${path}`, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

const get =
  (url: (segment: string) => string) => (body: string | Uint8Array, signal: AbortSignal) =>
    fetch(url(Buffer.from(body).toString()), { signal, redirect: 'manual' });

/** A form with each field in turn set to each hostile string (raw bytes where UTF-8 has none). */
function hostileForms(form: Record<string, string>): HostileBody[] {
  const cases: HostileBody[] = [];
  const encoded = (f: Record<string, string>) =>
    Object.entries(f)
      .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
      .join('&');
  const plain = Object.fromEntries(
    Object.entries(form).map(([k, v]) => [k, encodeURIComponent(v)]),
  );
  for (const field of Object.keys(form))
    for (const segment of HOSTILE_SEGMENTS)
      cases.push({
        name: `${field}: ${segment.name}`,
        body: encoded({ ...plain, [field]: String(segment.body) }),
      });
  cases.push({ name: 'duplicate fields', body: `${encoded(plain)}&${encoded(plain)}` });
  cases.push({ name: 'a JSON body', body: JSON.stringify(form) });
  return cases;
}

describe('/oauth', () => {
  it('registration: every hostile metadata field is refused or stored safely; registration still works after', async () => {
    const answers = await sendCorpus(
      hostileBodies(registration, [
        ['client_name'],
        ['redirect_uris'],
        ['redirect_uris', 0],
        ['grant_types'],
        ['token_endpoint_auth_method'],
        ['client_uri'],
        ['scope'],
        ['software_id'],
      ]),
      postJson('/oauth/register'),
    );
    const registered = answers.filter((a) => a.status === 201);
    // Each client stored reads back (the authorize endpoint loads it), and a plain one registers.
    for (const a of registered) {
      const clientId = (a.json as { client_id: string }).client_id;
      const res = await fetch(
        authorizeUrl(h.server.baseUrl, { clientId, redirectUri: 'http://127.0.0.1:1/callback' }),
        { redirect: 'manual' },
      );
      expect(res.status, a.name).toBeLessThan(500);
    }
    expect((await registerClient(h.server.baseUrl)).status).toBe(201);
  });

  it('authorize, token, revocation and consent: every hostile value is refused; the audit trail holds what was done', async () => {
    const a = await authorizedTokens(h);
    const authorize = new URL(
      authorizeUrl(h.server.baseUrl, { clientId: a.clientId, redirectUri: a.redirectUri }),
    );
    for (const param of [
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'code_challenge',
      'resource',
    ]) {
      await sendCorpus(
        HOSTILE_SEGMENTS,
        get((segment) => {
          const url = new URL(authorize);
          url.searchParams.delete(param);
          return `${url.href}&${param}=${segment}`;
        }),
      );
    }
    await sendCorpus(
      hostileForms({
        grant_type: 'refresh_token',
        // Not the grant's own: a request holding it may use it up, as it should.
        refresh_token: 'not-a-refresh-token',
        client_id: a.clientId,
        resource: h.server.mcpUrl,
      }),
      postForm('/oauth/token'),
    );
    await sendCorpus(
      hostileForms({
        grant_type: 'authorization_code',
        code: 'not-a-code',
        redirect_uri: a.redirectUri,
        client_id: a.clientId,
        code_verifier: a.verifier,
      }),
      postForm('/oauth/token'),
    );
    await sendCorpus(
      hostileForms({ token: 'not-a-token', client_id: a.clientId }),
      postForm('/oauth/revoke'),
    );
    await sendCorpus(
      HOSTILE_SEGMENTS,
      get((segment) => `${h.server.baseUrl}/oauth-consent/${segment}`),
    );
    const audit = async (action: string) => {
      await h.server.services.core.audit.flush();
      return h.db.auditEvent.count({ where: { actorId: a.user.id, action } });
    };
    expect(await audit('oauth.consented')).toBe(1);
    // The grant survived the corpus: its refresh token still works, and a real revocation is audited.
    const refreshed = await postForm('/oauth/token')(
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: a.refreshToken,
        client_id: a.clientId,
        resource: h.server.mcpUrl,
      }).toString(),
      AbortSignal.timeout(30_000),
    );
    expect(refreshed.status).toBe(200);
    const fresh = ((await refreshed.json()) as { refresh_token: string }).refresh_token;
    const revoked = await postForm('/oauth/revoke')(
      `token=${percentEncoded(fresh)}&client_id=${percentEncoded(a.clientId)}`,
      AbortSignal.timeout(30_000),
    );
    expect(revoked.status).toBe(200);
    // The grant is revoked (and audited) as the provider's event is handled: wait for its row.
    const revokedRows = () =>
      h.db.auditEvent.count({
        where: { action: 'oauth.revoked', details: { path: ['clientId'], equals: a.clientId } },
      });
    await waitFor(async () => {
      await h.server.services.core.audit.flush();
      return (await revokedRows()) > 0;
    });
    expect(await revokedRows()).toBe(1);
  });
});
