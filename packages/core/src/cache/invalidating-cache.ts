// A small TTL cache for answers read from the database, safe against the
// race where an invalidation (revocation, deactivation) arrives while a read
// is in flight: a read that started before the last invalidation is returned
// to its caller but never stored, so it cannot bring stale access back.
export class InvalidatingCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private epoch = 0;

  private readonly ttlMs: number;
  private readonly maxEntries: number;
  constructor(ttlMs: number, maxEntries = 10_000) {
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  get(key: string, now = Date.now()): { value: V } | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    if (hit.until > now) return { value: hit.value };
    this.entries.delete(key);
    return undefined;
  }

  /** The cached value, or `load()`'s answer, stored only when no invalidation came meanwhile. */
  async getOrLoad(key: string, load: () => Promise<V>, now = Date.now()): Promise<V> {
    const hit = this.get(key, now);
    if (hit) return hit.value;
    const startedAt = this.epoch;
    const value = await load();
    if (startedAt === this.epoch && this.ttlMs > 0) {
      if (this.entries.size >= this.maxEntries)
        this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { value, until: now + this.ttlMs });
    }
    return value;
  }

  delete(key: string): void {
    this.epoch++;
    this.entries.delete(key);
  }

  deleteWhere(matches: (value: V) => boolean): void {
    this.epoch++;
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }
}
