// McpSessionService: MCP sessions that need no affinity. The session store
// (Redis, or the database for the embedded default) is the truth; this process
// keeps a bounded cache of sessions as light records (live-session.ts), a few
// of which keep an SDK server (session-servers.ts). A session this process has
// not seen (another instance opened it, or this one restarted) is read from
// the store; its SDK server is built when a request needs one (the fast path
// needs none), with public SDK API only, fed the stored `initialize` and
// `notifications/initialized`, then the real request.
import {
  isExpired,
  notFound,
  sessionPrincipal,
  type Principal,
  type SessionRecord,
} from '@flowpos/core';
import type { JSONRPCMessage, JSONRPCRequest } from '@modelcontextprotocol/server';
import type { Authenticated } from '../shared/authenticated.ts';
import {
  liveSession,
  newSessionRecord,
  sessionTools,
  type SessionTools,
  type LiveSession,
  type LiveSessionDeps,
} from '../sessions/live-session.ts';
import { plainSessionRequest, serveSessionRequest } from '../sessions/fast-session-call.ts';
import { checkSessionCap } from '../sessions/session-cap.ts';
import { DEFAULT_SERVER_CACHE_SIZE, SessionServers } from '../sessions/session-servers.ts';
import { SessionCache } from '../sessions/session-cache.ts';
import { followSessionEvent } from '../sessions/session-events.ts';
import { storeDown } from '../sessions/store-down.ts';
import { recordSessionEvent } from '../sessions/session-audit.ts';

export interface McpSessionServiceDeps extends LiveSessionDeps {
  instanceId: string;
  cacheSize: number;
  /** Idle sessions that keep their SDK server (those with a GET stream keep it regardless); default 64. */
  serverCacheSize?: number | undefined;
  /** Live sessions one credential may hold at once (a new initialize beyond it: 409). */
  maxSessionsPerCredential?: number | undefined;
  /** How often lastSeenAt is written for a busy session. */
  touchIntervalMs?: number;
  /** Told each time a session is rebuilt from the store (metrics). */
  onRebuild?: () => void;
  /** Plain tools/call requests answered beside the SDK server (fast-session-call.ts); default on. */
  fastToolCalls?: boolean | undefined;
}

export class McpSessionService {
  private readonly live: SessionCache;
  /** Which cached sessions keep an SDK server. */
  readonly servers: SessionServers;
  private readonly rebuilding = new Map<string, Promise<LiveSession | null>>();
  /** Cached sessions whose principal another instance changed, being re-read from the store. */
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly unsubscribe: () => void;

  private readonly deps: McpSessionServiceDeps;
  constructor(deps: McpSessionServiceDeps) {
    this.deps = deps;
    this.servers = new SessionServers(
      deps,
      deps.serverCacheSize ?? DEFAULT_SERVER_CACHE_SIZE,
      (live) => this.toolsOf(live),
    );
    this.live = new SessionCache(this.servers, deps.cacheSize, {
      store: deps.store,
      instanceId: deps.instanceId,
      intervalMs: deps.touchIntervalMs ?? 2_000,
    });
    const { store, instanceId } = deps;
    const apply = (live: LiveSession, next: Principal) => this.apply(live, next);
    const following = { cache: this.live, store, instanceId, refreshing: this.refreshing, apply };
    this.unsubscribe = deps.events.subscribe((event) => {
      followSessionEvent(event, following).catch((err: unknown) =>
        deps.logger.warn({ err, event: event.type }, 'session event not applied'),
      );
    });
  }

  get cachedCount(): number {
    return this.live.size;
  }

  /** Requests of this instance's sessions waiting for their answer. */
  get pendingRequests(): number {
    return this.live.pendingRequests;
  }

  /** The fast path's answer to a plain tools/call or ping (fast-session-call.ts); undefined for anything else. */
  answerPlain(
    live: LiveSession,
    body: unknown,
    signal: () => AbortSignal,
  ): Promise<JSONRPCMessage> | undefined {
    if (this.deps.fastToolCalls === false) return undefined;
    const plain = plainSessionRequest(
      this.deps.registry,
      body,
      live.principal,
      live.initialize.capabilities,
    );
    return plain && serveSessionRequest(live.transport, this.toolsOf(live).run, plain, signal());
  }

  /**
   * Opens a session for an `initialize` request. Returns the session (whose id
   * goes in the `mcp-session-id` header) and the initialize answer; a refused
   * initialize (an error answer) leaves no session behind.
   */
  async open(
    auth: Authenticated,
    message: JSONRPCRequest,
  ): Promise<{ live: LiveSession | null; answer: JSONRPCMessage }> {
    const { store, logger, maxSessionsPerCredential } = this.deps;
    await checkSessionCap(store, logger, auth.credential, maxSessionsPerCredential);
    const record = newSessionRecord(auth, message.params, this.deps.instanceId);
    const { id, initialize } = record;
    try {
      await this.deps.store.create(record);
    } catch (error) {
      throw storeDown(this.deps.logger, error, 'refusing a new session');
    }
    const live = liveSession(record, this.deps);
    await this.servers.open(live);
    const answer = (await live.transport.dispatch([message], false)) as JSONRPCMessage;
    if (!('result' in answer)) {
      await this.deps.store.delete(id).catch(() => undefined);
      return { live: null, answer };
    }
    this.live.remember(live);
    this.servers.used(live);
    recordSessionEvent(this.deps.audit, 'mcp.session_opened', auth.principal, {
      sessionId: id,
      client: `${initialize.clientInfo.name} ${initialize.clientInfo.version}`.trim(),
      protocolVersion: live.protocolVersion,
      instanceId: this.deps.instanceId,
    });
    return { live, answer };
  }

  /**
   * The live session for this id, if it exists and belongs to this credential;
   * null otherwise (the caller answers `Unknown session ID`). Rebuilds from the
   * store when this process does not hold it. Given `current` (the principal
   * the credential grants now), the session is held to it first.
   */
  async getSession(
    sessionId: string,
    credential: string,
    current?: Principal,
  ): Promise<LiveSession | null> {
    const live = await this.find(sessionId, credential);
    return live && current ? this.holdToRights(live, current) : live;
  }

  /**
   * A session never exceeds what its credential grants now, even when the
   * event that should have told this instance was missed: only a comparison
   * when nothing changed; otherwise the new principal is stored, applied here
   * and announced, or the session ends when the credential grants no business.
   */
  private async holdToRights(live: LiveSession, current: Principal): Promise<LiveSession | null> {
    const wanted = sessionPrincipal(live.principal, current);
    if (wanted === live.principal) return live;
    if (!wanted) {
      await this.end(live, 'no_business');
      return null;
    }
    let stored: Principal | null;
    try {
      stored = await this.deps.sessions.changePrincipal(
        live.id,
        (p) => {
          const next = sessionPrincipal(p, current);
          return next === p ? null : next;
        },
        this.deps.instanceId,
      );
    } catch (error) {
      throw storeDown(this.deps.logger, error, 'cannot update a session');
    }
    if (!stored) {
      this.live.forget(live.id);
      return null;
    }
    const before = live.principal;
    this.apply(live, stored);
    recordSessionEvent(this.deps.audit, 'mcp.session_narrowed', stored, {
      sessionId: live.id,
      role: stored.role,
      previousRole: before.role,
      scopes: stored.scopes,
      authorizedBusinessIds: stored.authorizedBusinessIds,
      instanceId: this.deps.instanceId,
    });
    // Without a stream here the session left the cache: read again now, with the new tools.
    return this.live.has(live.id) ? live : this.find(live.id, live.credential);
  }

  private async find(sessionId: string, credential: string): Promise<LiveSession | null> {
    const cached = this.live.get(sessionId);
    if (cached) {
      const refresh = this.refreshing.get(sessionId);
      // Changed elsewhere and not re-read yet: never serve the old principal.
      if (refresh) return refresh.then(() => this.find(sessionId, credential));
      if (cached.credential !== credential) return null;
      if (isExpired(cached)) {
        this.live.forget(sessionId);
        return null;
      }
      this.live.used(cached);
      return cached;
    }
    let pending = this.rebuilding.get(sessionId);
    if (!pending) {
      pending = this.rebuild(sessionId).finally(() => this.rebuilding.delete(sessionId));
      this.rebuilding.set(sessionId, pending);
    }
    const live = await pending;
    return live && live.credential === credential ? live : null;
  }

  /** DELETE /mcp: ends the session everywhere. */
  async close(live: LiveSession): Promise<void> {
    await this.end(live);
  }

  private async end(live: LiveSession, reason?: string): Promise<void> {
    this.live.forget(live.id);
    await this.deps.sessions.end(live.id);
    await this.deps.eventStores.drop(live.id).catch(() => undefined);
    recordSessionEvent(this.deps.audit, 'mcp.session_closed', live.principal, {
      sessionId: live.id,
      ...(reason ? { reason } : {}),
    });
  }

  async shutdown(): Promise<void> {
    this.unsubscribe();
    const all = this.live.clear();
    await Promise.all(all.map((l) => l.transport.close().catch(() => undefined)));
  }

  private async rebuild(sessionId: string): Promise<LiveSession | null> {
    let record: SessionRecord | null;
    try {
      record = await this.deps.store.get(sessionId);
    } catch (error) {
      throw storeDown(this.deps.logger, error, 'cannot serve an uncached session');
    }
    if (!record) return null;
    this.deps.onRebuild?.();
    const live = liveSession(record, this.deps);
    this.live.remember(live);
    live.lastTouch = 0;
    this.live.maybeTouch(live);
    return live;
  }

  private toolsOf(live: LiveSession): SessionTools {
    live.tools ??= sessionTools(live, this.deps, (l, change) => this.updatePrincipal(l, change));
    return live.tools;
  }

  /** Its SDK server, for a request the fast path does not answer or a GET stream; kept while cached. */
  serverFor(live: LiveSession): Promise<void> {
    return this.servers.serverFor(live, () => this.live.get(live.id) === live);
  }

  /** set_active_business and friends: the store (which tells the other instances), then this process. */
  private async updatePrincipal(
    live: LiveSession,
    change: (p: Principal) => Principal,
  ): Promise<Principal> {
    const next = await this.deps.sessions.changePrincipal(live.id, change, this.deps.instanceId);
    if (!next) throw notFound('Unknown session ID');
    // The directory stored it and announced it to the other instances.
    this.apply(live, next);
    return next;
  }

  /**
   * Applies a new principal to a cached session. With an open GET stream here
   * the tools, prompts and resources are re-synced in place (the client gets
   * the list_changed notifications); without one the session is dropped from
   * the cache and read again, with the new tools, on its next request.
   */
  private apply(live: LiveSession, next: Principal): void {
    live.principal = next;
    // Without a server, the one built later is built for `next`.
    if (!live.built?.differsFor(next)) return;
    if (live.transport.hasStream) live.built.syncTools(next);
    else this.live.uncache(live.id);
  }
}
