// V2 principals by user, cached briefly per process and dropped on every
// instance when the user's memberships change or they are signed out
// everywhere (`user.changed`). A change that lands while a read is in flight
// is never overwritten by that read (InvalidatingCache).
import {
  InvalidatingCache,
  isAppError,
  loadActorByUserId,
  principalOfActor,
  type EventBus,
  type Principal,
} from '@flowpos/core';
import type { Db } from '@flowpos/db';

export interface UserAccess {
  /** Null when the user has no active membership left (or no longer exists). */
  principal: Principal | null;
  /** Tokens of another generation were signed out. */
  tokenGeneration: number;
}

export class UserPrincipals {
  private readonly cache: InvalidatingCache<UserAccess>;
  private readonly unsubscribe: () => void;

  private readonly db: Db;
  constructor(db: Db, events: EventBus, ttlMs = 30_000) {
    this.db = db;
    this.cache = new InvalidatingCache(ttlMs);
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'user.changed') this.cache.delete(event.userId);
      if (event.type === 'resync') this.cache.clear();
    });
  }

  /** The user's principal, or null when they have no active membership left. */
  async get(userId: string, now = Date.now()): Promise<Principal | null> {
    return (await this.access(userId, now)).principal;
  }

  async access(userId: string, now = Date.now()): Promise<UserAccess> {
    return this.cache.getOrLoad(userId, () => this.load(userId), now);
  }

  close(): void {
    this.unsubscribe();
  }

  private async load(userId: string): Promise<UserAccess> {
    try {
      const actor = await loadActorByUserId(this.db, userId);
      let principal: Principal | null;
      try {
        principal = await principalOfActor(this.db, actor);
      } catch (error) {
        if (!isAppError(error)) throw error;
        principal = null;
      }
      return { principal, tokenGeneration: actor.tokenGeneration };
    } catch (error) {
      if (!isAppError(error)) throw error;
      return { principal: null, tokenGeneration: -1 };
    }
  }
}
