// What a 2026 request carries and is answered with, read without the SDK:
// the caller the controller attaches (`req.auth`), whether it opens a listen
// stream, the tool a tools/call names, and the cache hints of the answers.
import type { Principal } from '@flowpos/core';
import type { ServerOptions } from '@modelcontextprotocol/server';

/** How long a 2026 client may reuse a list: it changes with rights, which also notify. */
export const LIST_TTL_MS = 60_000;

export const CACHE_HINTS: ServerOptions['cacheHints'] = {
  // Lists differ per principal: private. server/discover is the same for everyone.
  'tools/list': { ttlMs: LIST_TTL_MS, cacheScope: 'private' },
  'prompts/list': { ttlMs: LIST_TTL_MS, cacheScope: 'private' },
  'resources/list': { ttlMs: LIST_TTL_MS, cacheScope: 'private' },
  'resources/templates/list': { ttlMs: LIST_TTL_MS, cacheScope: 'private' },
  // Business data changes with every sale: a short reuse window.
  'resources/read': { ttlMs: 10_000, cacheScope: 'private' },
  'server/discover': { ttlMs: 3_600_000, cacheScope: 'public' },
};

/** What the controller attaches to the request for the SDK (`req.auth`). */
export interface CallerInfo {
  principal: Principal;
  credential: string;
  /** The tool a `tools/call` request names: its server registers only that one. */
  toolCalled: string | undefined;
}

export const isListen = (body: unknown) =>
  (body as { method?: unknown } | null)?.method === 'subscriptions/listen';

export function toolCalledIn(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { method, params } = body as { method?: unknown; params?: { name?: unknown } };
  if (method !== 'tools/call') return undefined;
  return typeof params?.name === 'string' ? params.name : undefined;
}
