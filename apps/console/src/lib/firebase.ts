// Firebase Auth for the browser, created on first use (never during server
// rendering) from the configuration the server read at request time
// (runtime-config.ts): a real Firebase project, or the Auth Emulator.
import { getApps, initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';
import type { FirebaseWebConfig } from './runtime-config';

let auth: Auth | undefined;
let config: FirebaseWebConfig | undefined;

/** Called once by the root providers with the server's configuration. */
export function configureFirebase(next: FirebaseWebConfig): void {
  config ??= next;
}

export function firebaseAuth(): Auth {
  if (auth) return auth;
  if (!config) throw new Error('Firebase is used before configureFirebase()');
  const { emulatorHost, ...options } = config;
  const app = getApps()[0] ?? initializeApp(options);
  auth = getAuth(app);
  // A hot reload re-runs this module with the same Auth instance; connecting twice throws.
  if (emulatorHost && !auth.emulatorConfig) {
    connectAuthEmulator(auth, `http://${emulatorHost}`, { disableWarnings: true });
  }
  return auth;
}

/** The signed-in user's ID token (the SDK refreshes it when it has expired), or null. */
export async function currentIdToken(): Promise<string | null> {
  const user = firebaseAuth().currentUser;
  return user ? user.getIdToken() : null;
}

const SIGN_IN_ERRORS: Record<string, string> = {
  'auth/invalid-credential': 'Wrong email or password.',
  'auth/invalid-login-credentials': 'Wrong email or password.',
  'auth/wrong-password': 'Wrong email or password.',
  'auth/user-not-found': 'Wrong email or password.',
  'auth/invalid-email': 'Enter a valid email address.',
  'auth/user-disabled': 'This account has been disabled.',
  'auth/too-many-requests': 'Too many attempts. Wait a moment and try again.',
  'auth/network-request-failed':
    'Cannot reach the sign-in service. Check your connection and try again.',
};

export function signInErrorMessage(error: unknown): string {
  const code =
    typeof error === 'object' && error && 'code' in error
      ? String((error as { code: unknown }).code)
      : '';
  return SIGN_IN_ERRORS[code] ?? 'Sign-in failed. Try again.';
}
