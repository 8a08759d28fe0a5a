// Cutting a sessionless (2026-07-28) client off: it has no session to end, so
// its credential goes: the API key is revoked, or the OAuth grant. The usual
// revocation rules apply (who may revoke that key or grant); its next request
// is refused with 401 on every instance.
import type { Actor } from '../access/actor.ts';
import { parseCredentialId } from '../credential-ids.ts';
import { badRequest } from '../errors.ts';
import { revokeApiKey, type KeyServiceDeps } from '../keys/api-key-service.ts';
import { revokeConnectedApp, type GrantDeps } from '../oauth/grants.ts';

export async function cutOffClient(
  deps: KeyServiceDeps & GrantDeps,
  actor: Actor,
  credential: string,
): Promise<{ revoked: 'api_key' | 'oauth_grant' }> {
  const ref = parseCredentialId(credential);
  if (ref?.kind === 'key') await revokeApiKey(deps, actor, ref.id);
  else if (ref?.kind === 'grant') await revokeConnectedApp(deps, actor, ref.id);
  else {
    throw badRequest(
      'Only an API key or an OAuth grant can be cut off; a person signed in with a token is signed out from their account',
    );
  }
  await deps.sessions.store.deleteClient(credential);
  return { revoked: ref.kind === 'key' ? 'api_key' : 'oauth_grant' };
}
