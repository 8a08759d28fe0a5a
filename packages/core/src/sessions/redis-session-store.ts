// Redis session store: `mcp:session:{id}` holds the record as JSON with a
// sliding TTL. Activity is kept apart so that touching a session never
// rewrites (and so never undoes) a principal another instance just saved:
// the last-seen time is the score in the `mcp:sessions` sorted set (which also
// lists live sessions), and the serving instance is `mcp:session:{id}:seen`.
// A set per credential finds a key's sessions on revocation.
import type { Redis } from 'ioredis';
import { isAfterCursor, type ActivityCursor } from './activity-cursor.ts';
import type { ClientActivity } from './client-activity.ts';
import { liveScoreRange, isExpired, storeTtlMs } from './session-lifetime.ts';
import {
  principalToStore,
  storedClientActivity,
  storedSessionRecord,
  type SessionRecord,
  type SessionStore,
} from './session-record.ts';

const MAX_UPDATE_ATTEMPTS = 10;

// Sets the record only if it is still exactly what the writer read.
const COMPARE_AND_SET = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

export function createRedisSessionStore(
  redis: Redis,
  options: { prefix: string; idleTtlMs: number },
): SessionStore {
  const { prefix, idleTtlMs } = options;
  const sessionKey = (id: string) => `${prefix}mcp:session:${id}`;
  const seenKey = (id: string) => `${prefix}mcp:session:${id}:seen`;
  const indexKey = `${prefix}mcp:sessions`;
  const credentialKey = (credential: string) => `${prefix}mcp:credential:${credential}`;
  const clientKey = (credential: string) => `${prefix}mcp:client:${credential}`;
  const clientIndexKey = `${prefix}mcp:clients`;
  const activeBusinessKey = (credential: string) =>
    `${prefix}mcp:credential:${credential}:active-business`;

  const parse = (
    raw: string | null,
    lastSeen: string | null,
    instanceId: string | null,
  ): SessionRecord | null => {
    if (!raw) return null;
    try {
      const record = storedSessionRecord(JSON.parse(raw) as SessionRecord);
      // Past its credential's expiry: gone for every instance, whatever the TTL says.
      if (isExpired(record)) return null;
      if (lastSeen) record.lastSeenAt = Number(lastSeen);
      if (instanceId) record.instanceId = instanceId;
      return record;
    } catch {
      return null;
    }
  };

  return {
    kind: 'redis',
    idleTtlMs,
    async create(record) {
      await redis
        .multi()
        .set(
          sessionKey(record.id),
          JSON.stringify({ ...record, principal: principalToStore(record.principal) }),
          'PX',
          storeTtlMs(record, idleTtlMs),
        )
        .set(seenKey(record.id), record.instanceId, 'PX', idleTtlMs)
        .zadd(indexKey, record.lastSeenAt, record.id)
        .sadd(credentialKey(record.credential), record.id)
        .pexpire(credentialKey(record.credential), idleTtlMs)
        .exec();
    },
    async get(id) {
      const results = await redis
        .multi()
        .get(sessionKey(id))
        .zscore(indexKey, id)
        .get(seenKey(id))
        .exec();
      const [raw, score, seen] = (results ?? []).map(([, value]) => value as string | null);
      return parse(raw ?? null, score ?? null, seen ?? null);
    },
    async updatePrincipal(id, change) {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const raw = await redis.get(sessionKey(id));
        const record = parse(raw, null, null);
        if (!raw || !record) return null;
        const next = change(record.principal);
        if (!next) return record.principal;
        const written = await redis.eval(
          COMPARE_AND_SET,
          1,
          sessionKey(id),
          raw,
          JSON.stringify({ ...record, principal: principalToStore(next) }),
          idleTtlMs,
        );
        if (written === 1) return next;
      }
      throw new Error(`Session ${id} is changing too often to update`);
    },
    async touch(id, instanceId, now, credential) {
      const multi = redis
        .multi()
        .pexpire(sessionKey(id), idleTtlMs)
        .set(seenKey(id), instanceId, 'PX', idleTtlMs)
        .zadd(indexKey, 'XX', now, id);
      // The credential's index lives as long as its busiest session.
      if (credential) multi.pexpire(credentialKey(credential), idleTtlMs);
      const results = await multi.exec();
      // A touch that raced with the end of the session must not resurrect its activity key.
      if (results?.[0]?.[1] === 0) await redis.del(seenKey(id));
    },
    async delete(id) {
      const raw = await redis.get(sessionKey(id));
      const record = parse(raw, null, null);
      const multi = redis.multi().del(sessionKey(id)).del(seenKey(id)).zrem(indexKey, id);
      if (record) multi.srem(credentialKey(record.credential), id);
      const results = await multi.exec();
      return Boolean(results?.[0]?.[1]);
    },
    async page(after, count) {
      const range = liveScoreRange(idleTtlMs);
      await redis.zremrangebyscore(indexKey, '-inf', range.endedMax);
      const entries = await pageIndex(redis, indexKey, range.min, after, count);
      if (entries.length === 0) return [];
      const ids = entries.map((e) => e.key);
      const [records, seen] = await Promise.all([
        redis.mget(ids.map(sessionKey)),
        redis.mget(ids.map(seenKey)),
      ]);
      const out: SessionRecord[] = [];
      const gone: string[] = [];
      entries.forEach((entry, i) => {
        const record = parse(records[i] ?? null, String(entry.lastSeenAt), seen[i] ?? null);
        if (record) out.push(record);
        else gone.push(entry.key);
      });
      if (gone.length) await redis.zrem(indexKey, ...gone);
      return out;
    },
    async idsForCredential(credential) {
      return redis.smembers(credentialKey(credential));
    },
    async countForCredential(credential) {
      return redis.scard(credentialKey(credential));
    },
    async getActiveBusiness(credential) {
      // GETEX slides the TTL in the same round trip.
      return redis.getex(activeBusinessKey(credential), 'PX', idleTtlMs);
    },
    async setActiveBusiness(credential, businessId) {
      await redis.set(activeBusinessKey(credential), businessId, 'PX', idleTtlMs);
    },
    async recordClient(activity) {
      await redis
        .multi()
        .set(
          clientKey(activity.credential),
          JSON.stringify({ ...activity, principal: principalToStore(activity.principal) }),
          'PX',
          idleTtlMs,
        )
        .zadd(clientIndexKey, activity.lastSeenAt, activity.credential)
        .exec();
    },
    async pageClients(after, count) {
      const range = liveScoreRange(idleTtlMs);
      await redis.zremrangebyscore(clientIndexKey, '-inf', range.endedMax);
      const entries = await pageIndex(redis, clientIndexKey, range.min, after, count);
      if (entries.length === 0) return [];
      const raws = await redis.mget(entries.map((e) => clientKey(e.key)));
      const out: ClientActivity[] = [];
      for (const raw of raws) {
        if (!raw) continue;
        try {
          out.push(storedClientActivity(JSON.parse(raw) as ClientActivity));
        } catch {
          // A record this version cannot read is skipped; its TTL removes it.
        }
      }
      return out;
    },
    async deleteClient(credential) {
      await redis.multi().del(clientKey(credential)).zrem(clientIndexKey, credential).exec();
    },
    async close() {},
  };
}

/**
 * Up to `count` members of a sorted set scored by last activity, after the
 * cursor, in the order (score desc, member desc) ZREVRANGEBYSCORE gives. The
 * range starts at the cursor's score inclusive; members sharing that score up
 * to the cursor are skipped (rarely more than a few: they were active in the
 * same millisecond).
 */
async function pageIndex(
  redis: Redis,
  key: string,
  min: string,
  after: ActivityCursor | null,
  count: number,
): Promise<{ key: string; lastSeenAt: number }[]> {
  const out: { key: string; lastSeenAt: number }[] = [];
  const max = after ? String(after.lastSeenAt) : '+inf';
  for (let offset = 0; out.length < count;) {
    const want = count - out.length + (after ? 8 : 0);
    const flat = await redis.zrevrangebyscore(key, max, min, 'WITHSCORES', 'LIMIT', offset, want);
    for (let i = 0; i < flat.length && out.length < count; i += 2) {
      const member = flat[i] as string;
      const lastSeenAt = Number(flat[i + 1]);
      if (isAfterCursor(after, lastSeenAt, member)) out.push({ key: member, lastSeenAt });
    }
    if (flat.length < want * 2) break;
    offset += want;
  }
  return out;
}
