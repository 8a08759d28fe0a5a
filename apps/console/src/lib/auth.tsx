'use client';
// Who is signed in: follows Firebase's auth state and exposes sign-in/out.
import { useQueryClient } from '@tanstack/react-query';
import {
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut as firebaseSignOut,
  type User,
} from 'firebase/auth';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { firebaseAuth } from './firebase';
import { requiredContext } from './required-context';

export type AuthState =
  | { status: 'loading'; user: null }
  | { status: 'signed-out'; user: null }
  | { status: 'signed-in'; user: User };

interface AuthContextValue {
  state: AuthState;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const [AuthContext, useAuthContext] = requiredContext<AuthContextValue>('useAuth');

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null });
  const queryClient = useQueryClient();

  useEffect(
    () =>
      onAuthStateChanged(firebaseAuth(), (user) => {
        setState(user ? { status: 'signed-in', user } : { status: 'signed-out', user: null });
      }),
    [],
  );

  const signIn = useCallback(async (email: string, password: string) => {
    await signInWithEmailAndPassword(firebaseAuth(), email, password);
  }, []);

  const signOut = useCallback(async () => {
    await firebaseSignOut(firebaseAuth());
    // Nothing of the previous user may show to the next one.
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <AuthContext value={value}>{children}</AuthContext>;
}

export const useAuth = useAuthContext;
