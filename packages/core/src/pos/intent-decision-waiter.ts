// Waits, for a bounded time, for a merchant's decision on one intent. The
// decision is written to the database by whichever instance served the
// console; it is announced on the event bus (Redis pub/sub across instances),
// which wakes the waiter at once, and the store is read again every `pollMs`
// in case an announcement was lost. The store's row is the only truth.
import type { Db } from '@flowpos/db';
import { notFound } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { intentView, type IntentView } from './intents.ts';

export class IntentDecisionWaiter {
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly unsubscribe: () => void;

  private readonly db: Db;
  private readonly pollMs: number;
  constructor(db: Db, events: EventBus, pollMs = 1_000) {
    this.db = db;
    this.pollMs = pollMs;
    this.unsubscribe = events.subscribe((event) => {
      if (event.type === 'intent.decided') this.wake(event.intentId);
      else if (event.type === 'resync') for (const id of [...this.wakers.keys()]) this.wake(id);
    });
  }

  /** The intent as soon as it is no longer pending, or as it is when `ms` ran out or `signal` aborted. */
  async wait(
    businessId: string,
    intentId: string,
    ms: number,
    signal: AbortSignal,
  ): Promise<IntentView> {
    const deadline = Date.now() + ms;
    for (;;) {
      // Listening before reading: a decision between the read and the sleep still wakes us.
      const woken = this.nextWake(intentId);
      try {
        const intent = await this.read(businessId, intentId);
        const left = deadline - Date.now();
        if (intent.status !== 'pending' || left <= 0 || signal.aborted) return intent;
        await woken.until(Math.min(left, this.pollMs), signal);
      } finally {
        woken.cancel();
      }
    }
  }

  close(): void {
    this.unsubscribe();
    for (const id of [...this.wakers.keys()]) this.wake(id);
  }

  private async read(businessId: string, intentId: string): Promise<IntentView> {
    const row = await this.db.intent.findFirst({ where: { id: intentId, businessId } });
    if (!row) throw notFound('Intent not found in this business');
    return intentView(row);
  }

  private wake(intentId: string): void {
    const set = this.wakers.get(intentId);
    this.wakers.delete(intentId);
    for (const wake of set ?? []) wake();
  }

  private nextWake(intentId: string) {
    let wake = () => {};
    const woken = new Promise<void>((resolve) => (wake = resolve));
    let set = this.wakers.get(intentId);
    if (!set) this.wakers.set(intentId, (set = new Set()));
    set.add(wake);
    return {
      until: (ms: number, signal: AbortSignal) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          signal.addEventListener('abort', done, { once: true });
          void woken.then(done);
          function done() {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          }
        }),
      cancel: () => {
        const current = this.wakers.get(intentId);
        current?.delete(wake);
        if (current?.size === 0) this.wakers.delete(intentId);
        wake();
      },
    };
  }
}
