import { lengthFloorCodes } from "./length-floors.js";
import { PostingsCursor } from "./postings-cursor.js";
import { GrowableUint32, PostingsEncoder } from "./postings-encoding.js";
import { assembleParts, SourceTable } from "./segment-builder.js";
import { BLOCK_SIZE, type SegmentParts } from "./segment-parts.js";
import type { SegmentReader } from "./segment-reader.js";

/**
 * Merges adjacent segments (in corpus order) into one, dropping deleted documents
 * (`deleted[i][local] === 1`); with one input it rewrites that segment without its deletions.
 * Documents keep their relative order, so results do not change.
 */
export function mergeSegments(inputs: readonly SegmentReader[], deleted: ReadonlyArray<Uint8Array | undefined> = []): SegmentParts {
  // New number of every kept document, per input; -1 for deleted ones.
  const renumber: Int32Array[] = [];
  const ids: string[] = [];
  const sources = new SourceTable();
  const lengths = new GrowableUint32();
  let totalLength = 0;
  inputs.forEach((input, i) => {
    const map = new Int32Array(input.docCount);
    const gone = deleted[i];
    for (let local = 0; local < input.docCount; local++) {
      if (gone?.[local] === 1) {
        map[local] = -1;
        continue;
      }
      map[local] = ids.length;
      ids.push(input.docId(local));
      sources.add(input.source(local));
      const length = input.parts.lengths[local]!;
      lengths.push(length);
      totalLength += length;
    }
    renumber.push(map);
  });
  const mergedLengths = lengths.view().slice();
  const floorCodes = lengthFloorCodes(mergedLengths);
  const encoder = new PostingsEncoder();
  const sortedTerms: string[] = [];
  const df = new GrowableUint32();
  const blockStart = new GrowableUint32();
  const maxTf = new GrowableUint32();
  const minLength = new GrowableUint32();
  const documents = new GrowableUint32();
  const frequencies = new GrowableUint32();
  const blockDocuments = new Int32Array(BLOCK_SIZE);
  const blockFrequencies = new Int32Array(BLOCK_SIZE);
  for (const { term, holders } of walkDictionaries(inputs)) {
    documents.length = 0;
    frequencies.length = 0;
    for (const { input, ordinal } of holders) {
      const cursor = new PostingsCursor(inputs[input]!.parts, ordinal);
      const map = renumber[input]!;
      // Whole blocks at a time: faster than stepping the cursor posting by posting.
      for (let from = 0; cursor.shallowAdvance(from); from = cursor.doc + 1) {
        const count = cursor.readBlock(blockDocuments, blockFrequencies);
        for (let i = 0; i < count; i++) {
          const document = map[blockDocuments[i]!]!;
          if (document < 0) continue;
          documents.push(document);
          frequencies.push(blockFrequencies[i]!);
        }
      }
    }
    if (documents.length === 0) continue;
    sortedTerms.push(term);
    df.push(documents.length);
    blockStart.push(encoder.blockCount);
    const bound = encoder.addList(documents.values, frequencies.values, documents.length, mergedLengths, floorCodes);
    maxTf.push(bound.maxTf);
    minLength.push(bound.minLength);
  }
  blockStart.push(encoder.blockCount);
  return assembleParts({
    ids, sources: sources.encode(), lengths: mergedLengths, totalLength, sortedTerms,
    termDf: df.view().slice(), termBlockStart: blockStart.view().slice(), termMaxTf: maxTf.view().slice(), termMinLength: minLength.view().slice(), encoder,
  });
}

/** Walks sorted dictionaries together: each term once, in order, with the inputs holding it. */
function* walkDictionaries(inputs: readonly SegmentReader[]): Generator<{ term: string; holders: Array<{ input: number; ordinal: number }> }> {
  const heads = inputs.map(() => 0);
  const headTerms = inputs.map((input) => (input.parts.termCount > 0 ? input.term(0) : undefined));
  for (;;) {
    let term: string | undefined;
    for (const candidate of headTerms) if (candidate !== undefined && (term === undefined || candidate < term)) term = candidate;
    if (term === undefined) return;
    const holders: Array<{ input: number; ordinal: number }> = [];
    inputs.forEach((input, i) => {
      if (headTerms[i] !== term) return;
      holders.push({ input: i, ordinal: heads[i]! });
      heads[i]!++;
      headTerms[i] = heads[i]! < input.parts.termCount ? input.term(heads[i]!) : undefined;
    });
    yield { term, holders };
  }
}
