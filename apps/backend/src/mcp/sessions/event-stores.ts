// Resumable GET streams: an EventStore per session, in Redis (any instance can
// replay what a reconnecting client missed) or in memory. The SDK names the
// standalone stream `_GET_stream` in every session, so keys are namespaced by
// session id.
import type { EventStore, JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Redis } from 'ioredis';

export interface EventStores {
  forSession(sessionId: string): EventStore;
  drop(sessionId: string): Promise<void>;
}

const MAX_EVENTS_PER_SESSION = 500;

const redisEventsKey = (prefix: string, sessionId: string) => `${prefix}mcp:events:${sessionId}`;

/** One session's events in Redis; a class, so a cached session holds one small object, not closures. */
class RedisEventStore implements EventStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly sessionId: string;
  private readonly ttlMs: number;
  constructor(redis: Redis, prefix: string, sessionId: string, ttlMs: number) {
    this.redis = redis;
    this.prefix = prefix;
    this.sessionId = sessionId;
    this.ttlMs = ttlMs;
  }

  /** Built when used: most cached sessions never store an event. */
  private get key(): string {
    return redisEventsKey(this.prefix, this.sessionId);
  }

  async storeEvent(streamId: string, message: JSONRPCMessage) {
    const key = this.key;
    const id = await this.redis.xadd(
      key,
      'MAXLEN',
      '~',
      MAX_EVENTS_PER_SESSION,
      '*',
      's',
      streamId,
      'm',
      JSON.stringify(message),
    );
    void this.redis.pexpire(key, this.ttlMs).catch(() => undefined);
    return `${streamId}|${id as string}`;
  }

  async getStreamIdForEventId(eventId: string) {
    return eventId.split('|')[0];
  }

  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ) {
    const [streamId, entryId] = lastEventId.split('|');
    if (!streamId || !entryId) return '';
    const entries = await this.redis.xrange(this.key, `(${entryId}`, '+');
    for (const [id, fields] of entries) {
      const s = fields[fields.indexOf('s') + 1];
      const m = fields[fields.indexOf('m') + 1];
      if (s !== streamId || !m) continue;
      const message = JSON.parse(m) as JSONRPCMessage;
      // The SDK's priming events are empty objects: nothing to resend.
      if (Object.keys(message).length === 0) continue;
      await send(`${streamId}|${id}`, message);
    }
    return streamId;
  }
}

export function createRedisEventStores(redis: Redis, prefix: string, ttlMs: number): EventStores {
  return {
    forSession: (sessionId) => new RedisEventStore(redis, prefix, sessionId, ttlMs),
    async drop(sessionId) {
      await redis.del(redisEventsKey(prefix, sessionId));
    },
  };
}

export function createMemoryEventStores(): EventStores {
  const streams = new Map<string, { id: string; streamId: string; message: JSONRPCMessage }[]>();
  let seq = 0;
  return {
    forSession(sessionId) {
      return {
        async storeEvent(streamId: string, message: JSONRPCMessage) {
          const list = streams.get(sessionId) ?? [];
          const id = `${streamId}|${++seq}`;
          list.push({ id, streamId, message });
          if (list.length > MAX_EVENTS_PER_SESSION) list.shift();
          streams.set(sessionId, list);
          return id;
        },
        async getStreamIdForEventId(eventId: string) {
          return eventId.split('|')[0];
        },
        async replayEventsAfter(
          lastEventId: string,
          { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
        ) {
          const list = streams.get(sessionId) ?? [];
          const streamId = lastEventId.split('|')[0] ?? '';
          const index = list.findIndex((e) => e.id === lastEventId);
          for (const event of list.slice(index + 1)) {
            if (event.streamId !== streamId || Object.keys(event.message).length === 0) continue;
            await send(event.id, event.message);
          }
          return streamId;
        },
      };
    },
    async drop(sessionId) {
      streams.delete(sessionId);
    },
  };
}
