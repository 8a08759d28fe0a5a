// Sessions of a credential that must end while the session store cannot be
// reached (Redis down): the credential is refused already (its record in
// PostgreSQL says so), so nobody waits for this, but its sessions must not
// outlive the outage in the store. Each is retried, with a growing pause,
// until the store answers.

export interface DeferredEndingsOptions {
  /** The first pause before a retry (default 500 ms); doubled after each failure. */
  firstDelayMs?: number;
  /** The longest pause between retries (default 30 s). */
  maxDelayMs?: number;
  /**
   * Credentials waiting at most (default 10,000): beyond, the oldest is given
   * up (its sessions then end by their idle TTL). Said through `onError`.
   */
  maxPending?: number;
  /** Told of each failed attempt (logs). */
  onError?: (error: unknown, credential: string) => void;
}

export class DeferredEndings {
  private readonly pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delayMs: number;
  private readonly firstDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxPending: number;

  private readonly end: (credential: string) => Promise<unknown>;
  private readonly options: DeferredEndingsOptions;
  constructor(end: (credential: string) => Promise<unknown>, options: DeferredEndingsOptions = {}) {
    this.end = end;
    this.options = options;
    this.firstDelayMs = options.firstDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxPending = options.maxPending ?? 10_000;
    this.delayMs = this.firstDelayMs;
  }

  /** Credentials whose sessions still wait to be ended. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Ends the credential's sessions now, or later when the store fails; never rejects. */
  async endNowOrLater(credential: string): Promise<void> {
    try {
      await this.end(credential);
    } catch (error) {
      this.options.onError?.(error, credential);
      this.defer(credential);
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private defer(credential: string): void {
    this.pending.delete(credential);
    this.pending.add(credential);
    if (this.pending.size > this.maxPending) {
      const oldest = this.pending.values().next().value as string;
      this.pending.delete(oldest);
      this.options.onError?.(new Error('too many deferred session endings: one given up'), oldest);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      // retry() handles each failure itself; this only keeps a throwing onError from escaping.
      this.retry().catch(() => undefined);
    }, this.delayMs);
    // Waiting endings do not keep a stopping process alive.
    this.timer.unref?.();
  }

  private async retry(): Promise<void> {
    this.timer = undefined;
    for (const credential of [...this.pending]) {
      try {
        await this.end(credential);
        this.pending.delete(credential);
      } catch (error) {
        this.options.onError?.(error, credential);
        // Still unreachable: wait longer before the next round.
        this.delayMs = Math.min(this.delayMs * 2, this.maxDelayMs);
        this.schedule();
        return;
      }
    }
    this.delayMs = this.firstDelayMs;
  }
}
