// Verifies a presented API key (the V1 credential on /mcp): checksum first (no
// database read for a malformed key), then the SHA-256 lookup, cached briefly
// per process and dropped on every instance when the key changes.
import type { Db } from '@flowpos/db';
import type { EventBus } from '../events.ts';
import type { Principal } from '../principal.ts';
import type { Role, Scope } from '../roles.ts';
import { hashApiKey, isWellFormedApiKey } from './api-key.ts';
import { keyStatus } from './api-key-service.ts';

export interface VerifiedKey {
  id: string;
  businessId: string;
  prefix: string;
  role: Role;
  scopes: Scope[];
  expiresAt: Date | null;
}

interface CacheEntry {
  key: VerifiedKey | null;
  until: number;
}

export interface ApiKeyVerifierOptions {
  cacheTtlMs?: number;
  maxEntries?: number;
  /** lastUsedAt is written at most this often per key. */
  touchIntervalMs?: number;
}

export class ApiKeyVerifier {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastTouch = new Map<string, number>();
  private readonly ttl: number;
  private readonly maxEntries: number;
  private readonly touchInterval: number;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Db,
    events: EventBus,
    options: ApiKeyVerifierOptions = {},
  ) {
    this.ttl = options.cacheTtlMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.touchInterval = options.touchIntervalMs ?? 60_000;
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'key.changed') this.forgetKey(event.keyId);
      if (event.type === 'resync') this.cache.clear();
    });
  }

  /** The valid key for this secret, or null (malformed, unknown, inactive, revoked or expired). */
  async verify(secret: string, now = Date.now()): Promise<VerifiedKey | null> {
    if (!isWellFormedApiKey(secret)) return null;
    const hash = hashApiKey(secret);
    const cached = this.cache.get(hash);
    let key: VerifiedKey | null;
    if (cached && cached.until > now) {
      key = cached.key;
    } else {
      key = await this.load(hash, now);
      if (this.cache.size >= this.maxEntries)
        this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(hash, { key, until: now + this.ttl });
    }
    if (!key) return null;
    if (key.expiresAt && key.expiresAt.getTime() <= now) return null;
    this.touch(key.id, now);
    return key;
  }

  forgetKey(keyId: string): void {
    for (const [hash, entry] of this.cache) {
      if (entry.key?.id === keyId) this.cache.delete(hash);
    }
  }

  close(): void {
    this.unsubscribe();
    this.cache.clear();
  }

  private async load(hash: string, now: number): Promise<VerifiedKey | null> {
    const row = await this.db.apiKey.findUnique({ where: { hash } });
    if (!row || keyStatus(row, new Date(now)) !== 'active') return null;
    return {
      id: row.id,
      businessId: row.businessId,
      prefix: row.prefix,
      role: row.role as Role,
      scopes: row.scopes as Scope[],
      expiresAt: row.expiresAt,
    };
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
    subject: `key:${key.id}`,
    role: key.role,
    scopes: [...key.scopes],
    authorizedBusinessIds: [key.businessId],
    activeBusinessId: key.businessId,
    apiKeyId: key.id,
    label: `${key.prefix}…`,
  };
}
