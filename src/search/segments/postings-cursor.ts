import { decodeDocuments, decodeFrequencies } from "./postings-encoding.js";
import { BLOCK_SIZE, type SegmentParts } from "./segment-parts.js";

/** Past the last document: a cursor at the end of its list reports this. */
export const NO_MORE_DOCS = 0x7fffffff;

/**
 * Walks one term's postings in a segment, a block at a time. `advance` skips whole blocks by
 * their last document without decoding them; `shallowAdvance` only moves the block pointer so
 * blocks' score bounds can be read before deciding to decode them (later targets must not be
 * below a shallowAdvance target).
 */
export class PostingsCursor {
  /** Current document, or NO_MORE_DOCS. */
  doc = -1;
  private block: number;
  private decodedBlock = -1;
  /** Where the decoded block's frequencies start, or -1 once they are decoded, and where they end. */
  private frequencyStart = -1;
  private frequencyEnd = 0;
  private position = 0;
  private count = 0;
  private readonly documents = new Int32Array(BLOCK_SIZE);
  private readonly frequencies = new Int32Array(BLOCK_SIZE);
  private readonly firstBlock: number;
  private readonly endBlock: number;

  constructor(private readonly parts: SegmentParts, private readonly term: number) {
    this.firstBlock = parts.termBlockStart[term]!;
    this.endBlock = parts.termBlockStart[term + 1]!;
    this.block = this.firstBlock;
  }

  get df(): number {
    return this.parts.termDf[this.term]!;
  }

  /** Moves to the first document >= target (target greater than the current document). */
  advance(target: number): number {
    if (this.decodedBlock === this.block && this.parts.blockLastDoc[this.block]! >= target) {
      return this.scanTo(target);
    }
    if (!this.seekBlock(target)) return (this.doc = NO_MORE_DOCS);
    this.decode();
    return this.scanTo(target);
  }

  nextDoc(): number {
    return this.advance(this.doc + 1);
  }

  /** Moves the block pointer to the block that may hold `target`, without decoding; false at the end. */
  shallowAdvance(target: number): boolean {
    return this.seekBlock(target);
  }

  /** The current block's last document (after shallowAdvance). */
  get blockLastDoc(): number {
    return this.parts.blockLastDoc[this.block]!;
  }

  /**
   * The largest `blockBound(maxTf, minLength)` over the blocks from the current one (see
   * shallowAdvance) through the first whose last document is at least `last`.
   */
  maxBlockBound(last: number, blockBound: (maxTf: number, minLength: number) => number): number {
    const { blockLastDoc, blockMaxTf, blockMinLength } = this.parts;
    let block = this.block;
    let max = blockBound(blockMaxTf[block]!, blockMinLength[block]!);
    while (blockLastDoc[block]! < last && ++block < this.endBlock) max = Math.max(max, blockBound(blockMaxTf[block]!, blockMinLength[block]!));
    return max;
  }

  private seekBlock(target: number): boolean {
    const lastDoc = this.parts.blockLastDoc;
    let block = this.block;
    while (block < this.endBlock && lastDoc[block]! < target) block++;
    this.block = block;
    return block < this.endBlock;
  }

  private decode(): void {
    if (this.decodedBlock === this.block) return;
    const block = this.block;
    const indexInList = block - this.firstBlock;
    this.count = Math.min(BLOCK_SIZE, this.df - indexInList * BLOCK_SIZE);
    const base = block === this.firstBlock ? -1 : this.parts.blockLastDoc[block - 1]!;
    const offsets = this.parts.blockOffset;
    this.frequencyStart = decodeDocuments(this.parts.postings, offsets[block]!, this.count, base, this.documents);
    this.frequencyEnd = offsets[block + 1]!;
    this.decodedBlock = block;
    this.position = 0;
  }

  private scanTo(target: number): number {
    const documents = this.documents;
    let position = this.position;
    while (documents[position]! < target) position++;
    this.position = position;
    return (this.doc = documents[position]!);
  }

  /** Frequency of the term in the current document. */
  get tf(): number {
    if (this.frequencyStart >= 0) {
      decodeFrequencies(this.parts.postings, this.frequencyStart, this.frequencyEnd, this.count, this.frequencies);
      this.frequencyStart = -1;
    }
    return this.frequencies[this.position]!;
  }
}
