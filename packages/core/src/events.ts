// Invalidation events shared by every backend instance: Redis pub/sub when
// REDIS_URL is set, an in-process emitter otherwise. Subscribers re-read the
// store; events only say what changed.
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

export type DomainEvent =
  | { type: 'session.ended'; sessionId: string }
  | { type: 'session.changed'; sessionId: string; origin?: string }
  | { type: 'key.changed'; keyId: string }
  | { type: 'user.changed'; userId: string }
  /**
   * A sessionless (2026) client's per-credential state changed (its active
   * business), or the credential itself did (revoked, no access left).
   */
  | { type: 'credential.changed'; credential: string }
  /** A merchant approved or rejected an intent: a call waiting for that decision reads it now. */
  | { type: 'intent.decided'; intentId: string }
  /** A merchant changed the limits of a business or of one of its keys or connected apps. */
  | { type: 'limits.changed'; businessId: string }
  /** Local only: the bus reconnected and may have missed events; drop caches. */
  | { type: 'resync' };

export interface EventBus {
  publish(event: DomainEvent): Promise<void>;
  subscribe(handler: (event: DomainEvent) => void): () => void;
  close(): Promise<void>;
}

export function createMemoryEventBus(): EventBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(event) {
      emitter.emit('event', event);
    },
    subscribe(handler) {
      // One subscriber's failure is its own: the others still hear the event,
      // and the publisher (a revocation, say) does not fail because of it.
      const isolated = (event: DomainEvent) => {
        try {
          handler(event);
        } catch {
          // Subscribers log their own errors.
        }
      };
      emitter.on('event', isolated);
      return () => emitter.off('event', isolated);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * `publisher` is the shared command connection; `subscriber` must be a
 * connection of its own (a subscribed Redis connection accepts no commands).
 */
export function createRedisEventBus(publisher: Redis, subscriber: Redis, prefix: string): EventBus {
  const channel = `${prefix}mcp:events`;
  const local = createMemoryEventBus();
  let subscribed: Promise<unknown> | undefined;
  subscriber.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    let event: DomainEvent;
    try {
      event = JSON.parse(message) as DomainEvent;
    } catch {
      // A malformed message from another process is ignored, not fatal.
      return;
    }
    local.publish(event).catch(() => undefined);
  });
  const ensureSubscribed = () => {
    subscribed ??= subscriber.subscribe(channel).catch(() => {
      subscribed = undefined;
    });
    return subscribed;
  };
  void ensureSubscribed();
  let lost = false;
  subscriber.on('close', () => {
    lost = true;
  });
  subscriber.on('ready', () => {
    if (!lost) return;
    lost = false;
    local.publish({ type: 'resync' }).catch(() => undefined);
  });
  return {
    async publish(event) {
      await publisher.publish(channel, JSON.stringify(event));
    },
    subscribe(handler) {
      void ensureSubscribed();
      return local.subscribe(handler);
    },
    async close() {
      await local.close();
    },
  };
}
