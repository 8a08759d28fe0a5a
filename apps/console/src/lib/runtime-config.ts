// The console's deployment settings, read from the server's environment when a
// request arrives, so one build runs against any backend and Firebase project:
//   BACKEND_URL                  where /trpc is forwarded (default http://127.0.0.1:4000)
//   FIREBASE_PROJECT_ID, FIREBASE_API_KEY, FIREBASE_AUTH_DOMAIN   the Firebase web app
//   FIREBASE_AUTH_EMULATOR_HOST  the Auth Emulator; defaults to 127.0.0.1:9099
//                                only outside production builds
// (the NEXT_PUBLIC_ spellings of the Firebase names are accepted too).

export interface FirebaseWebConfig {
  projectId: string;
  apiKey: string;
  authDomain?: string;
  /** host:port of the Auth Emulator, or absent for the real Firebase Auth. */
  emulatorHost?: string;
}

const env = (name: string): string | undefined =>
  process.env[name] || process.env[`NEXT_PUBLIC_${name}`] || undefined;

export function backendUrl(): string {
  return (process.env.BACKEND_URL ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
}

export function firebaseWebConfig(): FirebaseWebConfig {
  const production = process.env.NODE_ENV === 'production';
  const emulatorHost =
    env('FIREBASE_AUTH_EMULATOR_HOST') ?? (production ? undefined : '127.0.0.1:9099');
  const apiKey = env('FIREBASE_API_KEY');
  if (!emulatorHost && !apiKey) {
    throw new Error(
      'Firebase is not configured: set FIREBASE_API_KEY, FIREBASE_PROJECT_ID and FIREBASE_AUTH_DOMAIN (or FIREBASE_AUTH_EMULATOR_HOST in development)',
    );
  }
  return {
    projectId: env('FIREBASE_PROJECT_ID') ?? 'demo-flowpos',
    apiKey: apiKey ?? 'demo',
    ...(env('FIREBASE_AUTH_DOMAIN') ? { authDomain: env('FIREBASE_AUTH_DOMAIN') } : {}),
    ...(emulatorHost ? { emulatorHost } : {}),
  };
}
