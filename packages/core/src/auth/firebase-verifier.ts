// Verifies Firebase ID tokens with firebase-admin. In development and tests
// FIREBASE_AUTH_EMULATOR_HOST points firebase-admin at the Auth Emulator.
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { unauthorized } from '../errors.ts';

export interface FirebaseIdentity {
  uid: string;
  email: string | undefined;
}

export interface IdTokenVerifier {
  verify(idToken: string): Promise<FirebaseIdentity>;
}

export function createFirebaseVerifier(projectId: string): IdTokenVerifier {
  const name = `flowpos-${projectId}`;
  const app: App = getApps().find((a) => a.name === name) ?? initializeApp({ projectId }, name);
  const auth = getAuth(app);
  return {
    async verify(idToken: string) {
      if (typeof idToken !== 'string' || idToken.length === 0 || idToken.length > 8192) {
        throw unauthorized('Invalid or expired Firebase ID token');
      }
      try {
        const decoded = await auth.verifyIdToken(idToken);
        return { uid: decoded.uid, email: decoded.email };
      } catch {
        throw unauthorized('Invalid or expired Firebase ID token');
      }
    },
  };
}
