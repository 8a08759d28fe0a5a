// In-process session store (tests and in-process tools; one process, nothing kept).
// The embedded default keeps its sessions in the database (database-session-store.ts),
// so a restart does not end them.
import { byRecency, isAfterCursor } from './activity-cursor.ts';
import type { ClientActivity } from './client-activity.ts';
import { isLive, idleTtlPassed } from './session-lifetime.ts';
import type { SessionRecord, SessionStore } from './session-record.ts';

export function createMemorySessionStore(idleTtlMs: number): SessionStore {
  const sessions = new Map<string, SessionRecord>();
  const activeBusiness = new Map<string, { businessId: string; at: number }>();
  const live = (r: SessionRecord, now = Date.now()) => isLive(r, idleTtlMs, now);
  const clients = new Map<string, ClientActivity>();
  const clone = (r: SessionRecord): SessionRecord => structuredClone(r);
  return {
    kind: 'memory',
    idleTtlMs,
    async create(record) {
      sessions.set(record.id, clone(record));
    },
    async get(id) {
      const r = sessions.get(id);
      if (!r) return null;
      if (!live(r)) {
        sessions.delete(id);
        return null;
      }
      return clone(r);
    },
    async updatePrincipal(id, change) {
      const r = sessions.get(id);
      if (!r || !live(r)) return null;
      const next = change(structuredClone(r.principal));
      if (next) r.principal = structuredClone(next);
      return next ?? r.principal;
    },
    async touch(id, instanceId, now) {
      const r = sessions.get(id);
      if (r) {
        r.lastSeenAt = now;
        r.instanceId = instanceId;
      }
    },
    async delete(id) {
      return sessions.delete(id);
    },
    async page(after, count) {
      const now = Date.now();
      const out: SessionRecord[] = [];
      for (const [id, r] of sessions) {
        if (!live(r, now)) sessions.delete(id);
        else if (isAfterCursor(after, r.lastSeenAt, id)) out.push(r);
      }
      return out
        .sort((a, b) => byRecency({ ...a, key: a.id }, { ...b, key: b.id }))
        .slice(0, count)
        .map(clone);
    },
    async idsForCredential(credential) {
      return [...sessions.values()]
        .filter((r) => r.credential === credential && live(r))
        .map((r) => r.id);
    },
    async countForCredential(credential) {
      let count = 0;
      for (const r of sessions.values()) if (r.credential === credential && live(r)) count++;
      return count;
    },
    async getActiveBusiness(credential) {
      const entry = activeBusiness.get(credential);
      if (!entry) return null;
      if (idleTtlPassed(entry.at, idleTtlMs)) {
        activeBusiness.delete(credential);
        return null;
      }
      entry.at = Date.now();
      return entry.businessId;
    },
    async setActiveBusiness(credential, businessId) {
      activeBusiness.set(credential, { businessId, at: Date.now() });
    },
    async recordClient(activity) {
      clients.set(activity.credential, structuredClone(activity));
    },
    async pageClients(after, count) {
      const now = Date.now();
      return [...clients.values()]
        .filter(
          (c) =>
            !idleTtlPassed(c.lastSeenAt, idleTtlMs, now) &&
            isAfterCursor(after, c.lastSeenAt, c.credential),
        )
        .sort((a, b) => byRecency({ ...a, key: a.credential }, { ...b, key: b.credential }))
        .slice(0, count)
        .map((c) => structuredClone(c));
    },
    async deleteClient(credential) {
      clients.delete(credential);
    },
    async close() {
      clients.clear();
      sessions.clear();
      activeBusiness.clear();
    },
  };
}
