// A refresh token request naming a resource other than the MCP URL is refused
// before the refresh token is rotated. oidc-provider resolves `resource` only
// after it has consumed the old token, so without this a mistaken refresh
// would answer invalid_target with the token already spent, and the client's
// next, correct refresh would look like reuse and revoke the whole grant.
// The check runs from `rotateRefreshToken`, the provider's last call before
// it consumes the token (and after its reuse detection).
import { errors, type KoaContextWithOIDC } from 'oidc-provider';

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
