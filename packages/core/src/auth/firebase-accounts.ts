// What Firebase says about an account now: disabled, deleted, or signed out
// since a given sign-in. Read at token refresh; "sign out everywhere" also
// revokes the account's Firebase refresh tokens.
import { firebaseAuth } from './firebase-app.ts';

export type FirebaseAccountState =
  | { status: 'active'; tokensValidAfterSeconds: number | null }
  | { status: 'disabled' }
  | { status: 'deleted' };

export interface FirebaseAccounts {
  state(uid: string): Promise<FirebaseAccountState>;
  /** Ends every Firebase sign-in of the account (no-op when it no longer exists). */
  revokeSessions(uid: string): Promise<void>;
}

const isNotFound = (error: unknown) => (error as { code?: string }).code === 'auth/user-not-found';

export function createFirebaseAccounts(projectId: string): FirebaseAccounts {
  const auth = firebaseAuth(projectId);
  return {
    async state(uid) {
      try {
        const user = await auth.getUser(uid);
        if (user.disabled) return { status: 'disabled' };
        const after = user.tokensValidAfterTime ? Date.parse(user.tokensValidAfterTime) : NaN;
        return {
          status: 'active',
          tokensValidAfterSeconds: Number.isFinite(after) ? Math.floor(after / 1000) : null,
        };
      } catch (error) {
        if (isNotFound(error)) return { status: 'deleted' };
        throw error;
      }
    },
    async revokeSessions(uid) {
      try {
        await auth.revokeRefreshTokens(uid);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}
