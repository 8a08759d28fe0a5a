// Which cached 2025 sessions keep an SDK server: every one holding a GET
// stream (its list_changed notifications come from the server) and, of the
// others, the most recently used up to a bound. The rest are records only
// (live-session.ts): a plain tools/call or ping needs no server, anything else
// has one built again and fed the client's handshake first.
import {
  connectServer,
  dropServer,
  replayHandshake,
  type LiveSession,
  type LiveSessionDeps,
  type SessionTools,
} from './live-session.ts';

export const DEFAULT_SERVER_CACHE_SIZE = 64;

export class SessionServers {
  /** The sessions that have a server, least recently used first. */
  private readonly served = new Map<string, LiveSession>();
  /** Servers being built and fed the handshake (one per session, however many requests wait). */
  private readonly building = new WeakMap<LiveSession, Promise<void>>();

  private readonly deps: LiveSessionDeps;
  private readonly bound: number;
  private readonly toolsOf: (live: LiveSession) => SessionTools;
  constructor(deps: LiveSessionDeps, bound: number, toolsOf: (live: LiveSession) => SessionTools) {
    this.deps = deps;
    this.bound = bound;
    this.toolsOf = toolsOf;
  }

  get count(): number {
    return this.served.size;
  }

  /** Builds the server of a session being opened (initialize goes to it next). */
  async open(live: LiveSession): Promise<void> {
    await connectServer(live, this.toolsOf(live), this.deps);
  }

  /**
   * Gives the session its server, built and fed the client's handshake when it
   * has none. `keep`: the session is cached, so it counts as recently used
   * (the least recently used idle servers beyond the bound are let go).
   */
  async serverFor(live: LiveSession, keep: () => boolean): Promise<void> {
    let pending = this.building.get(live);
    if (!pending && !live.built) {
      pending = connectServer(live, this.toolsOf(live), this.deps)
        .then(() => replayHandshake(live))
        .finally(() => this.building.delete(live));
      this.building.set(live, pending);
    }
    if (pending) await pending;
    if (keep()) this.used(live);
  }

  /** Marks a session's server as just used. */
  used(live: LiveSession): void {
    this.served.delete(live.id);
    this.served.set(live.id, live);
    if (this.served.size <= this.bound) return;
    for (const [id, candidate] of this.served) {
      if (this.served.size <= this.bound) break;
      // A stream needs its server (list_changed); a request in flight needs its answer.
      if (id === live.id || candidate.transport.hasStream || candidate.transport.pendingCount > 0)
        continue;
      this.served.delete(id);
      dropServer(candidate);
    }
  }

  forget(sessionId: string): void {
    this.served.delete(sessionId);
  }

  clear(): void {
    this.served.clear();
  }
}
