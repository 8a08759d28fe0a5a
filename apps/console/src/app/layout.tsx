import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { firebaseWebConfig } from '@/lib/runtime-config';
import { Providers } from './providers';
// The console's stylesheets, in cascade order: small screens override the rest.
import '@/styles/base.css';
import '@/styles/buttons.css';
import '@/styles/forms.css';
import '@/styles/states.css';
import '@/styles/sign-in.css';
import '@/styles/shell.css';
import '@/styles/tables.css';
import '@/styles/dialogs.css';
import '@/styles/tools-preview.css';
import '@/styles/small-screens.css';
import '@/styles/consent.css';
import '@/styles/usage.css';
import '@/styles/diagnose.css';
import '@/styles/pages.css';

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
