// V2 principals by user, cached briefly per process and dropped on every
// instance when the user's memberships change (`user.changed`).
import { isAppError, resolveUserPrincipal, type EventBus, type Principal } from '@flowpos/core';
import type { Db } from '@flowpos/db';

export class UserPrincipals {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly db: Db,
    events: EventBus,
    private readonly ttlMs = 30_000,
  ) {
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'user.changed') this.cache.delete(event.userId);
      if (event.type === 'resync') this.cache.clear();
    });
  }

  /** The user's principal, or null when they have no active membership left. */
  async get(userId: string, now = Date.now()): Promise<Principal | null> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > now) return hit.principal;
    let principal: Principal | null;
    try {
      principal = await resolveUserPrincipal(this.db, userId);
    } catch (error) {
      if (!isAppError(error)) throw error;
      principal = null;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(userId, { principal, until: now + this.ttlMs });
    return principal;
  }

  close(): void {
    this.unsubscribe();
  }
}
