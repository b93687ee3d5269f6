/** Token ids by key, holding at most `budget` tokens in all; the oldest entries are dropped first. */
export class TokenIdCache {
  private readonly entries = new Map<string, Uint32Array>();
  private tokens = 0;

  constructor(readonly budget: number) {}

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): Uint32Array | undefined {
    return this.entries.get(key);
  }

  remember(key: string, ids: Uint32Array): void {
    // A Map iterates in insertion order, so the first entries are the oldest.
    for (const [oldKey, oldIds] of this.entries) {
      if (this.tokens + ids.length <= this.budget) break;
      this.entries.delete(oldKey);
      this.tokens -= oldIds.length;
    }
    this.entries.set(key, ids);
    this.tokens += ids.length;
  }
}
