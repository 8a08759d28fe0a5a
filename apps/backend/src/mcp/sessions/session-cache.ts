// The 2025 sessions this process holds: a bounded cache of records over the
// session store, which stays the truth (McpSessionService). Map order is
// recency order. Past the bound, the least recently used sessions without a
// GET stream leave (a stream needs its session); leaving drops the SDK server.
import type { SessionStore } from '@flowpos/core';
import type { LiveSession } from './live-session.ts';
import type { SessionServers } from './session-servers.ts';

export interface SessionTouch {
  store: SessionStore;
  instanceId: string;
  /** How often lastSeenAt is written for a busy session. */
  intervalMs: number;
}

export class SessionCache {
  private readonly live = new Map<string, LiveSession>();

  private readonly servers: SessionServers;
  private readonly bound: number;
  private readonly touch: SessionTouch;
  constructor(servers: SessionServers, bound: number, touch: SessionTouch) {
    this.servers = servers;
    this.bound = bound;
    this.touch = touch;
  }

  get size(): number {
    return this.live.size;
  }

  get(sessionId: string): LiveSession | undefined {
    return this.live.get(sessionId);
  }

  has(sessionId: string): boolean {
    return this.live.has(sessionId);
  }

  /** Requests of the cached sessions waiting for their answer. */
  get pendingRequests(): number {
    let count = 0;
    for (const live of this.live.values()) count += live.transport.pendingCount;
    return count;
  }

  /** Marks a cached session as just used, and writes lastSeenAt when it is due. */
  used(live: LiveSession): void {
    this.live.delete(live.id);
    this.live.set(live.id, live);
    this.maybeTouch(live);
  }

  /** Caches a session opened or rebuilt here, making room past the bound. */
  remember(live: LiveSession): void {
    this.live.set(live.id, live);
    if (this.live.size <= this.bound) return;
    for (const [id, candidate] of this.live) {
      if (this.live.size <= this.bound) break;
      if (!candidate.transport.hasStream && id !== live.id) this.uncache(id);
    }
  }

  /** Removes a session from the cache (its transport stays open for requests in flight). */
  uncache(sessionId: string): void {
    this.live.delete(sessionId);
    this.servers.forget(sessionId);
  }

  /** Keeps only the sessions holding a stream (events may have been missed). */
  keepStreams(): void {
    for (const [id, live] of this.live) if (!live.transport.hasStream) this.uncache(id);
  }

  /** Drops a session from this process and closes its open streams. */
  forget(sessionId: string): void {
    const live = this.live.get(sessionId);
    if (!live) return;
    this.uncache(sessionId);
    void live.transport.close().catch(() => undefined);
  }

  /** Empties the cache; answers what it held (shutdown closes their transports). */
  clear(): LiveSession[] {
    const all = [...this.live.values()];
    this.live.clear();
    this.servers.clear();
    return all;
  }

  /** Writes lastSeenAt at most once per interval; now, for a session just rebuilt. */
  maybeTouch(live: LiveSession): void {
    const now = Date.now();
    if (now - live.lastTouch < this.touch.intervalMs) return;
    live.lastTouch = now;
    this.touch.store
      .touch(live.id, this.touch.instanceId, now, live.credential)
      .catch(() => undefined);
  }
}
