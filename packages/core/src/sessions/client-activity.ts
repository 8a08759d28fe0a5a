// Sessionless (2026-07-28) MCP clients as the live view shows them. Such a
// client has no session to list: each instance records, per credential, what
// its requests' `_meta` said (client, revision), when and where it was last
// served and how many `subscriptions/listen` streams it holds open. Writes are
// throttled per credential, as a session's touch is: never one per request.
import type { Principal } from '../principal.ts';
import { storableText } from '../storable.ts';
import type { ActivityCursor } from './activity-cursor.ts';

export interface ClientActivity {
  /** `key:<id>`, `user:<id>` or `grant:<id>`. */
  credential: string;
  principal: Principal;
  client: { name: string; version: string };
  protocolVersion: string;
  lastSeenAt: number;
  instanceId: string;
  /** Open `subscriptions/listen` streams on that instance. */
  listenStreams: number;
}

export interface ClientActivityStore {
  recordClient(activity: ClientActivity): Promise<void>;
  /** Up to `count` clients seen within the idle TTL after `after`, most recently active first. */
  pageClients(after: ActivityCursor | null, count: number): Promise<ClientActivity[]>;
  deleteClient(credential: string): Promise<void>;
}

const CLIENT_INFO_KEY = 'io.modelcontextprotocol/clientInfo';
const PROTOCOL_VERSION_KEY = 'io.modelcontextprotocol/protocolVersion';

/** Client name, version and revision from a 2026 request body's `params._meta`. */
export function clientFromMeta(body: unknown): Pick<ClientActivity, 'client' | 'protocolVersion'> {
  const message = Array.isArray(body) ? body[0] : body;
  const meta = (message as { params?: { _meta?: Record<string, unknown> } } | null)?.params?._meta;
  const info = (meta?.[CLIENT_INFO_KEY] ?? {}) as { name?: unknown; version?: unknown };
  // Cut, then made storable: a cut may split a surrogate pair.
  const text = (value: unknown, fallback: string) =>
    typeof value === 'string' ? storableText(value.slice(0, 200)) : fallback;
  return {
    client: { name: text(info.name, 'unknown'), version: text(info.version, '') },
    protocolVersion: text(meta?.[PROTOCOL_VERSION_KEY], ''),
  };
}

/**
 * One per instance: remembers what it last wrote per credential and writes
 * again only when the interval passed or something shown changed.
 */
export class ClientActivityRecorder {
  private readonly written = new Map<string, { at: number; shown: string }>();
  private readonly streams = new Map<string, number>();

  private readonly store: ClientActivityStore;
  private readonly instanceId: string;
  private readonly intervalMs: number;
  constructor(store: ClientActivityStore, instanceId: string, intervalMs = 5_000) {
    this.store = store;
    this.instanceId = instanceId;
    this.intervalMs = intervalMs;
  }

  seen(
    credential: string,
    principal: Principal,
    meta: Pick<ClientActivity, 'client' | 'protocolVersion'>,
    now = Date.now(),
  ): void {
    const listenStreams = this.streams.get(credential) ?? 0;
    const shown = JSON.stringify([
      meta.client,
      meta.protocolVersion,
      listenStreams,
      principal.activeBusinessId,
    ]);
    const last = this.written.get(credential);
    if (last && last.shown === shown && now - last.at < this.intervalMs) return;
    if (this.written.size > 10_000) this.written.clear();
    this.written.set(credential, { at: now, shown });
    this.store
      .recordClient({
        credential,
        principal,
        ...meta,
        lastSeenAt: now,
        instanceId: this.instanceId,
        listenStreams,
      })
      .catch(() => undefined);
  }

  /** A listen stream opened (+1) or closed (-1) for a credential. */
  listening(credential: string, delta: 1 | -1): number {
    const next = Math.max(0, (this.streams.get(credential) ?? 0) + delta);
    if (next === 0) this.streams.delete(credential);
    else this.streams.set(credential, next);
    return next;
  }

  forget(credential: string): void {
    this.written.delete(credential);
  }
}
