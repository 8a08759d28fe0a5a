// An OAuth grant for the soak's load, on the wire as a connector and a
// person's browser would make it: dynamic registration, PKCE, the
// authorization request, the consent decision through the console's tRPC API
// (with the person's Firebase ID token), the code exchanged for tokens.
// (The tests' own helpers do the same step by step, with assertions.)
import { createHash, randomBytes } from 'node:crypto';

/** Cookies of one origin, enough for the authorization server's interaction. */
class Browser {
  private readonly cookies = new Map<string, string>();

  async get(url: string): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: { cookie } });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows redirects while they stay on `origin`; returns the first URL that leaves it. */
  async follow(url: string, origin: string): Promise<string> {
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      const res = await this.get(current);
      await res.arrayBuffer();
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return current;
      current = new URL(location, current).href;
      if (new URL(current).origin !== origin) return current;
    }
    throw new Error('OAuth: too many redirects');
  }
}

export async function oauthAccessToken(
  baseUrl: string,
  idToken: string,
  businessId: string,
): Promise<string> {
  const redirectUri = 'http://127.0.0.1:40001/cb';
  const reg = await fetch(`${baseUrl}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Soak Connector',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  if (reg.status !== 201) throw new Error(`OAuth registration: ${reg.status} ${await reg.text()}`);
  const clientId = ((await reg.json()) as { client_id: string }).client_id;
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(`${baseUrl}/oauth/authorize`);
  for (const [k, v] of Object.entries({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'pos:read pos:intents sessions:read',
    state: randomBytes(4).toString('hex'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    resource: `${baseUrl}/mcp`,
  }))
    authorize.searchParams.set(k, v);
  const browser = new Browser();
  const consent = await browser.follow(authorize.href, baseUrl);
  const uid = new URL(consent).searchParams.get('uid');
  if (!uid) throw new Error(`OAuth: no consent page (${consent})`);
  const decided = await fetch(`${baseUrl}/trpc/oauth.decide`, {
    method: 'POST',
    headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ json: { uid, allow: true, businessId } }),
  });
  const body = (await decided.json()) as { result?: { data: { json: { redirectTo: string } } } };
  const redirectTo = body.result?.data.json.redirectTo;
  if (!decided.ok || !redirectTo) throw new Error(`OAuth consent: ${decided.status}`);
  const back = new URL(await browser.follow(redirectTo, baseUrl));
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`OAuth: no code (${back.href})`);
  const token = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
      resource: `${baseUrl}/mcp`,
    }),
  });
  const json = (await token.json()) as { access_token?: string };
  if (!token.ok || !json.access_token) throw new Error(`OAuth token: ${token.status}`);
  return json.access_token;
}
