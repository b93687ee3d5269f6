import { BLOCK_SIZE } from "./segment-parts.js";

/** A byte buffer that grows by doubling. */
export class GrowableBytes {
  bytes: Uint8Array;
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.bytes = new Uint8Array(initialCapacity);
  }

  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  /** Appends an unsigned integer < 2^32 as LEB128 (7 bits per byte). */
  writeVarint(value: number): void {
    this.ensure(5);
    const bytes = this.bytes;
    let length = this.length;
    while (value >= 0x80) {
      bytes[length++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    bytes[length++] = value;
    this.length = length;
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** A growable Uint32 array (amortised doubling). */
export class GrowableUint32 {
  values: Uint32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.values = new Uint32Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  view(): Uint32Array {
    return this.values.subarray(0, this.length);
  }
}

/**
 * Writes postings lists as blocks of BLOCK_SIZE postings, with per-block metadata (last document,
 * largest frequency, shortest document) for skipping and for score upper bounds that hold for any
 * k1 and b. Format 2: each posting is one LEB128 code, (document gap - 1) * 2 + (1 when the
 * frequency is 1), followed by a second LEB128 of frequency - 2 only when the frequency is not 1.
 * Interleaving lets a cursor decode a block only as far as the document it is looking for, and
 * most postings (frequency 1, small gap) take one byte.
 */
export class PostingsEncoder {
  readonly postings = new GrowableBytes();
  readonly blockLastDoc = new GrowableUint32();
  readonly blockMaxTf = new GrowableUint32();
  readonly blockMinLength = new GrowableUint32();
  readonly blockOffsets: number[] = [0];

  /** Encodes one term's postings (documents ascending); returns its largest frequency and shortest document. */
  addList(documents: ArrayLike<number>, frequencies: ArrayLike<number>, count: number, lengths: Uint32Array): { maxTf: number; minLength: number } {
    let termMaxTf = 0;
    let termMinLength = 0xffffffff;
    for (let start = 0; start < count; start += BLOCK_SIZE) {
      const end = Math.min(count, start + BLOCK_SIZE);
      // Gaps are taken from the previous block's last document, or from -1 for a list's first block.
      let previous = start === 0 ? -1 : documents[start - 1]!;
      let maxTf = 0;
      let minLength = 0xffffffff;
      for (let i = start; i < end; i++) {
        const document = documents[i]!;
        const tf = frequencies[i]!;
        this.postings.writeVarint((document - previous - 1) * 2 + (tf === 1 ? 1 : 0));
        if (tf !== 1) this.postings.writeVarint(tf - 2);
        previous = document;
        if (tf > maxTf) maxTf = tf;
        const length = lengths[document]!;
        if (length < minLength) minLength = length;
      }
      this.blockLastDoc.push(previous);
      this.blockMaxTf.push(maxTf);
      this.blockMinLength.push(minLength);
      this.blockOffsets.push(this.postings.length);
      if (maxTf > termMaxTf) termMaxTf = maxTf;
      if (minLength < termMinLength) termMinLength = minLength;
    }
    return { maxTf: termMaxTf, minLength: termMinLength };
  }

  get blockCount(): number {
    return this.blockLastDoc.length;
  }
}
