'use client';
import type { ReactNode } from 'react';
import { ToastProvider } from '@/components/toasts';
import { AuthProvider } from '@/lib/auth';
import { configureFirebase } from '@/lib/firebase';
import type { FirebaseWebConfig } from '@/lib/runtime-config';
import { TrpcProviders } from '@/lib/trpc';

export function Providers({
  firebase,
  children,
}: {
  firebase: FirebaseWebConfig;
  children: ReactNode;
}) {
  configureFirebase(firebase);
  return (
    <TrpcProviders>
      <AuthProvider>
        <ToastProvider>{children}</ToastProvider>
      </AuthProvider>
    </TrpcProviders>
  );
}
