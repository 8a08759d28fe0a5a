// Redis session store: `mcp:session:{id}` holds the record as JSON with a
// sliding TTL; a sorted set indexes live sessions by last activity (for
// listing), and a set per credential finds a key's sessions on revocation.
import type { Redis } from 'ioredis';
import type { SessionRecord, SessionStore } from './session-record.ts';

const LIST_CHUNK = 500;

export function createRedisSessionStore(
  redis: Redis,
  options: { prefix: string; idleTtlMs: number },
): SessionStore {
  const { prefix, idleTtlMs } = options;
  const sessionKey = (id: string) => `${prefix}mcp:session:${id}`;
  const indexKey = `${prefix}mcp:sessions`;
  const credentialKey = (credential: string) => `${prefix}mcp:credential:${credential}`;

  const write = async (record: SessionRecord) => {
    await redis
      .multi()
      .set(sessionKey(record.id), JSON.stringify(record), 'PX', idleTtlMs)
      .zadd(indexKey, record.lastSeenAt, record.id)
      .sadd(credentialKey(record.credential), record.id)
      .pexpire(credentialKey(record.credential), idleTtlMs)
      .exec();
  };

  const parse = (raw: string | null): SessionRecord | null => {
    if (!raw) return null;
    try {
      return JSON.parse(raw) as SessionRecord;
    } catch {
      return null;
    }
  };

  return {
    kind: 'redis',
    idleTtlMs,
    create: write,
    async get(id) {
      return parse(await redis.get(sessionKey(id)));
    },
    async save(record) {
      // XX: a session ended meanwhile stays ended.
      const ok = await redis.set(
        sessionKey(record.id),
        JSON.stringify(record),
        'PX',
        idleTtlMs,
        'XX',
      );
      if (ok) await redis.zadd(indexKey, record.lastSeenAt, record.id);
    },
    async touch(id, instanceId, now) {
      const raw = await redis.get(sessionKey(id));
      const record = parse(raw);
      if (!record) return;
      record.lastSeenAt = now;
      record.instanceId = instanceId;
      await redis
        .multi()
        .set(sessionKey(id), JSON.stringify(record), 'PX', idleTtlMs, 'XX')
        .zadd(indexKey, now, id)
        .exec();
    },
    async delete(id) {
      const raw = await redis.get(sessionKey(id));
      const record = parse(raw);
      const multi = redis.multi().del(sessionKey(id)).zrem(indexKey, id);
      if (record) multi.srem(credentialKey(record.credential), id);
      const results = await multi.exec();
      return Boolean(results?.[0]?.[1]);
    },
    async list() {
      const cutoff = Date.now() - idleTtlMs;
      await redis.zremrangebyscore(indexKey, '-inf', cutoff);
      const ids = await redis.zrangebyscore(indexKey, cutoff, '+inf');
      const out: SessionRecord[] = [];
      const gone: string[] = [];
      for (let i = 0; i < ids.length; i += LIST_CHUNK) {
        const chunk = ids.slice(i, i + LIST_CHUNK);
        const values = await redis.mget(chunk.map(sessionKey));
        values.forEach((raw, j) => {
          const record = parse(raw);
          if (record) out.push(record);
          else gone.push(chunk[j] as string);
        });
      }
      if (gone.length) await redis.zrem(indexKey, ...gone);
      return out;
    },
    async idsForCredential(credential) {
      return redis.smembers(credentialKey(credential));
    },
    async close() {},
  };
}
