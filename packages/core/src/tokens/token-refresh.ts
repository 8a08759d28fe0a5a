// The rules of POST /mcp/token/refresh: which MCP access token may be renewed.
// The signature and the grace after expiry (REFRESH_GRACE_SECONDS) are the
// signer's (McpTokenSigner.verifyForRefresh); what is decided here is whether
// the chain the token belongs to may go on: not older than its age limit
// (MCP_TOKEN_REFRESH_MAX_AGE_SECONDS, counted from the original Firebase
// sign-in, which every refresh carries unchanged), not cut by "sign out
// everywhere" (the user's token generation), and not belonging to a Firebase
// account since disabled, deleted or signed out. Pure: the backend reads the
// facts and throws what these answer.
import { forbidden, unauthorized, type AppError } from '../errors.ts';
import type { FirebaseAccountState } from '../auth/firebase-accounts.ts';
import type { McpTokenClaims } from '../auth/mcp-token.ts';

export type RefreshClaims = Pick<McpTokenClaims, 'authTime' | 'generation'>;

const SIGN_IN_AGAIN = 'exchange a new Firebase ID token';

/** Whether the chain is past its age limit at `nowMs`. */
export function refreshChainExpired(
  claims: Pick<RefreshClaims, 'authTime'>,
  nowMs: number,
  maxAgeSeconds: number,
): boolean {
  return nowMs / 1000 - claims.authTime > maxAgeSeconds;
}

/** 401 when the chain is past its age limit; null when it may go on. */
export function refreshAgeRefusal(
  claims: Pick<RefreshClaims, 'authTime'>,
  nowMs: number,
  maxAgeSeconds: number,
): AppError | null {
  return refreshChainExpired(claims, nowMs, maxAgeSeconds)
    ? unauthorized(`Sign-in too old: ${SIGN_IN_AGAIN}`)
    : null;
}

/** 403 for a user who no longer exists; 401 after a "sign out everywhere"; null otherwise. */
export function refreshUserRefusal(
  claims: Pick<RefreshClaims, 'generation'>,
  user: { tokenGeneration: number } | null,
): AppError | null {
  if (!user) return forbidden('This account has no access to FlowPOS');
  if (user.tokenGeneration !== claims.generation)
    return unauthorized(`Signed out: ${SIGN_IN_AGAIN}`);
  return null;
}

/** 401 when Firebase says the account is disabled, deleted or signed out since the chain's sign-in. */
export function refreshAccountRefusal(
  claims: Pick<RefreshClaims, 'authTime'>,
  account: FirebaseAccountState,
): AppError | null {
  if (account.status === 'disabled') return unauthorized('This Firebase account is disabled');
  if (account.status === 'deleted') return unauthorized('This Firebase account no longer exists');
  if (account.tokensValidAfterSeconds !== null && claims.authTime < account.tokensValidAfterSeconds)
    return unauthorized(`Signed out: ${SIGN_IN_AGAIN}`);
  return null;
}
