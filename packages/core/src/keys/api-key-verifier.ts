// Verifies a presented API key (the V1 credential on /mcp): checksum first (no
// database read for a malformed key), then the SHA-256 lookup, cached briefly
// per process and dropped on every instance when the key changes.
import type { Db } from '@flowpos/db';
import { InvalidatingCache } from '../cache/invalidating-cache.ts';
import type { EventBus } from '../events.ts';
import type { Principal } from '../principal.ts';
import type { Role, Scope } from '../roles.ts';
import { keyCredentialId } from '../credential-ids.ts';
import { principalPolicy, toolPolicyOf, type ToolPolicy } from '../tools/tool-policy.ts';
import { hashApiKey, isWellFormedApiKey } from './api-key.ts';
import { keyStatus, type KeyValidity } from './key-status.ts';

export interface VerifiedKey {
  id: string;
  businessId: string;
  prefix: string;
  role: Role;
  scopes: Scope[];
  /** Absent: all (keys built by hand in tests). */
  toolPolicy?: ToolPolicy;
  expiresAt: Date | null;
}

type KeyRow = Omit<VerifiedKey, 'role' | 'scopes' | 'toolPolicy'> &
  KeyValidity & { role: string; scopes: string[]; toolPolicy: string; toolPolicyTools: string[] };

/** A stored key as the MCP endpoint acts on it (its validity is keyStatus's to say). */
export function verifiedKey(row: KeyRow): VerifiedKey & { toolPolicy: ToolPolicy } {
  return {
    id: row.id,
    businessId: row.businessId,
    prefix: row.prefix,
    role: row.role as Role,
    scopes: row.scopes as Scope[],
    toolPolicy: toolPolicyOf(row),
    expiresAt: row.expiresAt,
  };
}

export interface ApiKeyVerifierOptions {
  cacheTtlMs?: number;
  maxEntries?: number;
  /** lastUsedAt is written at most this often per key. */
  touchIntervalMs?: number;
  /** Told whether each lookup of a well-formed key was answered from the cache (metrics). */
  onCacheLookup?: (hit: boolean) => void;
}

export class ApiKeyVerifier {
  /** By hash: the key with what its validity depends on, checked again on every use. */
  private readonly cache: InvalidatingCache<(VerifiedKey & KeyValidity) | null>;
  private readonly lastTouch = new Map<string, number>();
  private readonly touchInterval: number;
  private readonly unsubscribe: () => void;
  private readonly onCacheLookup: ((hit: boolean) => void) | undefined;

  private readonly db: Db;
  constructor(db: Db, events: EventBus, options: ApiKeyVerifierOptions = {}) {
    this.db = db;
    this.cache = new InvalidatingCache(options.cacheTtlMs ?? 30_000, options.maxEntries ?? 10_000);
    this.touchInterval = options.touchIntervalMs ?? 60_000;
    this.onCacheLookup = options.onCacheLookup;
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'key.changed') this.forgetKey(event.keyId);
      if (event.type === 'resync') this.cache.clear();
    });
  }

  /** The valid key for this secret, or null (malformed, unknown, inactive, revoked or expired). */
  async verify(secret: string, now = Date.now()): Promise<VerifiedKey | null> {
    if (!isWellFormedApiKey(secret)) return null;
    const hash = hashApiKey(secret);
    let hit = true;
    const key = await this.cache.getOrLoad(
      hash,
      () => {
        hit = false;
        return this.load(hash, now);
      },
      now,
    );
    this.onCacheLookup?.(hit);
    if (!key || keyStatus(key, now) !== 'active') return null;
    this.touch(key.id, now);
    const { isActive: _active, revokedAt: _revoked, ...verified } = key;
    return verified;
  }

  forgetKey(keyId: string): void {
    this.cache.deleteWhere((key) => key?.id === keyId);
  }

  close(): void {
    this.unsubscribe();
    this.cache.clear();
  }

  private async load(hash: string, now: number): Promise<(VerifiedKey & KeyValidity) | null> {
    const row = await this.db.apiKey.findUnique({ where: { hash } });
    if (!row || keyStatus(row, now) !== 'active') return null;
    const { isActive, revokedAt } = row;
    return { ...verifiedKey(row), isActive, revokedAt };
  }

  private touch(keyId: string, now: number): void {
    const last = this.lastTouch.get(keyId) ?? 0;
    if (now - last < this.touchInterval) return;
    this.lastTouch.set(keyId, now);
    this.db.apiKey
      .update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } })
      .catch(() => {
        this.lastTouch.delete(keyId);
      });
  }
}

export function apiKeyPrincipal(key: VerifiedKey): Principal {
  return {
    kind: 'api_key',
    credentialId: keyCredentialId(key.id),
    role: key.role,
    scopes: [...key.scopes],
    authorizedBusinessIds: [key.businessId],
    activeBusinessId: key.businessId,
    apiKeyId: key.id,
    label: `${key.prefix}…`,
    ...(key.toolPolicy && principalPolicy(key.toolPolicy)),
  };
}
