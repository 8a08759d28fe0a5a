'use client';
import type { ReactNode } from 'react';
import { AuthProvider } from '@/lib/auth';
import { TrpcProviders } from '@/lib/trpc';

export function Providers({ children }: { children: ReactNode }) {
  return (
    <TrpcProviders>
      <AuthProvider>{children}</AuthProvider>
    </TrpcProviders>
  );
}
