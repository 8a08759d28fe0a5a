// Verifies Firebase ID tokens with firebase-admin. In development and tests
// FIREBASE_AUTH_EMULATOR_HOST points firebase-admin at the Auth Emulator.
import { unauthorized } from '../errors.ts';
import { firebaseAuth } from './firebase-app.ts';

export interface FirebaseIdentity {
  uid: string;
  email: string | undefined;
  /** Only a verified address may link this identity to an existing user by e-mail. */
  emailVerified: boolean;
  /** When the person signed in to Firebase (seconds since the epoch). */
  authTime?: number;
}

export interface VerifyOptions {
  /** Also ask Firebase whether the account is disabled, deleted or signed out (one more round trip). */
  checkRevoked?: boolean;
}

export interface IdTokenVerifier {
  verify(idToken: string, options?: VerifyOptions): Promise<FirebaseIdentity>;
}

const REFUSED: Record<string, string> = {
  'auth/user-disabled': 'This Firebase account is disabled',
  'auth/user-not-found': 'This Firebase account no longer exists',
  'auth/id-token-revoked': 'This Firebase sign-in was revoked: sign in again',
};

export function createFirebaseVerifier(projectId: string): IdTokenVerifier {
  const auth = firebaseAuth(projectId);
  return {
    async verify(idToken: string, options: VerifyOptions = {}) {
      if (typeof idToken !== 'string' || idToken.length === 0 || idToken.length > 8192) {
        throw unauthorized('Invalid or expired Firebase ID token');
      }
      try {
        const decoded = await auth.verifyIdToken(idToken, options.checkRevoked ?? false);
        return {
          uid: decoded.uid,
          email: decoded.email,
          emailVerified: decoded.email_verified === true,
          authTime: decoded.auth_time,
        };
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        throw unauthorized(REFUSED[code] ?? 'Invalid or expired Firebase ID token');
      }
    },
  };
}
