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

  /** Appends `value` as `width` little-endian bytes (room must have been ensured). */
  writeFixed(value: number, width: number): void {
    for (let i = 0; i < width; i++) this.bytes[this.length++] = (value >>> (8 * i)) & 0xff;
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

/** Bytes per value for the largest value of a block (0 when every value is 0). */
function byteWidth(max: number): number {
  return max === 0 ? 0 : max < 0x100 ? 1 : max < 0x10000 ? 2 : max < 0x1000000 ? 3 : 4;
}

/**
 * Writes postings lists as blocks of BLOCK_SIZE postings, with per-block metadata (last document,
 * largest frequency, shortest document) for skipping and for score upper bounds that hold for any
 * k1 and b. Format 2 block: one byte giving the bytes per document gap (1-4), one giving the bytes
 * per frequency (0-4, 0 when every frequency is 1), then the gaps - 1 and the frequencies - 1,
 * each a fixed-width little-endian integer. Fixed widths let a cursor step through gaps without a
 * branch per byte and read the frequency of only the postings it scores.
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
      const first = start === 0 ? -1 : documents[start - 1]!;
      let previous = first;
      let maxGap = 0;
      let maxTf = 0;
      let minLength = 0xffffffff;
      for (let i = start; i < end; i++) {
        const document = documents[i]!;
        maxGap = Math.max(maxGap, document - previous - 1);
        previous = document;
        maxTf = Math.max(maxTf, frequencies[i]!);
        minLength = Math.min(minLength, lengths[document]!);
      }
      const gapWidth = Math.max(1, byteWidth(maxGap));
      const tfWidth = byteWidth(maxTf - 1);
      const bytes = this.postings;
      bytes.ensure(2 + (end - start) * (gapWidth + tfWidth));
      bytes.bytes[bytes.length++] = gapWidth;
      bytes.bytes[bytes.length++] = tfWidth;
      previous = first;
      for (let i = start; i < end; i++) {
        bytes.writeFixed(documents[i]! - previous - 1, gapWidth);
        previous = documents[i]!;
      }
      if (tfWidth > 0) for (let i = start; i < end; i++) bytes.writeFixed(frequencies[i]! - 1, tfWidth);
      this.blockLastDoc.push(previous);
      this.blockMaxTf.push(maxTf);
      this.blockMinLength.push(minLength);
      this.blockOffsets.push(bytes.length);
      if (maxTf > termMaxTf) termMaxTf = maxTf;
      if (minLength < termMinLength) termMinLength = minLength;
    }
    return { maxTf: termMaxTf, minLength: termMinLength };
  }

  get blockCount(): number {
    return this.blockLastDoc.length;
  }
}
