// A complete authorization for tests that start from a code or tokens: a
// registered client, a merchant of a fresh business, consent given or refused,
// the code, the tokens.
import { expect } from 'vitest';
import { createBusiness, createUser, type TestUser } from './fixtures.ts';
import type { ServerHarness } from './harness.ts';
import {
  authorizeInBrowser,
  authorizeUrl,
  Browser,
  pkce,
  registerClient,
  toConsentPage,
  tokenRequest,
  type Decision,
} from './oauth-browser.ts';

export const TEST_CONSOLE_URL = 'http://127.0.0.1:3000';

/** A merchant's trip through consent: who, for which client, and where it ended. */
export interface Consented {
  clientId: string;
  verifier: string;
  redirectUri: string;
  user: TestUser;
  businessId: string;
  /** The redirect the client receives (a code, or an error), with `state` and `iss`. */
  back: URL;
}

export interface Authorized extends Omit<Consented, 'back'> {
  code: string;
}

export interface ConsentOptions {
  scope?: string;
  state?: string;
  /**
   * The redirect URI of the authorization request; the client registers
   * http://127.0.0.1:40001/cb, and a loopback URI matches on any port.
   */
  redirectUri?: string;
  /** Allowed for the fresh business unless it says otherwise. */
  decision?: Partial<Decision>;
}

/** A registered client, a merchant of a fresh business, and the consent page answered. */
export async function consent(h: ServerHarness, options: ConsentOptions = {}): Promise<Consented> {
  const { business } = await createBusiness(h.db);
  const user = await createUser(h.db, {
    memberships: [{ businessId: business.id, role: 'merchant' }],
  });
  const redirectUri = options.redirectUri ?? 'http://127.0.0.1:40001/cb';
  const reg = await registerClient(h.server.baseUrl, {
    redirect_uris: ['http://127.0.0.1:40001/cb'],
  });
  expect(reg.status).toBe(201);
  const clientId = reg.json.client_id as string;
  const { verifier, challenge } = pkce();
  const back = await authorizeInBrowser(
    h.server.baseUrl,
    TEST_CONSOLE_URL,
    new Browser(),
    authorizeUrl(h.server.baseUrl, {
      clientId,
      redirectUri,
      challenge,
      ...(options.scope ? { scope: options.scope } : {}),
      ...(options.state ? { state: options.state } : {}),
    }),
    await user.idToken(),
    { allow: true, businessId: business.id, ...options.decision },
  );
  return { clientId, verifier, redirectUri, user, businessId: business.id, back };
}

/** Consent given: the code the client receives. */
export async function authorizedCode(
  h: ServerHarness,
  options: ConsentOptions = {},
): Promise<Authorized> {
  const { back, ...consented } = await consent(h, options);
  const code = back.searchParams.get('code');
  expect(code, back.href).toBeTruthy();
  return { ...consented, code: code as string };
}

/**
 * A newly registered client's authorization request, followed by `browser` to
 * the consent page and left there: the interaction's uid, for a test to
 * answer (or not) as it likes.
 */
export async function pendingConsent(h: ServerHarness, browser: Browser): Promise<string> {
  const reg = await registerClient(h.server.baseUrl);
  return toConsentPage(
    h.server.baseUrl,
    TEST_CONSOLE_URL,
    browser,
    authorizeUrl(h.server.baseUrl, {
      clientId: reg.json.client_id as string,
      redirectUri: 'http://127.0.0.1:1/callback',
    }),
  );
}

export function exchangeCode(
  h: ServerHarness,
  a: Authorized,
  overrides: Record<string, string> = {},
) {
  return tokenRequest(h.server.baseUrl, {
    grant_type: 'authorization_code',
    code: a.code,
    redirect_uri: a.redirectUri,
    client_id: a.clientId,
    code_verifier: a.verifier,
    resource: h.server.mcpUrl,
    ...overrides,
  });
}

export function refresh(
  h: ServerHarness,
  clientId: string,
  refreshToken: string,
  overrides: Record<string, string> = {},
) {
  return tokenRequest(h.server.baseUrl, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientId,
    resource: h.server.mcpUrl,
    ...overrides,
  });
}

/** Tokens for a fresh authorization. */
export async function authorizedTokens(
  h: ServerHarness,
  options: Parameters<typeof authorizedCode>[1] = {},
) {
  const a = await authorizedCode(h, options);
  const tokens = await exchangeCode(h, a);
  expect(tokens.status, JSON.stringify(tokens.json)).toBe(200);
  return {
    ...a,
    accessToken: tokens.json.access_token as string,
    refreshToken: tokens.json.refresh_token as string,
  };
}
