// The authorization code flow for connectors, on the wire: dynamic
// registration, PKCE S256, `resource` bound as the audience, RFC 9207 `iss`,
// state echoed, consent (allow, deny) and the access token on /mcp resolving
// to the person's principal in the chosen business with the consented scopes.
// On PostgreSQL and on the embedded default (PGlite) alike, and a code used
// after its lifetime is refused as expired, not as unknown.
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createBusiness, createUser } from '../support/fixtures.ts';
import { DATABASE_KINDS, useHarnessOn } from '../support/harness.ts';
import { initializeBody, mcpRequest } from '../support/raw-http.ts';
import {
  authorizeInBrowser,
  authorizeUrl,
  Browser,
  pkce,
  registerClient,
  tokenRequest,
} from '../support/oauth-browser.ts';

import { authorizedCode, exchangeCode } from '../support/oauth-flow.ts';
import { waitFor } from '../support/poll.ts';

const CONSOLE = 'http://127.0.0.1:3000';

/** The server's log lines, as written. */
function logCapture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe.each(DATABASE_KINDS)('authorization code flow on %s', (kind) => {
  const log = logCapture();
  const h = useHarnessOn(kind, `oauth-code-${kind}`, {
    env: { LOG_LEVEL: 'warn' },
    logStream: log.stream,
  });

  it('DCR client, consent for one business and two scopes, code → tokens → /mcp', async () => {
    const { business } = await createBusiness(h.db);
    const user = await createUser(h.db, {
      memberships: [{ businessId: business.id, role: 'merchant' }],
    });
    const reg = await registerClient(h.server.baseUrl, {
      redirect_uris: ['http://127.0.0.1:1/callback'],
    });
    expect(reg.status).toBe(201);
    const clientId = reg.json.client_id as string;
    const { verifier, challenge } = pkce();
    // Loopback redirect URIs match on any port (RFC 8252).
    const redirectUri = 'http://127.0.0.1:45678/callback';
    const url = authorizeUrl(h.server.baseUrl, {
      clientId,
      redirectUri,
      challenge,
      state: 'state-123',
    });
    const back = await authorizeInBrowser(
      h.server.baseUrl,
      CONSOLE,
      new Browser(),
      url,
      await user.idToken(),
      { allow: true, businessId: business.id, scopes: ['pos:read', 'sessions:read'] },
    );
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.searchParams.get('iss')).toBe(h.server.baseUrl);
    const code = back.searchParams.get('code') as string;
    expect(code).toBeTruthy();

    const tokens = await tokenRequest(h.server.baseUrl, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      resource: h.server.mcpUrl,
    });
    expect(tokens.status, JSON.stringify(tokens.json)).toBe(200);
    expect(tokens.json).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    expect(tokens.json.refresh_token).toEqual(expect.any(String));
    expect((tokens.json.scope as string).split(' ').sort()).toEqual(['pos:read', 'sessions:read']);

    const init = await mcpRequest(h.server.mcpUrl, {
      body: initializeBody(),
      bearer: tokens.json.access_token as string,
    });
    expect(init.status).toBe(200);
    const sessionId = init.headers.get('mcp-session-id') as string;
    const record = await h.server.services.store.get(sessionId);
    expect(record?.principal).toMatchObject({
      kind: 'oauth',
      role: 'merchant',
      scopes: ['pos:read', 'sessions:read'],
      authorizedBusinessIds: [business.id],
      activeBusinessId: business.id,
      userId: user.id,
    });
    expect(record?.credential).toMatch(/^grant:/);
  });

  it('a code exchanged after its 60 s lifetime: invalid_grant, logged and audited as expired', async () => {
    const a = await authorizedCode(h);
    // The clock the server reads (Date) moves on 61 s; timers stay real.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    let res;
    try {
      vi.setSystemTime(Date.now() + 61_000);
      res = await exchangeCode(h, a);
    } finally {
      vi.useRealTimers();
    }
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_grant');

    const line = await waitFor(() =>
      log.lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'oauth token request refused' && l.clientId === a.clientId),
    );
    expect(line).toMatchObject({
      error: 'invalid_grant',
      detail: 'authorization code is expired',
      grantType: 'authorization_code',
    });
    expect(JSON.stringify(log.lines)).not.toContain(a.code);
    const audit = await waitFor(async () => {
      await h.server.services.audit.flush();
      return h.db.auditEvent.findFirst({
        where: { businessId: a.businessId, action: 'oauth.token_refused' },
      });
    });
    expect(audit).toMatchObject({ outcome: 'denied', actorKind: 'oauth' });
    expect(audit.details).toMatchObject({ detail: 'authorization code is expired' });
  });
});
