// Live MCP sessions as the domain sees them: who may list which, ending them,
// and rewriting their principals when a credential changes. Transports (the
// MCP endpoint, tRPC) call this; instances learn of changes through events.
import type { Actor } from '../access/actor.ts';
import type { AuditLog } from '../audit.ts';
import { authorize, authorizeIn, may, mayIn } from '../access/permissions.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import type { Principal } from '../principal.ts';
import { decodeCursor, encodeCursor, type ActivityCursor } from './activity-cursor.ts';
import { activityState, type ActivityState } from './activity-state.ts';
import type { ClientActivity } from './client-activity.ts';
import { DeferredEndings, type DeferredEndingsOptions } from './deferred-endings.ts';
import type { SessionRecord, SessionStore } from './session-record.ts';

export interface SessionView {
  id: string;
  principal: {
    kind: Principal['kind'];
    label: string;
    /** API keys: the prefix, when `label` is the key's name (key-names.ts). */
    keyPrefix?: string;
    role: Principal['role'];
    subject: string;
    scopes: string[];
  };
  authKind: 'V1 key' | 'V2 token' | 'OAuth';
  activeBusinessId: string;
  authorizedBusinessIds: string[];
  client: { name: string; version: string };
  protocolVersion: string;
  createdAt: string;
  lastSeenAt: string;
  /** Active: a request within ACTIVE_WINDOW_MS; idle: resumable until its idle TTL. */
  activity: ActivityState;
  instanceId: string;
}

/** A sessionless (2026-07-28) client, per credential. */
export interface ClientView {
  credential: string;
  principal: Pick<SessionView['principal'], 'kind' | 'label' | 'role' | 'keyPrefix'>;
  authKind: SessionView['authKind'];
  activeBusinessId: string;
  authorizedBusinessIds: string[];
  client: { name: string; version: string };
  protocolVersion: string;
  lastSeenAt: string;
  /** Active: a request within ACTIVE_WINDOW_MS or a listen stream open. */
  activity: ActivityState;
  instanceId: string;
  listenStreams: number;
}

export function clientView(c: ClientActivity): ClientView {
  return {
    credential: c.credential,
    principal: { kind: c.principal.kind, label: c.principal.label, role: c.principal.role },
    authKind: AUTH_KIND_LABELS[c.principal.kind],
    activeBusinessId: c.principal.activeBusinessId,
    authorizedBusinessIds: c.principal.authorizedBusinessIds,
    client: c.client,
    protocolVersion: c.protocolVersion,
    lastSeenAt: new Date(c.lastSeenAt).toISOString(),
    activity: activityState(c.lastSeenAt, c.listenStreams),
    instanceId: c.instanceId,
    listenStreams: c.listenStreams,
  };
}

export interface SessionFilter {
  businessId?: string | undefined;
  role?: Principal['role'] | undefined;
  authKind?: Principal['kind'] | undefined;
  /** At most this many, most recently active first (default 200). */
  limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null when the store has no more. */
  nextCursor: string | null;
}

export type SessionPage = Page<SessionView>;

const AUTH_KIND_LABELS: Record<Principal['kind'], SessionView['authKind']> = {
  api_key: 'V1 key',
  token: 'V2 token',
  oauth: 'OAuth',
};

export const DEFAULT_SESSION_LIMIT = 200;
export const MAX_SESSION_LIMIT = 1000;
/** Records read from the store per round trip while a page fills. */
const SCAN_CHUNK = 250;
/**
 * Records one call reads at most: a filter few sessions match answers with
 * what it found so far and a cursor to go on from, instead of reading the store whole.
 */
export const MAX_SCANNED_PER_PAGE = 5_000;

const clampLimit = (limit: number | undefined) =>
  Math.min(Math.max(limit ?? DEFAULT_SESSION_LIMIT, 1), MAX_SESSION_LIMIT);

/**
 * Fills one page from a store read chunk by chunk in recency order: keeps what
 * `keep` accepts, stops at `limit` kept or MAX_SCANNED_PER_PAGE read.
 */
async function fillPage<R>(
  read: (after: ActivityCursor | null, count: number) => Promise<R[]>,
  cursorOf: (record: R) => ActivityCursor,
  keep: (record: R) => boolean,
  limit: number,
  cursor: string | undefined,
): Promise<Page<R>> {
  let after = cursor ? decodeCursor(cursor) : null;
  const items: R[] = [];
  for (let scanned = 0; scanned < MAX_SCANNED_PER_PAGE;) {
    const chunk = await read(after, SCAN_CHUNK);
    scanned += chunk.length;
    for (const [i, record] of chunk.entries()) {
      after = cursorOf(record);
      if (!keep(record)) continue;
      items.push(record);
      if (items.length === limit) {
        const last = chunk.length < SCAN_CHUNK && i === chunk.length - 1;
        return { items, nextCursor: last ? null : encodeCursor(after) };
      }
    }
    if (chunk.length < SCAN_CHUNK) return { items, nextCursor: null };
  }
  return { items, nextCursor: after ? encodeCursor(after) : null };
}

const sessionCursor = (r: SessionRecord): ActivityCursor => ({
  lastSeenAt: r.lastSeenAt,
  key: r.id,
});
const clientCursor = (c: ClientActivity): ActivityCursor => ({
  lastSeenAt: c.lastSeenAt,
  key: c.credential,
});

export function sessionView(r: SessionRecord): SessionView {
  return {
    id: r.id,
    principal: {
      kind: r.principal.kind,
      label: r.principal.label,
      role: r.principal.role,
      subject: r.principal.subject,
      scopes: r.principal.scopes,
    },
    authKind: AUTH_KIND_LABELS[r.principal.kind],
    activeBusinessId: r.principal.activeBusinessId,
    authorizedBusinessIds: r.principal.authorizedBusinessIds,
    client: {
      name: String(r.initialize.clientInfo?.name ?? 'unknown'),
      version: String(r.initialize.clientInfo?.version ?? ''),
    },
    protocolVersion: r.initialize.protocolVersion,
    createdAt: new Date(r.createdAt).toISOString(),
    lastSeenAt: new Date(r.lastSeenAt).toISOString(),
    activity: activityState(r.lastSeenAt),
    instanceId: r.instanceId,
  };
}

function matchesFilter(r: { principal: Principal }, filter: SessionFilter): boolean {
  if (filter.businessId && r.principal.activeBusinessId !== filter.businessId) return false;
  if (filter.role && r.principal.role !== filter.role) return false;
  if (filter.authKind && r.principal.kind !== filter.authKind) return false;
  return true;
}

/**
 * A session or client may be authorized for businesses the viewer does not
 * belong to: no id of those leaks to a viewer who may not see every session.
 */
function withoutOthers<V extends { authorizedBusinessIds: string[] }>(actor: Actor, view: V): V {
  return {
    ...view,
    authorizedBusinessIds: view.authorizedBusinessIds.filter((id) =>
      mayIn(actor, id, 'seeSessions'),
    ),
  };
}

/**
 * What a viewer may list, sessions and sessionless clients alike: everything
 * (operators), or what is active in a business they may see sessions of.
 */
function viewerScope(actor: Actor, filter: SessionFilter) {
  authorize(actor, 'seeSessions');
  if (filter.businessId) authorizeIn(actor, filter.businessId, 'seeSessions');
  const all = may(actor, 'seeAllSessions');
  return {
    visible: (r: { principal: Principal }) =>
      all || mayIn(actor, r.principal.activeBusinessId, 'seeSessions'),
    shown: <V extends { authorizedBusinessIds: string[] }>(views: V[]) =>
      all ? views : views.map((view) => withoutOthers(actor, view)),
  };
}

/**
 * Why a session was ended from outside its own transport, as audited
 * (`mcp.session_closed` with `reason`): what diagnose reads back later.
 */
export type SessionEndReason =
  'ended_by_operator' | 'ended_by_member' | 'credential_revoked' | 'no_business';

export class SessionDirectory {
  private readonly deferred: DeferredEndings;
  private readonly audit: AuditLog | undefined;
  private readonly onEndFailed: ((error: unknown, credential: string) => void) | undefined;

  constructor(
    readonly store: SessionStore,
    private readonly events: EventBus,
    options: { deferredEndings?: DeferredEndingsOptions; audit?: AuditLog } = {},
  ) {
    this.audit = options.audit;
    this.onEndFailed = options.deferredEndings?.onError;
    this.deferred = new DeferredEndings(
      (credential) => this.endForCredential(credential),
      options.deferredEndings,
    );
  }

  /**
   * Operators see every session; merchants and tenant developers those active
   * in their businesses (DESIGN.md: developers are like merchants for sessions).
   */
  async listFor(actor: Actor, filter: SessionFilter = {}): Promise<SessionPage> {
    const scope = viewerScope(actor, filter);
    const page = await this.list(filter, scope.visible);
    return { ...page, items: scope.shown(page.items) };
  }

  /** Sessionless clients, by the same rules as sessions (most recently active first). */
  async listClientsFor(actor: Actor, filter: SessionFilter = {}): Promise<Page<ClientView>> {
    const scope = viewerScope(actor, filter);
    const page = await fillPage(
      (after, count) => this.store.pageClients(after, count),
      clientCursor,
      (c) => scope.visible(c) && matchesFilter(c, filter),
      clampLimit(filter.limit),
      filter.cursor,
    );
    return { nextCursor: page.nextCursor, items: scope.shown(page.items.map(clientView)) };
  }

  /** One page of sessions (only the page is turned into views). */
  async list(
    filter: SessionFilter = {},
    visible: (r: SessionRecord) => boolean = () => true,
  ): Promise<SessionPage> {
    const page = await fillPage(
      (after, count) => this.store.page(after, count),
      sessionCursor,
      (r) => visible(r) && matchesFilter(r, filter),
      clampLimit(filter.limit),
      filter.cursor,
    );
    return { items: page.items.map(sessionView), nextCursor: page.nextCursor };
  }

  /** Live sessions per active business, read page by page (operators' business list). */
  async countByBusiness(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    let after: ActivityCursor | null = null;
    for (;;) {
      const chunk = await this.store.page(after, SCAN_CHUNK);
      for (const r of chunk) {
        const id = r.principal.activeBusinessId;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const last = chunk.at(-1);
      if (!last || chunk.length < SCAN_CHUNK) return counts;
      after = sessionCursor(last);
    }
  }

  /** Operators end any session; merchants those active in their business. */
  async endFor(actor: Actor, sessionId: string): Promise<void> {
    const record = await this.store.get(sessionId);
    if (!record) throw notFound('Session not found');
    // Not one's to end: as if it did not exist.
    if (!mayIn(actor, record.principal.activeBusinessId, 'endSessions')) {
      throw notFound('Session not found');
    }
    const reason = actor.isPlatformOperator ? 'ended_by_operator' : 'ended_by_member';
    await this.end(sessionId, reason, record);
  }

  /**
   * Ends a session everywhere. Given a reason, the ending is audited with it
   * (the session's own transport audits a client's DELETE itself).
   */
  async end(sessionId: string, reason?: SessionEndReason, known?: SessionRecord): Promise<boolean> {
    const record = reason && this.audit ? (known ?? (await this.store.get(sessionId))) : null;
    const existed = await this.store.delete(sessionId);
    await this.events.publish({ type: 'session.ended', sessionId });
    if (record && existed) {
      this.audit?.record({
        businessId: record.principal.activeBusinessId,
        action: 'mcp.session_closed',
        outcome: 'success',
        actorKind: record.principal.kind,
        actorId: record.credential,
        details: { sessionId, reason },
      });
    }
    return existed;
  }

  async endForCredential(
    credential: string,
    reason: SessionEndReason = 'credential_revoked',
  ): Promise<number> {
    const ids = await this.store.idsForCredential(credential);
    await Promise.all(ids.map((id) => this.end(id, reason)));
    // Its sessionless (2026) clients' listen streams are checked again, and closed, on every instance.
    await this.events.publish({ type: 'credential.changed', credential });
    return ids.length;
  }

  /**
   * For a credential already refused everywhere (revoked in the database):
   * its sessions end now, or as soon as the session store answers again.
   * Never rejects, so a store outage cannot fail (or crash) the revocation.
   */
  endForCredentialEventually(credential: string): Promise<void> {
    return this.deferred.endNowOrLater(credential);
  }

  /**
   * An authentic credential that grants no business any more (its user's last
   * membership deactivated, its grant's business gone) is refused, and its
   * sessions end on every instance. Never rejects: the caller is refusing a
   * request and does not wait; should the store fail, the credential's next
   * request (refused again) tries again, else the idle TTL ends them.
   */
  endForCredentialWithoutBusiness(credential: string): void {
    this.endForCredential(credential, 'no_business').catch((error: unknown) =>
      this.onEndFailed?.(error, credential),
    );
  }

  /** Stops retrying deferred endings (shutdown). */
  close(): void {
    this.deferred.close();
  }

  /** Rewrites the principal of every session of a credential (scopes or memberships changed). */
  async updateForCredential(
    credential: string,
    update: (p: Principal) => Principal | null,
  ): Promise<void> {
    const ids = await this.store.idsForCredential(credential);
    for (const id of ids) {
      let ended = false;
      const stored = await this.store.updatePrincipal(id, (p) => {
        const next = update(p);
        ended = next === null;
        return next;
      });
      if (!stored) continue;
      if (ended) await this.end(id, 'no_business');
      else await this.events.publish({ type: 'session.changed', sessionId: id });
    }
  }
}
