// An OAuth client and the person's browser, on the wire: PKCE, dynamic
// registration, the authorization request, the consent decision through the
// console's tRPC API (as the console page makes it, with a Firebase ID token
// from the emulator), and the browser's redirects with its cookies. Each step
// is separate so tests can break any one of them.
import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'vitest';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Cookies by name, each with the path it was set for (enough for one origin). */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const path =
        attrs
          .map((a) => a.trim())
          .find((a) => a.toLowerCase().startsWith('path='))
          ?.slice(5) ?? '/';
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, { value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies]
      .filter(([, c]) => pathname.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }
}

export class Browser {
  readonly jar = new CookieJar();

  /** One GET without following redirects. */
  async get(url: string): Promise<Response> {
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: this.jar.header(url) } });
    this.jar.store(res);
    return res;
  }

  /** Follows redirects while they stay on `origin`; returns the first response that leaves it or is final. */
  async follow(url: string, origin: string): Promise<{ res: Response; url: string }> {
    let current = url;
    for (let hops = 0; hops < 10; hops++) {
      const res = await this.get(current);
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
      current = new URL(location, current).href;
      if (new URL(current).origin !== origin) return { res, url: current };
    }
    throw new Error('too many redirects');
  }
}

export async function registerClient(
  baseUrl: string,
  metadata: Record<string, unknown> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Test Connector',
      redirect_uris: ['http://127.0.0.1:1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      ...metadata,
    }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  resource?: string | null;
  scope?: string;
  state?: string;
  challenge?: string | null;
}

export function authorizeUrl(baseUrl: string, p: AuthorizeParams): string {
  const url = new URL(`${baseUrl}/oauth/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', p.clientId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('scope', p.scope ?? 'pos:read pos:intents sessions:read');
  url.searchParams.set('state', p.state ?? 'st-' + randomBytes(4).toString('hex'));
  if (p.challenge !== null) {
    url.searchParams.set('code_challenge', p.challenge ?? pkce().challenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  if (p.resource !== null) url.searchParams.set('resource', p.resource ?? `${baseUrl}/mcp`);
  return url.href;
}

/** A tRPC call the way the console makes it (superjson envelope, Firebase ID token). */
export async function trpc<T>(
  baseUrl: string,
  idToken: string,
  path: string,
  input: unknown,
  kind: 'query' | 'mutation',
): Promise<{ status: number; data: T; message?: string }> {
  const headers = { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' };
  const res =
    kind === 'query'
      ? await fetch(
          `${baseUrl}/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
          { headers },
        )
      : await fetch(`${baseUrl}/trpc/${path}`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ json: input }),
        });
  const body = (await res.json()) as {
    result?: { data: { json: T } };
    error?: { json: { message: string } };
  };
  return {
    status: res.status,
    data: body.result?.data.json as T,
    ...(body.error ? { message: body.error.json.message } : {}),
  };
}

export interface Decision {
  allow: boolean;
  businessId?: string;
  scopes?: string[];
  /** The tools left ticked (the grant's tool policy); absent: all. */
  tools?: string[];
}

/**
 * The browser follows the authorization request `url` to the console's
 * consent page; returns the interaction's uid (the browser holds its cookie).
 */
export async function toConsentPage(
  baseUrl: string,
  consoleUrl: string,
  browser: Browser,
  url: string,
): Promise<string> {
  const toConsole = await browser.follow(url, baseUrl);
  expect(toConsole.url.startsWith(`${consoleUrl}/oauth/consent?uid=`)).toBe(true);
  return new URL(toConsole.url).searchParams.get('uid') as string;
}

/**
 * The whole browser leg: authorization endpoint → console consent page (not
 * rendered: its API is called as the page does) → back to the backend →
 * the client's redirect URI. Returns the redirect the client receives.
 */
export async function authorizeInBrowser(
  baseUrl: string,
  consoleUrl: string,
  browser: Browser,
  url: string,
  idToken: string,
  decision: Decision,
): Promise<URL> {
  const uid = await toConsentPage(baseUrl, consoleUrl, browser, url);
  const decided = await trpc<{ redirectTo: string }>(
    baseUrl,
    idToken,
    'oauth.decide',
    { uid, ...decision },
    'mutation',
  );
  expect(decided.status, decided.message).toBe(200);
  const back = await browser.follow(decided.data.redirectTo, baseUrl);
  return new URL(back.url);
}

export async function tokenRequest(
  baseUrl: string,
  form: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
