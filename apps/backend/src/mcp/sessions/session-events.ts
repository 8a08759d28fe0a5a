// How a session cached here follows what other instances do to it: ended
// there, it is dropped here; changed there, it is re-read from the store (with
// a GET stream, so the client gets list_changed) or simply uncached (read
// again on its next request). Events may be missed: `resync` keeps only the
// sessions holding a stream.
import type { DomainEvent, Principal, SessionStore } from '@flowpos/core';
import type { LiveSession } from './live-session.ts';
import type { SessionCache } from './session-cache.ts';

export interface SessionEventTarget {
  cache: SessionCache;
  store: SessionStore;
  instanceId: string;
  /** Cached sessions whose principal another instance changed, being re-read from the store. */
  refreshing: Map<string, Promise<void>>;
  /** Applies a principal stored elsewhere to a cached session. */
  apply(live: LiveSession, next: Principal): void;
}

export async function followSessionEvent(
  event: DomainEvent,
  target: SessionEventTarget,
): Promise<void> {
  const { cache, refreshing } = target;
  switch (event.type) {
    case 'session.ended':
      cache.forget(event.sessionId);
      return;
    case 'session.changed': {
      if (event.origin === target.instanceId) return;
      const live = cache.get(event.sessionId);
      if (!live) return;
      if (!live.transport.hasStream) {
        cache.uncache(event.sessionId);
        return;
      }
      const id = event.sessionId;
      const refresh: Promise<void> = target.store
        .get(id)
        .catch(() => null)
        .then((record) => {
          if (!record) cache.forget(id);
          else target.apply(live, record.principal);
        })
        .finally(() => {
          if (refreshing.get(id) === refresh) refreshing.delete(id);
        });
      refreshing.set(id, refresh);
      await refresh;
      return;
    }
    case 'resync':
      cache.keepStreams();
      return;
    default:
      return;
  }
}
