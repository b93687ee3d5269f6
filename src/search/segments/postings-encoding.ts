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
 * Writes postings lists as blocks of BLOCK_SIZE postings: document gaps then frequencies, each as
 * LEB128, with per-block metadata (last document, largest frequency, shortest document) for skipping
 * and for score upper bounds that hold for any k1 and b.
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
        this.postings.writeVarint(document - previous - 1);
        previous = document;
        const length = lengths[document]!;
        if (length < minLength) minLength = length;
      }
      for (let i = start; i < end; i++) {
        const tf = frequencies[i]!;
        this.postings.writeVarint(tf - 1);
        if (tf > maxTf) maxTf = tf;
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

/**
 * Decodes the documents of one block into `documents` (`firstGapBase` is the last document of
 * the previous block of the same list, or -1); returns where the block's frequencies start.
 * Frequencies are decoded apart (decodeFrequencies) because most blocks a query visits have no
 * document it scores.
 */
export function decodeDocuments(postings: Uint8Array, start: number, count: number, firstGapBase: number, documents: Int32Array): number {
  const position = readVarints(postings, start, count, documents);
  let document = firstGapBase;
  for (let i = 0; i < count; i++) documents[i] = document += documents[i]! + 1;
  return position;
}

/** Decodes a block's frequencies from `start` (see decodeDocuments), which must end at `end`. */
export function decodeFrequencies(postings: Uint8Array, start: number, end: number, count: number, frequencies: Int32Array): void {
  const position = readVarints(postings, start, count, frequencies);
  for (let i = 0; i < count; i++) frequencies[i]!++;
  if (position !== end) throw new Error(`postings block decoded to byte ${position}, expected ${end}`);
}

/** Reads `count` LEB128 values (each < 2^31) from `position` into `values`; returns the position after them. */
function readVarints(bytes: Uint8Array, position: number, count: number, values: Int32Array): number {
  for (let i = 0; i < count; i++) {
    let byte = bytes[position++]!;
    let value = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[position++]!;
      value |= (byte & 0x7f) << shift;
    }
    values[i] = value;
  }
  return position;
}
