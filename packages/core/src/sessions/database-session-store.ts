// Session store in the database, for deployments without Redis (the embedded
// default on PGlite, or one instance on PostgreSQL): sessions survive a
// backend restart, since any process can rebuild them from these rows.
// Principal writes compare and set on a version column, as the Redis store
// does on the record itself.
import type { Db } from '@flowpos/db';
import type { Principal } from '../principal.ts';
import type { ActivityCursor } from './activity-cursor.ts';
import type { ClientActivity } from './client-activity.ts';
import {
  liveSessionWhere,
  endedSessionWhere,
  idleCutoff,
  isLive,
  idleTtlPassed,
} from './session-lifetime.ts';
import {
  principalToStore,
  storedClientActivity,
  storedPrincipal,
  type SessionRecord,
  type SessionStore,
} from './session-record.ts';

const MAX_UPDATE_ATTEMPTS = 10;
/** A credential's remembered business is re-stamped (its TTL slid) at most this often. */
const SLIDE_EVERY_MS = 60_000;

type StoredPart = Pick<SessionRecord, 'principal' | 'initialize' | 'createdAt' | 'expiresAt'>;

interface Row {
  id: string;
  credential: string;
  record: unknown;
  version: number;
  lastSeenAt: Date;
  instanceId: string;
  expiresAt: Date | null;
}

function toRecord(row: Row): SessionRecord {
  const stored = row.record as StoredPart;
  return {
    id: row.id,
    credential: row.credential,
    principal: storedPrincipal(stored.principal),
    initialize: stored.initialize,
    createdAt: stored.createdAt,
    lastSeenAt: row.lastSeenAt.getTime(),
    instanceId: row.instanceId,
    ...(row.expiresAt ? { expiresAt: row.expiresAt.getTime() } : {}),
  };
}

function storedPart(record: SessionRecord, principal: Principal = record.principal) {
  const part: StoredPart = {
    principal: principalToStore(principal),
    initialize: record.initialize,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
  };
  return JSON.parse(JSON.stringify(part)) as object;
}

export function createDatabaseSessionStore(db: Db, idleTtlMs: number): SessionStore {
  const live = (record: SessionRecord, now = Date.now()) => isLive(record, idleTtlMs, now);
  const liveFor = (credential: string) => ({ credential, ...liveSessionWhere(idleTtlMs) });

  const read = async (id: string): Promise<{ row: Row; record: SessionRecord } | null> => {
    const row = await db.mcpSession.findUnique({ where: { id } });
    if (!row) return null;
    const record = toRecord(row);
    if (!live(record)) {
      await db.mcpSession.deleteMany({ where: { id } });
      return null;
    }
    return { row, record };
  };

  /** Drops what expired; run once per listing, at its first page. */
  const sweep = async (now: number) => {
    await db.mcpSession.deleteMany({ where: endedSessionWhere(idleTtlMs, now) });
  };

  return {
    kind: 'database',
    idleTtlMs,
    async create(record) {
      await db.mcpSession.create({
        data: {
          id: record.id,
          credential: record.credential,
          record: storedPart(record),
          lastSeenAt: new Date(record.lastSeenAt),
          instanceId: record.instanceId,
          expiresAt: record.expiresAt === undefined ? null : new Date(record.expiresAt),
        },
      });
    },
    async get(id) {
      return (await read(id))?.record ?? null;
    },
    async updatePrincipal(id, change) {
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        const found = await read(id);
        if (!found) return null;
        const next = change(found.record.principal);
        if (!next) return found.record.principal;
        const written = await db.mcpSession.updateMany({
          where: { id, version: found.row.version },
          data: { record: storedPart(found.record, next), version: found.row.version + 1 },
        });
        if (written.count === 1) return next;
      }
      throw new Error(`Session ${id} is changing too often to update`);
    },
    async touch(id, instanceId, now) {
      await db.mcpSession.updateMany({
        where: { id },
        data: { lastSeenAt: new Date(now), instanceId },
      });
    },
    async delete(id) {
      return (await db.mcpSession.deleteMany({ where: { id } })).count > 0;
    },
    async page(after, count) {
      const now = Date.now();
      if (!after) await sweep(now);
      const rows = await db.mcpSession.findMany({
        where: { AND: [liveSessionWhere(idleTtlMs, now), afterCursor(after, 'id')] },
        orderBy: [{ lastSeenAt: 'desc' }, { id: 'desc' }],
        take: count,
      });
      return rows.map(toRecord).filter((record) => live(record, now));
    },
    async idsForCredential(credential) {
      const rows = await db.mcpSession.findMany({
        where: liveFor(credential),
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },
    async countForCredential(credential) {
      return db.mcpSession.count({ where: liveFor(credential) });
    },
    async getActiveBusiness(credential) {
      const row = await db.mcpCredentialState.findUnique({ where: { credential } });
      if (!row) return null;
      const updatedAt = row.updatedAt.getTime();
      if (idleTtlPassed(updatedAt, idleTtlMs)) return null;
      if (Date.now() - updatedAt > SLIDE_EVERY_MS) {
        await db.mcpCredentialState.updateMany({
          where: { credential },
          data: { updatedAt: new Date() },
        });
      }
      return row.activeBusinessId;
    },
    async setActiveBusiness(credential, businessId) {
      const now = new Date();
      await db.mcpCredentialState.upsert({
        where: { credential },
        create: { credential, activeBusinessId: businessId, updatedAt: now },
        update: { activeBusinessId: businessId, updatedAt: now },
      });
    },
    async recordClient(activity) {
      const { credential, lastSeenAt } = activity;
      const record = JSON.parse(
        JSON.stringify({ ...activity, principal: principalToStore(activity.principal) }),
      ) as object;
      await db.mcpClient.upsert({
        where: { credential },
        create: { credential, record, lastSeenAt: new Date(lastSeenAt) },
        update: { record, lastSeenAt: new Date(lastSeenAt) },
      });
    },
    async pageClients(after, count) {
      const cutoff = new Date(idleCutoff(idleTtlMs));
      if (!after) await db.mcpClient.deleteMany({ where: { lastSeenAt: { lte: cutoff } } });
      const rows = await db.mcpClient.findMany({
        where: { lastSeenAt: { gt: cutoff }, ...afterCursor(after, 'credential') },
        orderBy: [{ lastSeenAt: 'desc' }, { credential: 'desc' }],
        take: count,
      });
      return rows.map((row) => storedClientActivity(row.record as unknown as ClientActivity));
    },
    async deleteClient(credential) {
      await db.mcpClient.deleteMany({ where: { credential } });
    },
    async close() {},
  };
}

/** Rows after the cursor in the order (lastSeenAt desc, key desc). */
function afterCursor<K extends 'id' | 'credential'>(after: ActivityCursor | null, key: K) {
  if (!after) return {};
  const at = new Date(after.lastSeenAt);
  return {
    OR: [{ lastSeenAt: { lt: at } }, { lastSeenAt: at, [key]: { lt: after.key } }],
  };
}
