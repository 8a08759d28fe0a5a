// The authorization code flow for connectors, on the wire: dynamic
// registration, PKCE S256, `resource` bound as the audience, RFC 9207 `iss`,
// state echoed, consent (allow, deny) and the access token on /mcp resolving
// to the person's principal in the chosen business with the consented scopes.
// On PostgreSQL and on the embedded default (PGlite) alike, and a code used
// after its lifetime is refused as expired, not as unknown.
import { describe, expect, it, vi } from 'vitest';
import { DATABASE_KINDS, useHarnessOn } from '../support/harness.ts';
import { logCapture } from '../support/log-capture.ts';
import { authorizedCode, consent, exchangeCode } from '../support/oauth-flow.ts';
import { initializeBody, mcpRequest } from '../support/raw-http.ts';
import { waitFor } from '../support/poll.ts';

describe.each(DATABASE_KINDS)('authorization code flow on %s', (kind) => {
  const log = logCapture();
  const h = useHarnessOn(kind, `oauth-code-${kind}`, {
    env: { LOG_LEVEL: 'warn' },
    logStream: log.stream,
  });

  it('DCR client, consent for one business and two scopes, code → tokens → /mcp', async () => {
    // Loopback redirect URIs match on any port (RFC 8252).
    const redirectUri = 'http://127.0.0.1:45678/cb';
    const { back, ...consented } = await consent(h, {
      redirectUri,
      state: 'state-123',
      decision: { scopes: ['pos:read', 'sessions:read'] },
    });
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('state-123');
    expect(back.searchParams.get('iss')).toBe(h.server.baseUrl);
    const code = back.searchParams.get('code') as string;
    expect(code).toBeTruthy();

    const tokens = await exchangeCode(h, { ...consented, code });
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
      authorizedBusinessIds: [consented.businessId],
      activeBusinessId: consented.businessId,
      userId: consented.user.id,
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
      await h.server.services.core.audit.flush();
      return h.db.auditEvent.findFirst({
        where: { businessId: a.businessId, action: 'oauth.token_refused' },
      });
    });
    expect(audit).toMatchObject({ outcome: 'denied', actorKind: 'oauth' });
    expect(audit.details).toMatchObject({ detail: 'authorization code is expired' });
  });
});
