import { BLOCK_SIZE } from "./segment-parts.js";

/** A byte buffer that grows by doubling. */
export class GrowableBytes {
  bytes: Uint8Array;
  length = 0;
  /** Bytes appended before bytes[0] and moved out of memory (see SpillingBytes); none here. */
  spilled = 0;

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

/** A `width`-byte little-endian integer, as GrowableBytes.writeFixed writes it (width 0-4; 0 reads as 0). */
export function readFixed(bytes: Uint8Array, position: number, width: number): number {
  let value = 0;
  for (let i = width - 1; i >= 0; i--) value = value * 256 + bytes[position + i]!;
  return value;
}

/** Bytes per value for the largest value of a block (0 when every value is 0). */
function byteWidth(max: number): number {
  return max === 0 ? 0 : max < 0x100 ? 1 : max < 0x10000 ? 2 : max < 0x1000000 ? 3 : 4;
}

/** Most (frequency, length floor) pairs kept per block; a longer frontier is coarsened to this many. */
const MAX_IMPACTS = 8;

/**
 * Writes postings lists as blocks of BLOCK_SIZE postings, with per-block metadata (last document,
 * largest frequency, shortest document) for skipping and for score upper bounds that hold for any
 * k1 and b. A block: one byte giving the bytes per document gap (1-4), one giving the bytes
 * per frequency (0-4, 0 when every frequency is 1), then the gaps - 1 and the frequencies - 1,
 * each a fixed-width little-endian integer. Fixed widths let a cursor step through gaps without a
 * branch per byte and read the frequency of only the postings it scores.
 *
 * Each block's impacts (format 3) go to a stream of their own, so stepping through postings
 * reads no more bytes: the block's (frequency, length floor code) pairs that no other pair beats
 * in both (higher frequency and shorter document), as (frequency - 1 in LEB128, code byte),
 * frequency descending. BM25 grows with frequency and shrinks with length, so the best of these
 * bounds every document of the block, much closer than the largest frequency with the shortest
 * length, which usually come from different documents.
 */
export class PostingsEncoder {
  readonly blockLastDoc = new GrowableUint32();
  readonly blockMaxTf = new GrowableUint32();
  readonly blockMinLength = new GrowableUint32();
  readonly blockOffsets: number[] = [0];
  readonly impacts = new GrowableBytes();
  /** Block b's impacts are impacts[blockImpactOffset[b] .. blockImpactOffset[b+1]). */
  readonly blockImpactOffset = new GrowableUint32();

  /** `postings` receives the blocks (a SpillingBytes keeps a merge's output out of memory). */
  constructor(readonly postings = new GrowableBytes()) {
    this.blockImpactOffset.push(0);
  }
  // Per frequency below SMALL_TF, the least length code of the block's postings with it (NO_CODE: none).
  private readonly leastCode = new Uint16Array(SMALL_TF).fill(NO_CODE);
  private readonly impactTf = new Float64Array(MAX_IMPACTS + 1);
  private readonly impactCode = new Uint8Array(MAX_IMPACTS + 1);

  /**
   * Encodes one term's postings (documents ascending); returns its largest frequency and shortest
   * document. `floorCodes[d]` is document d's length code (see length-floors.ts).
   */
  addList(documents: ArrayLike<number>, frequencies: ArrayLike<number>, count: number, lengths: ArrayLike<number>, floorCodes: ArrayLike<number>): { maxTf: number; minLength: number } {
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
      const impacts = this.blockImpacts(documents, frequencies, start, end, maxTf, floorCodes);
      const gapWidth = Math.max(1, byteWidth(maxGap));
      const tfWidth = byteWidth(maxTf - 1);
      this.impacts.ensure(impacts * 6);
      for (let i = 0; i < impacts; i++) {
        writeVarint(this.impacts, this.impactTf[i]! - 1);
        this.impacts.bytes[this.impacts.length++] = this.impactCode[i]!;
      }
      this.blockImpactOffset.push(this.impacts.length);
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
      this.blockOffsets.push(bytes.spilled + bytes.length);
      if (maxTf > termMaxTf) termMaxTf = maxTf;
      if (minLength < termMinLength) termMinLength = minLength;
    }
    return { maxTf: termMaxTf, minLength: termMinLength };
  }

  get blockCount(): number {
    return this.blockLastDoc.length;
  }

  /**
   * Puts the block's impact frontier in impactTf/impactCode (frequency descending, code
   * descending) and returns its length. Frequencies below SMALL_TF are bucketed (linear time);
   * rarer larger ones are sorted.
   */
  private blockImpacts(documents: ArrayLike<number>, frequencies: ArrayLike<number>, start: number, end: number, maxTf: number, floorCodes: ArrayLike<number>): number {
    const leastCode = this.leastCode;
    const large: number[] = [];
    for (let i = start; i < end; i++) {
      const tf = frequencies[i]!;
      const code = floorCodes[documents[i]!]!;
      if (tf >= SMALL_TF) large.push(tf * 256 + code);
      else if (code < leastCode[tf]!) leastCode[tf] = code;
    }
    // Frequency descending, and for one frequency the least code first.
    large.sort((a, b) => Math.floor(b / 256) - Math.floor(a / 256) || a - b);
    let count = 0;
    let least = NO_CODE;
    const keep = (tf: number, code: number) => {
      if (code >= least) return;
      least = code;
      if (count === MAX_IMPACTS) {
        // Full: the last pair and this one become one that beats both (the higher
        // frequency with the shorter length), so the bound stays a bound.
        this.impactCode[count - 1] = code;
        return;
      }
      this.impactTf[count] = tf;
      this.impactCode[count++] = code;
    };
    for (const key of large) keep(Math.floor(key / 256), key % 256);
    for (let tf = Math.min(maxTf, SMALL_TF - 1); tf >= 1; tf--) {
      const code = leastCode[tf]!;
      if (code === NO_CODE) continue;
      leastCode[tf] = NO_CODE;
      keep(tf, code);
    }
    return count;
  }
}

/** Frequencies bucketed when finding a block's impacts; larger ones are rare. */
const SMALL_TF = 256;
const NO_CODE = 256;

/** Appends `value` (>= 0) as LEB128. */
function writeVarint(bytes: GrowableBytes, value: number): void {
  while (value >= 0x80) {
    bytes.bytes[bytes.length++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  bytes.bytes[bytes.length++] = value;
}
