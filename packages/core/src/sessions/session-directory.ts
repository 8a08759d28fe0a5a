// Live MCP sessions as the domain sees them: who may list which, ending them,
// and rewriting their principals when a credential changes. Transports (the
// MCP endpoint, tRPC) call this; instances learn of changes through events.
import type { Actor } from '../access/actor.ts';
import { roleIn } from '../access/actor.ts';
import { forbidden, notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import type { Principal } from '../principal.ts';
import type { ClientActivity } from './client-activity.ts';
import type { SessionRecord, SessionStore } from './session-record.ts';

export interface SessionView {
  id: string;
  principal: {
    kind: Principal['kind'];
    label: string;
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
  instanceId: string;
}

/** A sessionless (2026-07-28) client, per credential. */
export interface ClientView {
  credential: string;
  principal: Pick<SessionView['principal'], 'kind' | 'label' | 'role'>;
  authKind: SessionView['authKind'];
  activeBusinessId: string;
  authorizedBusinessIds: string[];
  client: { name: string; version: string };
  protocolVersion: string;
  lastSeenAt: string;
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
}

export interface SessionPage {
  items: SessionView[];
  /** How many sessions match, beyond `limit` too. */
  total: number;
}

const AUTH_KIND_LABELS: Record<Principal['kind'], SessionView['authKind']> = {
  api_key: 'V1 key',
  token: 'V2 token',
  oauth: 'OAuth',
};

export const DEFAULT_SESSION_LIMIT = 200;
export const MAX_SESSION_LIMIT = 1000;

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
    instanceId: r.instanceId,
  };
}

export function matchesFilter(r: SessionRecord, filter: SessionFilter): boolean {
  if (filter.businessId && r.principal.activeBusinessId !== filter.businessId) return false;
  if (filter.role && r.principal.role !== filter.role) return false;
  if (filter.authKind && r.principal.kind !== filter.authKind) return false;
  return true;
}

export class SessionDirectory {
  constructor(
    readonly store: SessionStore,
    private readonly events: EventBus,
  ) {}

  /**
   * Operators see every session; merchants and tenant developers those active
   * in their businesses (DESIGN.md: developers are like merchants for sessions).
   */
  async listFor(actor: Actor, filter: SessionFilter = {}): Promise<SessionPage> {
    if (!actor.isPlatformOperator) {
      if (actor.memberships.length === 0) throw forbidden('You are not a member of any business');
      if (filter.businessId && !roleIn(actor, filter.businessId)) {
        throw forbidden('You are not a member of this business');
      }
    }
    if (actor.isPlatformOperator) return this.list(filter);
    const page = await this.list(
      filter,
      (r: SessionRecord) => roleIn(actor, r.principal.activeBusinessId) !== null,
    );
    // A session may be authorized for businesses the viewer does not belong to: no id of those leaks.
    const mine = new Set(actor.memberships.map((m) => m.businessId));
    return {
      ...page,
      items: page.items.map((view) => ({
        ...view,
        authorizedBusinessIds: view.authorizedBusinessIds.filter((id) => mine.has(id)),
      })),
    };
  }

  /** Sessionless clients, by the same rules as sessions (most recently active first). */
  async listClientsFor(actor: Actor, filter: SessionFilter = {}): Promise<ClientView[]> {
    if (!actor.isPlatformOperator && actor.memberships.length === 0) {
      throw forbidden('You are not a member of any business');
    }
    const mine = new Set(actor.memberships.map((m) => m.businessId));
    const limit = Math.min(Math.max(filter.limit ?? DEFAULT_SESSION_LIMIT, 1), MAX_SESSION_LIMIT);
    const visible = (await this.store.listClients()).filter(
      (c) =>
        (actor.isPlatformOperator || mine.has(c.principal.activeBusinessId)) &&
        (!filter.businessId || c.principal.activeBusinessId === filter.businessId) &&
        (!filter.role || c.principal.role === filter.role) &&
        (!filter.authKind || c.principal.kind === filter.authKind),
    );
    visible.sort((x, y) => y.lastSeenAt - x.lastSeenAt);
    return visible.slice(0, limit).map((c) => {
      const view = clientView(c);
      if (actor.isPlatformOperator) return view;
      // No id of a business the viewer does not belong to leaks.
      return {
        ...view,
        authorizedBusinessIds: view.authorizedBusinessIds.filter((id) => mine.has(id)),
      };
    });
  }

  /** Only the page is turned into views: with 10,000 live sessions the rest costs little. */
  async list(
    filter: SessionFilter = {},
    visible: (r: SessionRecord) => boolean = () => true,
  ): Promise<SessionPage> {
    const limit = Math.min(Math.max(filter.limit ?? DEFAULT_SESSION_LIMIT, 1), MAX_SESSION_LIMIT);
    const matching = (await this.store.list()).filter(
      (r) => visible(r) && matchesFilter(r, filter),
    );
    matching.sort((a, b) => b.lastSeenAt - a.lastSeenAt);
    return { items: matching.slice(0, limit).map(sessionView), total: matching.length };
  }

  /** Operators end any session; merchants those active in their business. */
  async endFor(actor: Actor, sessionId: string): Promise<void> {
    const record = await this.store.get(sessionId);
    if (!record) throw notFound('Session not found');
    if (
      !actor.isPlatformOperator &&
      roleIn(actor, record.principal.activeBusinessId) !== 'merchant'
    ) {
      throw notFound('Session not found');
    }
    await this.end(sessionId);
  }

  async end(sessionId: string): Promise<boolean> {
    const existed = await this.store.delete(sessionId);
    await this.events.publish({ type: 'session.ended', sessionId });
    return existed;
  }

  async endForCredential(credential: string): Promise<number> {
    const ids = await this.store.idsForCredential(credential);
    await Promise.all(ids.map((id) => this.end(id)));
    return ids.length;
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
      if (ended) await this.end(id);
      else await this.events.publish({ type: 'session.changed', sessionId: id });
    }
  }
}
