import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { firebaseWebConfig } from '@/lib/runtime-config';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'FlowPOS Console', template: '%s · FlowPOS Console' },
  description: 'Manage FlowPOS MCP keys, sessions, tools, intents and members.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request: the Firebase settings come from this server's environment.
  await connection();
  return (
    <html lang="en">
      <body>
        <Providers firebase={firebaseWebConfig()}>{children}</Providers>
      </body>
    </html>
  );
}
