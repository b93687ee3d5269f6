/**
 * An open-addressing hash table from words to numbers, looked up by a range of a longer string
 * and that range's hash (see hashWord), so indexing makes no string for a word it has seen:
 * most words of a corpus are repeats, and slicing and hashing a string per word was the largest
 * cost of analysis.
 */
export class WordTable {
  private words: string[] = [];
  private hashes = new Int32Array(0);
  private values = new Int32Array(0);
  /** Per slot: index into words, or -1. */
  private slots = new Int32Array(1 << 12).fill(-1);

  /** The number stored for text[start..end), or undefined. */
  get(text: string, start: number, end: number, hash: number): number | undefined {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]!;
      if (entry < 0) return undefined;
      if (this.hashes[entry] !== hash) continue;
      const word = this.words[entry]!;
      if (word.length !== length) continue;
      let same = true;
      for (let i = 0; i < length && same; i++) same = word.charCodeAt(i) === text.charCodeAt(start + i);
      if (same) return this.values[entry]!;
    }
  }

  /** Stores `value` for `word` (not yet present), whose hash is `hash`. */
  set(word: string, hash: number, value: number): void {
    const entry = this.words.length;
    if (entry === this.hashes.length) this.growEntries();
    this.words.push(word);
    this.hashes[entry] = hash;
    this.values[entry] = value;
    // Kept at most half full so probe runs stay short.
    if ((entry + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (this.slots[slot]! >= 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    for (let entry = 0; entry < this.words.length; entry++) this.place(entry);
  }

  private growEntries(): void {
    const capacity = Math.max(1024, this.hashes.length * 2);
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes);
    const values = new Int32Array(capacity);
    values.set(this.values);
    this.hashes = hashes;
    this.values = values;
  }
}
