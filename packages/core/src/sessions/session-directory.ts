// Live MCP sessions as the domain sees them: who may list which, ending them,
// and rewriting their principals when a credential changes. Transports (the
// MCP endpoint, tRPC) call this; instances learn of changes through events.
import type { Actor } from '../access/actor.ts';
import type { AuditLog } from '../audit.ts';
import { authorize, authorizeIn, may, mayIn } from '../access/permissions.ts';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import type { Principal } from '../principal.ts';
import type { ActivityCursor } from './activity-cursor.ts';
import { DeferredEndings, type DeferredEndingsOptions } from './deferred-endings.ts';
import type { SessionRecord, SessionStore } from './session-record.ts';
import {
  clampLimit,
  clientCursor,
  fillPage,
  matchesFilter,
  SCAN_CHUNK,
  sessionCursor,
  type Page,
  type SessionPage,
} from './session-pages.ts';
import type { SessionFilter } from '../schemas/sessions.ts';
import { clientView, sessionView, type ClientView } from './session-views.ts';

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

  readonly store: SessionStore;
  private readonly events: EventBus;
  constructor(
    store: SessionStore,
    events: EventBus,
    options: { deferredEndings?: DeferredEndingsOptions; audit?: AuditLog } = {},
  ) {
    this.store = store;
    this.events = events;
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

  /**
   * Rewrites one session's principal in the store (atomic against other
   * writers: `change` may run again, and null from it writes nothing) and,
   * when this call changed it, tells every instance. `origin`: the instance
   * that applied the change itself already. Returns the stored principal, or
   * null when the session is gone.
   */
  async changePrincipal(
    sessionId: string,
    change: (p: Principal) => Principal | null,
    origin?: string,
  ): Promise<Principal | null> {
    let changed = false;
    const stored = await this.store.updatePrincipal(sessionId, (p) => {
      const next = change(p);
      changed = next !== null;
      return next;
    });
    if (stored && changed) await this.announceChange(sessionId, origin);
    return stored;
  }

  /**
   * Rewrites the principal of every session of a credential (scopes or
   * memberships changed): `update` returns the new principal, the same one
   * (nothing to do) or null (no business left: the session ends).
   */
  async updateForCredential(
    credential: string,
    update: (p: Principal) => Principal | null,
  ): Promise<void> {
    const ids = await this.store.idsForCredential(credential);
    for (const id of ids) {
      // Set by the callback (possibly more than once, on a retry): its last run counts.
      let outcome = 'same' as 'ended' | 'changed' | 'same';
      const stored = await this.store.updatePrincipal(id, (p) => {
        const next = update(p);
        outcome = next === null ? 'ended' : next === p ? 'same' : 'changed';
        // Ended or unchanged: nothing to write.
        return outcome === 'changed' ? next : null;
      });
      if (!stored) continue;
      if (outcome === 'ended') await this.end(id, 'no_business');
      else if (outcome === 'changed') await this.announceChange(id);
    }
  }

  /** The one place `session.changed` is published: each instance re-reads the session's principal. */
  private async announceChange(sessionId: string, origin?: string): Promise<void> {
    await this.events.publish({
      type: 'session.changed',
      sessionId,
      ...(origin === undefined ? {} : { origin }),
    });
  }
}
