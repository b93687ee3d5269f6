import type { DocumentLocator } from "../../core/records.js";

/** How documents of one corpus file are located: every record of a file has the same locator kind. */
export interface SegmentSourceFile {
  path: string;
  kind: DocumentLocator["kind"];
}

/**
 * One immutable segment: a contiguous run of documents in corpus order with their own term
 * dictionary and postings. Every array is a view into one buffer (the segment file), so a
 * segment opens without copying and can be shared with worker threads.
 */
export interface SegmentParts {
  docCount: number;
  termCount: number;
  blockCount: number;
  /** Sum of document lengths in terms. */
  totalLength: number;
  files: SegmentSourceFile[];
  /** Terms per document. */
  lengths: Uint32Array;
  /** Document ids as UTF-8, document i at idBytes[idOffsets[i] .. idOffsets[i+1]). */
  idOffsets: Uint32Array;
  idBytes: Uint8Array;
  /** Hashes of the ids, ascending, with the document each belongs to: id lookup by binary search. */
  idHashes: Uint32Array;
  idOrder: Uint32Array;
  /** Per document: index into `files`, and three locator numbers (line/row, byte offset, byte length). */
  sourceFile: Uint32Array;
  sourceNumbers: Float64Array;
  /** Terms sorted in JavaScript string order, as UTF-8, term t at termBytes[termOffsets[t] .. termOffsets[t+1]). */
  termOffsets: Uint32Array;
  termBytes: Uint8Array;
  /** Documents containing each term. */
  termDf: Uint32Array;
  /** Term t's postings blocks are termBlockStart[t] .. termBlockStart[t+1]. */
  termBlockStart: Uint32Array;
  /** Per term, the largest frequency and the shortest document length among its postings (a score bound). */
  termMaxTf: Uint32Array;
  termMinLength: Uint32Array;
  /** Per block of up to BLOCK_SIZE postings: last document, largest frequency, shortest document. */
  blockLastDoc: Uint32Array;
  blockMaxTf: Uint32Array;
  blockMinLength: Uint32Array;
  /** Block b's bytes are postings[blockOffset[b] .. blockOffset[b+1]). */
  blockOffset: Float64Array;
  postings: Uint8Array;
  /** Block b's impacts (see PostingsEncoder) are impacts[blockImpactOffset[b] .. blockImpactOffset[b+1]). */
  blockImpactOffset: Uint32Array;
  impacts: Uint8Array;
}

/** Postings per block: small enough to skip whole blocks cheaply, large enough to amortise their metadata. */
export const BLOCK_SIZE = 128;

/** The id hash used by `idHashes` (FNV-1a over UTF-16 code units; collisions are resolved by comparing ids). */
export function hashDocumentId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
