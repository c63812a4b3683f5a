/**
 * Records kept per container for a while, the authorizer's caches: a key's or a tenant's record is
 * read again once `ttlMs` has passed since it was read, so a change (a revoked key, a suspended
 * tenant) is seen within that time. At most `maxEntries` are kept; the oldest read leaves first.
 */
export class TtlCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<T>): Promise<T> {
    const entry = this.entries.get(key);
    if (entry && entry.until > this.now()) return entry.value;
    const value = await load();
    this.set(key, value);
    return value;
  }

  set(key: string, value: T): void {
    this.entries.delete(key);
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
