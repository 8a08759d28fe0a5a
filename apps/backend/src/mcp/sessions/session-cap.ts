// The per-credential session cap (MCP_MAX_SESSIONS_PER_CREDENTIAL), checked
// before a new 2025 session is opened.
import { conflict, type SessionStore } from '@flowpos/core';
import type { Logger } from 'pino';
import { storeDown } from './store-down.ts';

/** Refuses a new session when the credential already holds `cap` (only then are ids checked one by one). */
export async function checkSessionCap(
  store: SessionStore,
  logger: Logger,
  credential: string,
  cap: number | undefined,
): Promise<void> {
  if (!cap) return;
  let live: number;
  try {
    // A count first (one SCARD on Redis): the ids are read only near the cap,
    // where the credential's index may still name sessions that expired.
    if ((await store.countForCredential(credential)) < cap) return;
    const ids = await store.idsForCredential(credential);
    live = (await Promise.all(ids.map((sid) => store.get(sid)))).filter(Boolean).length;
  } catch (error) {
    throw storeDown(logger, error, 'refusing a new session');
  }
  if (live >= cap) {
    throw conflict(
      `Too many open sessions for this credential (at most ${cap}): end one with DELETE /mcp or let it expire`,
    );
  }
}
