// What the shared session store keeps for an MCP session: enough to serve it
// from any instance (principal, the client's initialize params, owner) and to
// show it to operators.
import type { Principal } from '../principal.ts';
import type { ActivityCursor } from './activity-cursor.ts';
import type { ClientActivity, ClientActivityStore } from './client-activity.ts';

export interface StoredInitialize {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string; [k: string]: unknown };
}

export interface SessionRecord {
  id: string;
  principal: Principal;
  /** The credential that opened it (`key:<id>`, `user:<id>` or `grant:<id>`); only it may use the session. */
  credential: string;
  initialize: StoredInitialize;
  createdAt: number;
  lastSeenAt: number;
  /** The instance that last served a request for it. */
  instanceId: string;
  /** When the credential that opened it expires (epoch ms): the session ends then, everywhere. */
  expiresAt?: number | undefined;
}

export interface SessionStore extends ClientActivityStore {
  readonly kind: 'redis' | 'database' | 'memory';
  readonly idleTtlMs: number;
  create(record: SessionRecord): Promise<void>;
  get(id: string): Promise<SessionRecord | null>;
  /**
   * Read-modify-write of the principal, atomic against other writers on any
   * instance: `change` sees the stored principal and may be called again if
   * another writer got there first. `null` from `change` writes nothing.
   * Returns the stored principal, or null when the session does not exist.
   */
  updatePrincipal(
    id: string,
    change: (principal: Principal) => Principal | null,
  ): Promise<Principal | null>;
  /**
   * Slides the TTL and records when and where it was last served; given the
   * session's credential, that credential's index of sessions slides with it.
   */
  touch(id: string, instanceId: string, now: number, credential?: string): Promise<void>;
  delete(id: string): Promise<boolean>;
  /**
   * Up to `count` live sessions after `after`, most recently active first
   * (activity-cursor.ts): callers page through the store, never load it whole.
   */
  page(after: ActivityCursor | null, count: number): Promise<SessionRecord[]>;
  idsForCredential(credential: string): Promise<string[]>;
  /**
   * How many sessions a credential's index holds, without reading them: at
   * least its live sessions (an index may still count some that expired).
   */
  countForCredential(credential: string): Promise<number>;
  /**
   * Sessionless (2026-07-28) clients: the business a credential last chose
   * with set_active_business, kept per credential (sliding idle TTL).
   */
  getActiveBusiness(credential: string): Promise<string | null>;
  setActiveBusiness(credential: string, businessId: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A principal as a store kept it, in the shape this version uses. Records
 * written before `subject` was renamed `credentialId` are still in Redis and
 * the database after a rolling deploy: they are read as if written now.
 */
export function storedPrincipal(stored: Principal): Principal {
  const { subject, ...rest } = stored as Principal & { subject?: string };
  if ((rest.credentialId as string | undefined) !== undefined || subject === undefined) return rest;
  return { ...rest, credentialId: subject };
}

/**
 * A principal as the stores write it: with `subject` besides `credentialId`,
 * because instances of the older version, still serving during a rolling
 * deploy, read only `subject`. Drop once no such instance can run.
 */
export function principalToStore(principal: Principal): Principal & { subject: string } {
  return { ...principal, subject: principal.credentialId };
}

/** A session record read from a store (JSON), its principal in this version's shape. */
export function storedSessionRecord(record: SessionRecord): SessionRecord {
  return { ...record, principal: storedPrincipal(record.principal) };
}

/** A sessionless client's record read from a store (JSON), its principal in this version's shape. */
export function storedClientActivity(activity: ClientActivity): ClientActivity {
  return { ...activity, principal: storedPrincipal(activity.principal) };
}

export function credentialOf(principal: Principal): string {
  return principal.credentialId;
}
