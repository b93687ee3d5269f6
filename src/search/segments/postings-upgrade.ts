import { lengthFloorCodes } from "./length-floors.js";
import { GrowableUint32, PostingsEncoder, readFixed } from "./postings-encoding.js";
import { BLOCK_SIZE, type SegmentParts } from "./segment-parts.js";

/**
 * Indexes written at older segment formats still open: their postings are re-encoded in the
 * current format when the segment is read, into shared memory like a freshly read file.
 * - Format 1 stored each block as all its document gaps, then all its frequencies (LEB128 each).
 * - Format 2 stored blocks as format 3 does, without the impacts (format 3 added them).
 * Block boundaries and metadata are the same in every format, so only the postings and impacts change.
 */
export function upgradeOldPostings(parts: SegmentParts, version: 1 | 2): Pick<SegmentParts, "postings" | "blockOffset" | "blockImpactOffset" | "impacts"> {
  const readBlock = version === 1 ? readFormat1Block : readFormat2Block;
  const encoder = new PostingsEncoder();
  const floorCodes = lengthFloorCodes(parts.lengths);
  const documents = new GrowableUint32();
  const frequencies = new GrowableUint32();
  const gaps = new Int32Array(BLOCK_SIZE);
  const counts = new Int32Array(BLOCK_SIZE);
  for (let term = 0; term < parts.termCount; term++) {
    documents.length = 0;
    frequencies.length = 0;
    const first = parts.termBlockStart[term]!;
    for (let block = first; block < parts.termBlockStart[term + 1]!; block++) {
      const count = Math.min(BLOCK_SIZE, parts.termDf[term]! - (block - first) * BLOCK_SIZE);
      readBlock(parts.postings, parts.blockOffset[block]!, count, gaps, counts);
      let document = block === first ? -1 : parts.blockLastDoc[block - 1]!;
      for (let i = 0; i < count; i++) {
        documents.push((document += gaps[i]! + 1));
        frequencies.push(counts[i]! + 1);
      }
    }
    encoder.addList(documents.values, frequencies.values, documents.length, parts.lengths, floorCodes);
  }
  return {
    postings: shared(Uint8Array, encoder.postings.view()),
    blockOffset: shared(Float64Array, encoder.blockOffsets),
    blockImpactOffset: shared(Uint32Array, encoder.blockImpactOffset.view()),
    impacts: shared(Uint8Array, encoder.impacts.view()),
  };
}

/** A copy of `values` in shared memory, like a freshly read segment's arrays. */
function shared<T extends Uint8Array | Uint32Array | Float64Array>(Type: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, values: ArrayLike<number>): T {
  const array = new Type(new SharedArrayBuffer(values.length * Type.BYTES_PER_ELEMENT));
  array.set(values);
  return array;
}

/** Reads a format-1 block's `count` gaps - 1 and frequencies - 1. */
function readFormat1Block(bytes: Uint8Array, position: number, count: number, gaps: Int32Array, frequencies: Int32Array): void {
  readVarints(bytes, readVarints(bytes, position, count, gaps), count, frequencies);
}

/** Reads a format-2 block's `count` gaps - 1 and frequencies - 1. */
function readFormat2Block(bytes: Uint8Array, offset: number, count: number, gaps: Int32Array, frequencies: Int32Array): void {
  const gapWidth = bytes[offset]!;
  const tfWidth = bytes[offset + 1]!;
  let position = offset + 2;
  for (let i = 0; i < count; i++, position += gapWidth) gaps[i] = readFixed(bytes, position, gapWidth);
  for (let i = 0; i < count; i++, position += tfWidth) frequencies[i] = readFixed(bytes, position, tfWidth);
}

/** Reads `count` LEB128 values from `position` into `values`; returns the position after them. */
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
