// A refresh token request, or a code exchange, naming a resource other than
// the MCP URL is refused before the refresh token is rotated (the code spent). oidc-provider resolves `resource` only
// after it has consumed the old token, so without this a mistaken refresh
// would answer invalid_target with the token already spent, and the client's
// next, correct refresh would look like reuse and revoke the whole grant.
// The check runs from `rotateRefreshToken`, the provider's last call before
// it consumes the token (and after its reuse detection). A code has no such
// hook: the check runs as the code's `consume` starts (after the provider's
// replay detection), on the request the provider is serving (`Provider.ctx`).
import Provider, { errors, type KoaContextWithOIDC } from 'oidc-provider';

export function rotateAfterResourceCheck(resource: string) {
  return (ctx: KoaContextWithOIDC): boolean => {
    const asked = (ctx.oidc.params as { resource?: unknown } | undefined)?.resource;
    if (Array.isArray(asked)) {
      throw new errors.InvalidTarget('only one resource indicator may be requested');
    }
    if (asked !== undefined && asked !== resource) {
      throw new errors.InvalidTarget(`unknown resource: ${String(asked)}`);
    }
    return true;
  };
}

/** The same check before an authorization code is spent: a mistaken exchange leaves the code good. */
export function consumeCodeAfterResourceCheck(provider: Provider, resource: string): void {
  const check = rotateAfterResourceCheck(resource);
  const code = provider.AuthorizationCode.prototype;
  const consume = code.consume;
  code.consume = function consumeChecked(this: typeof code) {
    const ctx = Provider.ctx;
    if (ctx?.oidc?.route === 'token') check(ctx);
    return consume.call(this);
  };
}
