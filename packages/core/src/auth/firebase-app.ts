// One firebase-admin app per project, shared by the ID token verifier and the
// account checks.
import { getApps, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type Auth } from 'firebase-admin/auth';

export function firebaseAuth(projectId: string): Auth {
  const name = `flowpos-${projectId}`;
  const app: App = getApps().find((a) => a.name === name) ?? initializeApp({ projectId }, name);
  return getAuth(app);
}
