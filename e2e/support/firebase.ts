// The Auth Emulator's REST API: create, sign in and delete test accounts.
import { EMULATOR_URL } from './env.ts';

const IDENTITY = `${EMULATOR_URL}/identitytoolkit.googleapis.com/v1`;

interface AuthResponse {
  localId: string;
  idToken: string;
  email: string;
}

async function call<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${IDENTITY}/${path}?key=e2e`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T & { error?: { message?: string } };
  if (!res.ok)
    throw new Error(`Auth Emulator ${path} failed: ${json.error?.message ?? res.status}`);
  return json;
}

export const signUp = (email: string, password: string) =>
  call<AuthResponse>('accounts:signUp', { email, password, returnSecureToken: true });

export const signInWithPassword = (email: string, password: string) =>
  call<AuthResponse>('accounts:signInWithPassword', { email, password, returnSecureToken: true });

export async function deleteAccount(email: string, password: string): Promise<void> {
  const { idToken } = await signInWithPassword(email, password);
  await call('accounts:delete', { idToken });
}
