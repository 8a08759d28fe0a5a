// The limits that apply to a credential in a business, kept in memory: the
// per-minute throttle and the daily caps read them on every call, so a
// credential's limits are read from the database once (then every 30 s at
// most) and dropped on every instance when a merchant changes them
// (`limits.changed`) or the key changes (`key.changed`).
import type { Db } from '@flowpos/db';
import { InvalidatingCache } from '../cache/invalidating-cache.ts';
import { parseCredentialId } from '../credential-ids.ts';
import type { EventBus } from '../events.ts';
import { familyOf } from '../keys/key-family.ts';
import {
  effectiveLimits,
  LIMIT_SELECT,
  NO_LIMITS,
  pickLimits,
  type LimitValues,
} from './limit-values.ts';

export interface CredentialLimitSet {
  credential: string;
  businessId: string;
  /**
   * What the daily caps are counted under: the credential, or for a rolled
   * key its first secret's id (every secret of one key spends the same caps,
   * so rolling does not start the day afresh).
   */
  counter: string;
  /** The business's zone and currency: what a cap's day and amount mean. */
  timeZone: string;
  currency: string;
  /** The credential's own overrides (all null for a V2 token, which has none). */
  own: LimitValues;
  defaults: LimitValues;
  /** Own when set, else the business default. */
  effective: LimitValues;
}

const BUSINESS_SELECT = { ...LIMIT_SELECT, timeZone: true, currency: true } as const;

export class CredentialLimits {
  private readonly cache: InvalidatingCache<CredentialLimitSet>;
  private readonly unsubscribe: () => void;

  private readonly db: Db;
  constructor(db: Db, events: EventBus, ttlMs = 30_000) {
    this.db = db;
    this.cache = new InvalidatingCache(ttlMs, 20_000);
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'limits.changed')
        this.cache.deleteWhere((e) => e.businessId === event.businessId);
      else if (event.type === 'key.changed')
        this.cache.deleteWhere((e) => e.credential === `key:${event.keyId}`);
      else if (event.type === 'resync') this.cache.clear();
    });
  }

  /** The cached set, without waiting: undefined when it must be loaded. */
  peek(credential: string, businessId: string): CredentialLimitSet | undefined {
    return this.cache.get(`${credential}|${businessId}`)?.value;
  }

  /** The set from the cache, else from the database (one read). */
  get(credential: string, businessId: string): Promise<CredentialLimitSet> {
    const hit = this.peek(credential, businessId);
    if (hit) return Promise.resolve(hit);
    return this.cache.getOrLoad(`${credential}|${businessId}`, () =>
      this.load(credential, businessId),
    );
  }

  close(): void {
    this.unsubscribe();
    this.cache.clear();
  }

  /** `key:<id>` of the oldest row of the key the row `keyId` belongs to (itself if never rolled). */
  private async firstSecret(keyId: string, businessId: string): Promise<string> {
    const links = await this.db.apiKey.findMany({
      where: { businessId },
      select: { id: true, replacedById: true },
    });
    const family = familyOf(links, keyId);
    const successors = new Set(
      links.filter((l) => family.includes(l.id)).map((l) => l.replacedById),
    );
    return `key:${family.find((id) => !successors.has(id)) ?? keyId}`;
  }

  private async load(credential: string, businessId: string): Promise<CredentialLimitSet> {
    const ref = parseCredentialId(credential);
    let own = NO_LIMITS;
    let business: (LimitValues & { timeZone: string; currency: string }) | null = null;
    if (ref?.kind === 'key' || ref?.kind === 'grant') {
      const where = {
        where: { id: ref.id },
        select: { ...LIMIT_SELECT, businessId: true, business: { select: BUSINESS_SELECT } },
      };
      const row =
        ref.kind === 'key'
          ? await this.db.apiKey.findUnique(where)
          : await this.db.oAuthGrant.findUnique(where);
      // A key or grant acts in its own business only; elsewhere it has no override.
      if (row && row.businessId === businessId) {
        own = pickLimits(row);
        business = row.business;
      }
    }
    business ??= await this.db.business.findUnique({
      where: { id: businessId },
      select: BUSINESS_SELECT,
    });
    const defaults = business ? pickLimits(business) : NO_LIMITS;
    const counter = ref?.kind === 'key' ? await this.firstSecret(ref.id, businessId) : credential;
    return {
      credential,
      businessId,
      counter,
      timeZone: business?.timeZone ?? 'UTC',
      currency: business?.currency ?? 'USD',
      own,
      defaults,
      effective: effectiveLimits(own, defaults),
    };
  }
}
