// Hostile input on /mcp/token and /mcp/token/refresh: the body fields get the
// whole corpus, and so do the claims inside the tokens (an emulator ID token
// rewritten, a refresh token signed with the server's own key). Every answer
// is a 4xx (or the exchange itself), never a 5xx or a hang, and the audit
// trail holds exactly the exchanges and refreshes that succeeded.
import { beforeAll, describe, expect, it } from 'vitest';
import { createBusiness, createUser, type TestUser } from '../support/fixtures.ts';
import { signerLike, useHarness } from '../support/harness.ts';
import { exchangeToken } from '../support/raw-http.ts';
import {
  HOSTILE_STRINGS,
  hostileBodies,
  sendCorpus,
  type HostileBody,
} from '../support/hostile-corpus.ts';

const h = useHarness('hostiletoken');
let user: TestUser;

beforeAll(async () => {
  const { business } = await createBusiness(h.db, undefined, 0);
  user = await createUser(h.db, {
    memberships: [{ businessId: business.id, role: 'merchant' }],
    label: 'hostile-token',
  });
});

const post = (path: string) => (body: string | Uint8Array, signal: AbortSignal) =>
  fetch(`${h.server.baseUrl}${path}`, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json' },
    body,
  });

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The emulator's (unsigned) ID token with one claim replaced. */
function rewrittenIdToken(idToken: string, claim: string, value: unknown): string {
  const [header, payload] = idToken.split('.') as [string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
    string,
    unknown
  >;
  claims[claim] = value;
  return `${header}.${b64url(claims)}.`;
}

async function auditCount(action: string) {
  await h.server.services.core.audit.flush();
  return h.db.auditEvent.count({ where: { actorId: user.id, action } });
}

describe('/mcp/token*', () => {
  it('exchange: hostile bodies and hostile ID token claims are refused; only real exchanges are audited', async () => {
    const idToken = await user.idToken();
    const claimCases: HostileBody[] = [];
    for (const claim of ['sub', 'user_id', 'email', 'iss', 'aud'])
      for (const [name, value] of [...HOSTILE_STRINGS, ['number', 1] as [string, unknown]])
        claimCases.push({
          name: `claim ${claim}: ${name}`,
          body: JSON.stringify({ firebaseIdToken: rewrittenIdToken(idToken, claim, value) }),
        });
    const answers = await sendCorpus(
      [...hostileBodies({ firebaseIdToken: idToken }, [['firebaseIdToken']]), ...claimCases],
      post('/mcp/token'),
    );
    const exchanged = answers.filter((a) => a.status === 200).length;
    for (const a of answers) expect(a.status, a.name).toBeLessThan(500);
    const after = await exchangeToken(h.server.baseUrl, idToken);
    expect(after.status).toBe(200);
    expect(await auditCount('mcp.token_exchanged')).toBe(exchanged + 1);
  });

  it('refresh: hostile bodies and hostile claims in a server-signed token are refused; only real refreshes are audited', async () => {
    const signer = signerLike(h.server.services);
    const valid = (
      await signer.sign({ sub: user.id, email: user.email, role: 'merchant', businessIds: [] })
    ).token;
    const claimCases: HostileBody[] = [];
    for (const [name, value] of HOSTILE_STRINGS) {
      for (const claims of [
        { sub: value, email: user.email, role: 'merchant', businessIds: [] },
        { sub: user.id, email: value, role: 'merchant', businessIds: [value] },
      ]) {
        const token = await signer
          .sign(claims as Parameters<typeof signer.sign>[0])
          .then((t) => t.token)
          .catch(() => null);
        if (token)
          claimCases.push({ name: `signed claims: ${name}`, body: JSON.stringify({ token }) });
      }
    }
    const answers = await sendCorpus(
      [...hostileBodies({ token: valid }, [['token']]), ...claimCases],
      post('/mcp/token/refresh'),
    );
    for (const a of answers) expect(a.status, a.name).toBeLessThan(500);
    const refreshed = answers.filter((a) => a.status === 200).length;
    const after = await post('/mcp/token/refresh')(
      JSON.stringify({ token: valid }),
      AbortSignal.timeout(30_000),
    );
    expect(after.status).toBe(200);
    expect(await auditCount('mcp.token_refreshed')).toBe(refreshed + 1);
  });
});
