import type { SegmentParts } from "./segment-parts.js";

/** Past the last document: a cursor at the end of its list reports this. */
export const NO_MORE_DOCS = 0x7fffffff;

/**
 * Walks one term's postings in a segment (format 2, see PostingsEncoder). `advance` skips whole
 * blocks by their last document without reading them, then decodes postings one at a time only
 * up to the target, so a probe into a block costs the postings before it, not the whole block.
 * `shallowAdvance` only moves the block pointer so blocks' score bounds can be read before
 * deciding to enter them (later targets must not be below a shallowAdvance target).
 */
export class PostingsCursor {
  /** Current document, or NO_MORE_DOCS. */
  doc = -1;
  /** Frequency of the term in the current document. */
  tf = 0;
  private block: number;
  /** Last document of the block the decoding position is in (-1 before the first). */
  private enteredLastDoc = -1;
  /** Byte position of the next posting to decode. */
  private position = 0;
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
    if (target > this.enteredLastDoc) {
      if (!this.seekBlock(target)) return (this.doc = NO_MORE_DOCS);
      const block = this.block;
      const lastDoc = this.parts.blockLastDoc;
      this.enteredLastDoc = lastDoc[block]!;
      // Gaps continue from the previous block's last document, or from -1 in a list's first block.
      this.doc = block === this.firstBlock ? -1 : lastDoc[block - 1]!;
      this.position = this.parts.blockOffset[block]!;
    }
    // The block's last document is >= target, so decoding stops inside the block.
    const bytes = this.parts.postings;
    let position = this.position;
    let doc = this.doc;
    let tf: number;
    do {
      let byte = bytes[position++]!;
      let code = byte & 0x7f;
      for (let shift = 7; byte & 0x80; shift += 7) {
        byte = bytes[position++]!;
        code |= (byte & 0x7f) << shift;
      }
      doc += (code >>> 1) + 1;
      if (code & 1) {
        tf = 1;
      } else {
        byte = bytes[position++]!;
        tf = byte & 0x7f;
        for (let shift = 7; byte & 0x80; shift += 7) {
          byte = bytes[position++]!;
          tf |= (byte & 0x7f) << shift;
        }
        tf += 2;
      }
    } while (doc < target);
    this.position = position;
    this.tf = tf;
    return (this.doc = doc);
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
}
