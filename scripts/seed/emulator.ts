// The seed's only Firebase: the Auth Emulator, never a real project.
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { DEMO_PASSWORD } from './users.ts';

export const FIREBASE_PROJECT_ID = 'demo-flowpos';
export const DEFAULT_EMULATOR_HOST = '127.0.0.1:9099';

export class SeedError extends Error {}

export function emulatorHost(): string {
  return process.env.FIREBASE_AUTH_EMULATOR_HOST || DEFAULT_EMULATOR_HOST;
}

/** Throws a SeedError with a one-line message when the emulator does not answer. */
export async function assertEmulatorReachable(host = emulatorHost()): Promise<void> {
  try {
    await fetch(`http://${host}/`, { signal: AbortSignal.timeout(3000) });
  } catch {
    throw new SeedError(
      `Firebase Auth Emulator is not reachable at ${host}: start it (npm start does, or ` +
        `npx firebase emulators:start --only auth --project ${FIREBASE_PROJECT_ID}) or set FIREBASE_AUTH_EMULATOR_HOST`,
    );
  }
}

function seedFirebaseApp(): App {
  // The seed only ever talks to the emulator: never to a real Firebase project.
  process.env.FIREBASE_AUTH_EMULATOR_HOST = emulatorHost();
  const name = 'flowpos-seed';
  return (
    getApps().find((a) => a.name === name) ??
    initializeApp({ projectId: FIREBASE_PROJECT_ID }, name)
  );
}

/** Finds or creates the user in the Auth Emulator; returns its uid. */
export async function emulatorFirebaseUid(user: {
  email: string;
  displayName: string;
}): Promise<string> {
  const auth = getAuth(seedFirebaseApp());
  try {
    return (await auth.getUserByEmail(user.email)).uid;
  } catch (error) {
    if ((error as { code?: string }).code !== 'auth/user-not-found') throw error;
  }
  const created = await auth.createUser({
    email: user.email,
    password: DEMO_PASSWORD,
    displayName: user.displayName,
    emailVerified: true,
  });
  return created.uid;
}
