import { lengthFloorCodes } from "./length-floors.js";
import { PostingsCursor } from "./postings-cursor.js";
import { GrowableBytes, GrowableUint32, PostingsEncoder } from "./postings-encoding.js";
import { assembleParts, SourceTable, type EncodedSources, type EncodedStrings } from "./segment-builder.js";
import { BLOCK_SIZE, type SegmentParts } from "./segment-parts.js";
import { compareUtf8AsUtf16, type SegmentReader } from "./segment-reader.js";

/**
 * Merges adjacent segments (in corpus order) into one, dropping deleted documents
 * (`deleted[i][local] === 1`); with one input it rewrites that segment without its deletions.
 * Documents keep their relative order, so results do not change. The merged postings go to
 * `postings`: with a SpillingBytes only their tail is in the parts returned. Ids, terms and
 * sources are copied as the bytes and numbers they are stored as, never made into strings or
 * objects: a merge's memory is then little more than its inputs and its output.
 */
export function mergeSegments(inputs: readonly SegmentReader[], deleted: ReadonlyArray<Uint8Array | undefined> = [], postings = new GrowableBytes()): SegmentParts {
  const documents = new MergedDocuments();
  // New number of every kept document, per input; -1 for deleted ones.
  const renumber = inputs.map((input, i) => documents.addSegment(input.parts, deleted[i]));
  const mergedLengths = documents.lengths.view();
  const floorCodes = lengthFloorCodes(mergedLengths);
  const encoder = new PostingsEncoder(postings);
  const terms = new StringCollector();
  const df = new GrowableUint32();
  const blockStart = new GrowableUint32();
  const maxTf = new GrowableUint32();
  const minLength = new GrowableUint32();
  const termDocuments = new GrowableUint32();
  const termFrequencies = new GrowableUint32();
  const blockDocuments = new Int32Array(BLOCK_SIZE);
  const blockFrequencies = new Int32Array(BLOCK_SIZE);
  for (const holders of walkDictionaries(inputs)) {
    termDocuments.length = 0;
    termFrequencies.length = 0;
    for (const { input, ordinal } of holders) {
      const cursor = new PostingsCursor(inputs[input]!.parts, ordinal);
      const map = renumber[input]!;
      // Whole blocks at a time: faster than stepping the cursor posting by posting.
      for (let from = 0; cursor.shallowAdvance(from); from = cursor.doc + 1) {
        const count = cursor.readBlock(blockDocuments, blockFrequencies);
        for (let i = 0; i < count; i++) {
          const document = map[blockDocuments[i]!]!;
          if (document < 0) continue;
          termDocuments.push(document);
          termFrequencies.push(blockFrequencies[i]!);
        }
      }
    }
    if (termDocuments.length === 0) continue;
    const { input, ordinal } = holders[0]!;
    const { termBytes, termOffsets } = inputs[input]!.parts;
    terms.add(termBytes, termOffsets[ordinal]!, termOffsets[ordinal + 1]!);
    df.push(termDocuments.length);
    blockStart.push(encoder.blockCount);
    const bound = encoder.addList(termDocuments.values, termFrequencies.values, termDocuments.length, mergedLengths, floorCodes);
    maxTf.push(bound.maxTf);
    minLength.push(bound.minLength);
  }
  blockStart.push(encoder.blockCount);
  return assembleParts({
    ids: documents.ids.encoded(), idLookup: documents.idLookup(), sources: documents.sources(), lengths: mergedLengths, totalLength: documents.totalLength,
    terms: terms.encoded(), termDf: df.view(), termBlockStart: blockStart.view(), termMaxTf: maxTf.view(), termMinLength: minLength.view(), encoder,
  });
}

/** UTF-8 strings appended as byte ranges, concatenated with offsets. */
class StringCollector {
  private readonly bytes = new GrowableBytes();
  private readonly offsets = new GrowableUint32();

  constructor() {
    this.offsets.push(0);
  }

  add(source: Uint8Array, start: number, end: number): void {
    this.bytes.ensure(end - start);
    this.bytes.bytes.set(source.subarray(start, end), this.bytes.length);
    this.bytes.length += end - start;
    this.offsets.push(this.bytes.length);
  }

  encoded(): EncodedStrings {
    return { offsets: this.offsets.view(), bytes: this.bytes.view() };
  }
}

/** The kept documents of the inputs, in order: ids, id hashes, lengths and sources. */
class MergedDocuments {
  readonly ids = new StringCollector();
  readonly lengths = new GrowableUint32();
  totalLength = 0;
  private readonly hashes = new GrowableUint32();
  private readonly sourceTable = new SourceTable();

  /** Adds a segment's documents but the deleted ones; returns their new numbers (-1: deleted). */
  addSegment(parts: SegmentParts, deleted: Uint8Array | undefined): Int32Array {
    const { idBytes, idOffsets, idHashes, idOrder, lengths, sourceNumbers } = parts;
    // The segment's id hashes are stored in hash order: put them back in document order.
    const hashOf = new Uint32Array(parts.docCount);
    for (let k = 0; k < idOrder.length; k++) hashOf[idOrder[k]!] = idHashes[k]!;
    const map = new Int32Array(parts.docCount);
    for (let local = 0; local < parts.docCount; local++) {
      if (deleted?.[local] === 1) {
        map[local] = -1;
        continue;
      }
      map[local] = this.lengths.length;
      this.ids.add(idBytes, idOffsets[local]!, idOffsets[local + 1]!);
      this.hashes.push(hashOf[local]!);
      this.lengths.push(lengths[local]!);
      this.totalLength += lengths[local]!;
      // Files are numbered as kept documents first name them, as a build numbers them.
      const file = parts.files[parts.sourceFile[local]!]!;
      this.sourceTable.addEntries(file.path, file.kind, sourceNumbers[3 * local]!, sourceNumbers[3 * local + 1]!, sourceNumbers[3 * local + 2]!);
    }
    return map;
  }

  /** Documents by id hash, then by id (as buildIdLookup orders them). */
  idLookup(): { idHashes: Uint32Array; idOrder: Uint32Array } {
    const hashes = this.hashes.view();
    const { offsets, bytes } = this.ids.encoded();
    const order = Uint32Array.from(hashes.keys()).sort((a, b) => hashes[a]! - hashes[b]! || compareUtf8AsUtf16(bytes, offsets[a]!, offsets[a + 1]!, bytes, offsets[b]!, offsets[b + 1]!));
    return { idHashes: Uint32Array.from(order, (document) => hashes[document]!), idOrder: order };
  }

  sources(): EncodedSources {
    return this.sourceTable.encode();
  }
}

/** Walks sorted dictionaries together: each term once, in order, as the inputs holding it (by their ordinals). */
function* walkDictionaries(inputs: readonly SegmentReader[]): Generator<Array<{ input: number; ordinal: number }>> {
  const heads = inputs.map(() => 0);
  const order = (a: number, b: number) => {
    const first = inputs[a]!.parts;
    const second = inputs[b]!.parts;
    return compareUtf8AsUtf16(first.termBytes, first.termOffsets[heads[a]!]!, first.termOffsets[heads[a]! + 1]!, second.termBytes, second.termOffsets[heads[b]!]!, second.termOffsets[heads[b]! + 1]!);
  };
  for (;;) {
    let least = -1;
    for (let i = 0; i < inputs.length; i++) if (heads[i]! < inputs[i]!.parts.termCount && (least < 0 || order(i, least) < 0)) least = i;
    if (least < 0) return;
    const holders: Array<{ input: number; ordinal: number }> = [];
    for (let i = least; i < inputs.length; i++) {
      if (heads[i]! >= inputs[i]!.parts.termCount || (i !== least && order(i, least) !== 0)) continue;
      holders.push({ input: i, ordinal: heads[i]! });
    }
    for (const { input } of holders) heads[input]!++;
    yield holders;
  }
}
