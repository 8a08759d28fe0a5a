// Firebase Auth for the browser, created on first use (never during server
// rendering) and pointed at the Auth Emulator.
import { getApps, initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth, type Auth } from 'firebase/auth';

let auth: Auth | undefined;

export function firebaseAuth(): Auth {
  if (auth) return auth;
  const app =
    getApps()[0] ??
    initializeApp({
      projectId: process.env.NEXT_PUBLIC_FIREBASE_PROJECT_ID ?? 'demo-flowpos',
      apiKey: process.env.NEXT_PUBLIC_FIREBASE_API_KEY ?? 'demo',
    });
  auth = getAuth(app);
  // A hot reload re-runs this module with the same Auth instance; connecting twice throws.
  if (!auth.emulatorConfig) {
    const host = process.env.NEXT_PUBLIC_FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099';
    connectAuthEmulator(auth, `http://${host}`, { disableWarnings: true });
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
  'auth/network-request-failed': 'Cannot reach the sign-in service. Is the Auth Emulator running?',
};

export function signInErrorMessage(error: unknown): string {
  const code =
    typeof error === 'object' && error && 'code' in error
      ? String((error as { code: unknown }).code)
      : '';
  return SIGN_IN_ERRORS[code] ?? 'Sign-in failed. Try again.';
}
