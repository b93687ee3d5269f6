import { GrowableUint32, PostingsEncoder } from "./postings-encoding.js";
import { BLOCK_SIZE, type SegmentParts } from "./segment-parts.js";

/**
 * Segment format 1 stored each postings block as all its document gaps, then all its
 * frequencies (LEB128 each). Indexes written then still open: their postings are re-encoded in
 * the current format when the segment is read, into shared memory like a freshly read file.
 */
export function upgradeFormat1Postings(parts: SegmentParts): Pick<SegmentParts, "postings" | "blockOffset"> {
  const encoder = new PostingsEncoder();
  const documents = new GrowableUint32();
  const frequencies = new GrowableUint32();
  const values = new Int32Array(BLOCK_SIZE);
  for (let term = 0; term < parts.termCount; term++) {
    documents.length = 0;
    frequencies.length = 0;
    const first = parts.termBlockStart[term]!;
    for (let block = first; block < parts.termBlockStart[term + 1]!; block++) {
      const count = Math.min(BLOCK_SIZE, parts.termDf[term]! - (block - first) * BLOCK_SIZE);
      const frequencyStart = readVarints(parts.postings, parts.blockOffset[block]!, count, values);
      let document = block === first ? -1 : parts.blockLastDoc[block - 1]!;
      for (let i = 0; i < count; i++) documents.push((document += values[i]! + 1));
      readVarints(parts.postings, frequencyStart, count, values);
      for (let i = 0; i < count; i++) frequencies.push(values[i]! + 1);
    }
    encoder.addList(documents.values, frequencies.values, documents.length, parts.lengths);
  }
  const postings = new Uint8Array(new SharedArrayBuffer(encoder.postings.length));
  postings.set(encoder.postings.view());
  const blockOffset = new Float64Array(new SharedArrayBuffer(encoder.blockOffsets.length * Float64Array.BYTES_PER_ELEMENT));
  blockOffset.set(encoder.blockOffsets);
  return { postings, blockOffset };
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
