// `next dev` compiles each route on its first request, which can take longer
// than an assertion's timeout on a busy machine. Requesting every route once,
// in turn, before the first test makes the tests wait on the page, not on the
// compiler. A route answers once it is compiled, whatever its status.
import { CONSOLE_URL } from './env.ts';

const ROUTES = [
  '/',
  '/keys',
  '/members',
  '/intents',
  // The page an AI client's approval link opens (any id compiles the route).
  '/intents/00000000-0000-4000-8000-000000000000',
  // A key's and a connected app's pages (any id compiles the route).
  '/keys/00000000-0000-4000-8000-000000000000',
  '/connected-apps/warm-up',
  '/audit',
  '/connected-apps',
  // A key's and a connected app's own pages (any id compiles the route), and the usage overview.
  '/keys/00000000-0000-4000-8000-000000000000',
  '/connected-apps/00000000-0000-4000-8000-000000000000',
  '/usage',
  '/sessions',
  '/settings',
  '/tools',
  '/diagnose',
  '/oauth/consent',
  '/trpc/me',
];

export async function warmConsole(): Promise<void> {
  for (const route of ROUTES) {
    const res = await fetch(`${CONSOLE_URL}${route}`, {
      redirect: 'manual',
      signal: AbortSignal.timeout(180_000),
    });
    await res.arrayBuffer();
  }
}
