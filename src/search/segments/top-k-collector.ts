/**
 * Keeps the k best (score, document) pairs: higher score first, then lower document number.
 * A binary heap with the worst kept hit on top, so `threshold` is the score a new hit must beat.
 */
export class TopKCollector {
  private readonly scores: Float64Array;
  private readonly documents: Float64Array;
  private size = 0;
  /** While full, a document scoring at most this cannot enter (later documents lose ties); -Infinity until then. */
  threshold = -Infinity;

  constructor(private readonly k: number) {
    this.scores = new Float64Array(k);
    this.documents = new Float64Array(k);
  }

  /** Offers a hit; documents must be offered in ascending order for ties to resolve by document. */
  offer(document: number, score: number): boolean {
    if (this.size < this.k) {
      this.scores[this.size] = score;
      this.documents[this.size] = document;
      this.siftUp(this.size++);
      if (this.size === this.k) this.threshold = this.scores[0]!;
      return true;
    }
    if (!this.worse(0, score, document)) return false;
    this.scores[0] = score;
    this.documents[0] = document;
    this.siftDown(0);
    this.threshold = this.scores[0]!;
    return true;
  }

  /** The hits, best first; empties the collector (the worst kept hit is taken off the heap until none is left). */
  results(): Array<{ document: number; score: number }> {
    this.threshold = -Infinity;
    const hits = new Array<{ document: number; score: number }>(this.size);
    while (this.size > 0) {
      hits[this.size - 1] = { document: this.documents[0]!, score: this.scores[0]! };
      this.size--;
      this.scores[0] = this.scores[this.size]!;
      this.documents[0] = this.documents[this.size]!;
      this.siftDown(0);
    }
    return hits;
  }

  // Is the kept hit at `slot` worse than (score, document)?
  private worse(slot: number, score: number, document: number): boolean {
    const kept = this.scores[slot]!;
    return kept < score || (kept === score && this.documents[slot]! > document);
  }

  private siftUp(slot: number): void {
    while (slot > 0) {
      const parent = (slot - 1) >> 1;
      if (this.worse(parent, this.scores[slot]!, this.documents[slot]!)) break;
      this.swap(slot, parent);
      slot = parent;
    }
  }

  private siftDown(slot: number): void {
    for (;;) {
      const left = 2 * slot + 1;
      const right = left + 1;
      let worst = slot;
      if (left < this.size && this.worse(left, this.scores[worst]!, this.documents[worst]!)) worst = left;
      if (right < this.size && this.worse(right, this.scores[worst]!, this.documents[worst]!)) worst = right;
      if (worst === slot) return;
      this.swap(slot, worst);
      slot = worst;
    }
  }

  private swap(a: number, b: number): void {
    const score = this.scores[a]!;
    const document = this.documents[a]!;
    this.scores[a] = this.scores[b]!;
    this.documents[a] = this.documents[b]!;
    this.scores[b] = score;
    this.documents[b] = document;
  }
}
