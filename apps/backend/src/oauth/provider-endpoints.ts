// Which authorization-server endpoint a request reaches, decided on the path
// exactly as the provider receives it (below the /oauth mount). oidc-provider
// matches paths case-insensitively and with or without a trailing slash; here
// only the canonical spelling of each route is recognised, and the mount
// forwards nothing else. So the endpoint a request is throttled as is the
// route the provider runs: no other spelling reaches the provider at all.
import { OAUTH_ROUTES } from './authorization-server.ts';

/**
 * What a request costs: `authorization` starts an interaction (and later a
 * consent row); `resume` continues one; `registration` creates a client;
 * `server` is every endpoint a client's server calls (token, revocation,
 * keys, metadata, client read).
 */
export type ProviderEndpoint = 'authorization' | 'resume' | 'registration' | 'server';

const EXACT = new Map<string, ProviderEndpoint>([
  [OAUTH_ROUTES.authorization, 'authorization'],
  [OAUTH_ROUTES.registration, 'registration'],
  [OAUTH_ROUTES.token, 'server'],
  [OAUTH_ROUTES.revocation, 'server'],
  [OAUTH_ROUTES.jwks, 'server'],
  ['/.well-known/oauth-authorization-server', 'server'],
  ['/.well-known/openid-configuration', 'server'],
]);

/** `/<route>/<id>`: the provider's two parameterised routes (resume, client read). */
const WITH_ID = new Map<string, ProviderEndpoint>([
  [OAUTH_ROUTES.authorization, 'resume'],
  [OAUTH_ROUTES.registration, 'server'],
]);
const ID = /^[A-Za-z0-9_-]{1,200}$/;

/** `url` as the provider sees it (mount prefix removed, query kept); null when it names no route. */
export function providerEndpoint(url: string): ProviderEndpoint | null {
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const exact = EXACT.get(path);
  if (exact) return exact;
  const slash = path.lastIndexOf('/');
  if (slash <= 0) return null;
  const withId = WITH_ID.get(path.slice(0, slash));
  return withId && ID.test(path.slice(slash + 1)) ? withId : null;
}
