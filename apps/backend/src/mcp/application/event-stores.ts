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

export function createRedisEventStores(redis: Redis, prefix: string, ttlMs: number): EventStores {
  const key = (sessionId: string) => `${prefix}mcp:events:${sessionId}`;
  return {
    forSession(sessionId) {
      return {
        async storeEvent(streamId: string, message: JSONRPCMessage) {
          const id = await redis.xadd(
            key(sessionId),
            'MAXLEN',
            '~',
            MAX_EVENTS_PER_SESSION,
            '*',
            's',
            streamId,
            'm',
            JSON.stringify(message),
          );
          void redis.pexpire(key(sessionId), ttlMs).catch(() => undefined);
          return `${streamId}|${id as string}`;
        },
        async getStreamIdForEventId(eventId: string) {
          return eventId.split('|')[0];
        },
        async replayEventsAfter(
          lastEventId: string,
          { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
        ) {
          const [streamId, entryId] = lastEventId.split('|');
          if (!streamId || !entryId) return '';
          const entries = await redis.xrange(key(sessionId), `(${entryId}`, '+');
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
        },
      };
    },
    async drop(sessionId) {
      await redis.del(key(sessionId));
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
