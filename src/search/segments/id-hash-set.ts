/**
 * A set of document ids kept as 64-bit hashes (two independent 32-bit halves) in an
 * open-addressing table: 16 bytes per id whatever the id's length, so duplicate-id checks
 * over hundreds of millions of documents fit a memory budget. Two different ids share a
 * 64-bit hash with probability about n²/2^65 (3e-6 for 10 million ids).
 */
export class IdHashSet {
  private high = new Uint32Array(1 << 16);
  private low = new Uint32Array(1 << 16);
  private used = new Uint8Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get byteLength(): number {
    return this.high.byteLength * 2 + this.used.byteLength;
  }

  /** Adds the id; false when it (or an id with the same 64-bit hash) was already present. */
  add(id: string): boolean {
    const [high, low] = hashPair(id);
    if (2 * (this.count + 1) > this.used.length) this.grow();
    if (!this.insert(high, low)) return false;
    this.count++;
    return true;
  }

  private insert(high: number, low: number): boolean {
    const mask = this.used.length - 1;
    for (let slot = (low ^ Math.imul(high, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      if (this.used[slot] === 0) {
        this.used[slot] = 1;
        this.high[slot] = high;
        this.low[slot] = low;
        return true;
      }
      if (this.high[slot] === high && this.low[slot] === low) return false;
    }
  }

  private grow(): void {
    const { high, low, used } = this;
    this.high = new Uint32Array(used.length * 2);
    this.low = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    for (let slot = 0; slot < used.length; slot++) if (used[slot] === 1) this.insert(high[slot]!, low[slot]!);
  }
}

/** Two 32-bit hashes of the UTF-16 code units with different multipliers and final mixing. */
function hashPair(id: string): [number, number] {
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const unit = id.charCodeAt(i);
    a = Math.imul(a ^ unit, 2654435761);
    b = Math.imul(b ^ unit, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return [a >>> 0, b >>> 0];
}
