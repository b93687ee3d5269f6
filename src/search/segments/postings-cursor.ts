import { readFixed } from "./postings-encoding.js";
import { BLOCK_SIZE, type SegmentParts } from "./segment-parts.js";

/** Past the last document: a cursor at the end of its list reports this. */
export const NO_MORE_DOCS = 0x7fffffff;

/** What a conjunction knows when it intersects a list, for dropping candidates that cannot matter. */
export interface IntersectBounds {
  /** The least the lead term and this one must add together for a candidate to matter (<= 0: no pruning). */
  needed: number;
  /** This term's idf times its query weight, and the norms of the length floor codes: its impacts' scores. */
  scale: number;
  floorNorms: Float64Array;
  /** The lead term's idf times weight, the most it adds in the window, and the window's least length norm. */
  leadScale: number;
  leadBound: number;
  leadNorm: number;
  /** The lead term's frequency in each candidate, and every document's length floor code. */
  leadFrequencies: Int32Array;
  floorCodes: Uint8Array;
}

/**
 * Walks one term's postings in a segment (format 3, see PostingsEncoder). `advance` skips whole
 * blocks by their last document without reading them, then steps through fixed-width gaps only
 * up to the target; a frequency is read only when asked for. `shallowAdvance` only moves the
 * block pointer so blocks' score bounds can be read before deciding to enter them (later targets
 * must not be below a shallowAdvance target).
 */
export class PostingsCursor {
  /** Current document, or NO_MORE_DOCS. */
  doc = -1;
  private block: number;
  /** Last document of the block the decoding position is in (-1 before the first). */
  private enteredLastDoc = -1;
  /** Byte position of the next gap to decode, and where the entered block's gaps start. */
  private position = 0;
  private gapsStart = 0;
  private gapWidth = 1;
  private tfWidth = 0;
  private tfStart = 0;
  /** The block blockImpactBound last scored, and its bound. */
  private boundBlock = -1;
  private boundValue = 0;
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
    const bytes = this.parts.postings;
    if (target > this.enteredLastDoc) {
      if (!this.seekBlock(target)) return (this.doc = NO_MORE_DOCS);
      const block = this.block;
      const lastDoc = this.parts.blockLastDoc;
      this.enteredLastDoc = lastDoc[block]!;
      // Gaps continue from the previous block's last document, or from -1 in a list's first block.
      this.doc = block === this.firstBlock ? -1 : lastDoc[block - 1]!;
      const offset = this.parts.blockOffset[block]!;
      this.gapWidth = bytes[offset]!;
      this.tfWidth = bytes[offset + 1]!;
      this.gapsStart = this.position = offset + 2;
      const count = Math.min(BLOCK_SIZE, this.df - (block - this.firstBlock) * BLOCK_SIZE);
      this.tfStart = this.gapsStart + count * this.gapWidth;
    }
    // The block's last document is >= target, so decoding stops inside the block.
    let position = this.position;
    let doc = this.doc;
    if (this.gapWidth === 1) {
      do doc += bytes[position++]! + 1;
      while (doc < target);
    } else if (this.gapWidth === 2) {
      do {
        doc += (bytes[position]! | (bytes[position + 1]! << 8)) + 1;
        position += 2;
      } while (doc < target);
    } else {
      const width = this.gapWidth;
      do {
        doc += readFixed(bytes, position, width) + 1;
        position += width;
      } while (doc < target);
    }
    this.position = position;
    return (this.doc = doc);
  }

  /**
   * Decodes the block the block pointer is at (see shallowAdvance) whole: its documents into
   * `documents`, their frequencies into `frequencies`; returns how many. The cursor is left on
   * the block's last document.
   */
  readBlock(documents: Int32Array, frequencies: Int32Array): number {
    const bytes = this.parts.postings;
    const block = this.block;
    const count = Math.min(BLOCK_SIZE, this.df - (block - this.firstBlock) * BLOCK_SIZE);
    const offset = this.parts.blockOffset[block]!;
    const gapWidth = bytes[offset]!;
    const tfWidth = bytes[offset + 1]!;
    let position = offset + 2;
    let doc = block === this.firstBlock ? -1 : this.parts.blockLastDoc[block - 1]!;
    if (gapWidth === 1) for (let i = 0; i < count; i++) documents[i] = doc += bytes[position++]! + 1;
    else {
      for (let i = 0; i < count; i++, position += gapWidth) documents[i] = doc += readFixed(bytes, position, gapWidth) + 1;
    }
    if (tfWidth === 0) frequencies.fill(1, 0, count);
    else if (tfWidth === 1) for (let i = 0; i < count; i++) frequencies[i] = bytes[position++]! + 1;
    else for (let i = 0; i < count; i++, position += tfWidth) frequencies[i] = readFixed(bytes, position, tfWidth) + 1;
    this.enteredLastDoc = this.doc = doc;
    this.gapWidth = gapWidth;
    this.tfWidth = tfWidth;
    this.gapsStart = offset + 2;
    this.tfStart = this.gapsStart + count * gapWidth;
    this.position = this.tfStart;
    return count;
  }

  /**
   * Keeps those of `candidates[0..count)` (ascending, above the current document) that this list
   * holds: their places in `candidates` go to `kept`, their frequencies to `frequencies`, both
   * from 0. Returns how many were kept.
   *
   * With `bounds.needed` > 0 (a conjunction's k-th score is known), candidates that cannot matter
   * are dropped unread: before a block is decoded, its impacts bound what this term adds there,
   * which sets the least lead-term frequency a candidate in it needs. A block none of whose
   * candidates reach that is not decoded at all; decoding is what intersecting costs.
   */
  intersect(candidates: Int32Array, count: number, kept: Int32Array, frequencies: Int32Array, bounds: IntersectBounds): number {
    const bytes = this.parts.postings;
    const lastDoc = this.parts.blockLastDoc;
    const { leadFrequencies, floorNorms, leadScale } = bounds;
    let found = 0;
    // In the entered block the lead term must add more than leadNeeds (-1: anything will do), so
    // candidates whose lead frequency is below leastLeadTf cannot matter, nor can those whose
    // length floor leaves the lead's score at or below leadNeeds (read only for the others).
    let leadNeeds = -1;
    let leastLeadTf = 0;
    for (let j = 0; j < count && this.doc !== NO_MORE_DOCS; ) {
      if (this.doc < candidates[j]!) {
        if (candidates[j]! > this.enteredLastDoc) {
          if (!this.seekBlock(candidates[j]!)) {
            this.doc = NO_MORE_DOCS;
            break;
          }
          leadNeeds = bounds.needed > 0 ? bounds.needed - this.blockImpactBound(bounds.scale, floorNorms) : -1;
          leastLeadTf = leadNeeds <= 0 ? 0 : leadNeeds >= bounds.leadBound ? NO_MORE_DOCS : leastFrequencyAbove(leadNeeds, leadScale, bounds.leadNorm);
          const blockLast = lastDoc[this.block]!;
          if (leadNeeds > 0) while (j < count && candidates[j]! <= blockLast && cannotMatter(leadFrequencies[j]!, candidates[j]!, leastLeadTf, leadNeeds, bounds)) j++;
          if (j === count) break;
          if (candidates[j]! > blockLast) continue;
        }
        if (this.advance(candidates[j]!) === NO_MORE_DOCS) break;
      }
      // The candidates up to the entered block's last document are found by stepping through its
      // gaps with the decoding state in locals (per candidate, advance would load and store it).
      const last = this.enteredLastDoc;
      const gapWidth = this.gapWidth;
      let doc = this.doc;
      let position = this.position;
      let index = this.gapsRead;
      const pruning = leadNeeds > 0;
      for (; j < count; j++) {
        const target = candidates[j]!;
        if (target > last) break;
        if (pruning && cannotMatter(leadFrequencies[j]!, target, leastLeadTf, leadNeeds, bounds)) continue;
        for (; doc < target; index++, position += gapWidth) doc += (gapWidth === 1 ? bytes[position]! : readFixed(bytes, position, gapWidth)) + 1;
        if (doc !== target) continue;
        kept[found] = j;
        // The current posting is the last gap read: number index - 1 of the block.
        frequencies[found++] = this.frequencyAt(index - 1);
      }
      this.doc = doc;
      this.position = position;
    }
    return found;
  }

  /** Frequency of the term in the current document. */
  get tf(): number {
    // The current posting is the last gap read.
    return this.frequencyAt(this.gapsRead - 1);
  }

  /** How many gaps of the entered block have been read (the division is skipped for 1-byte gaps, the usual width). */
  private get gapsRead(): number {
    return this.gapWidth === 1 ? this.position - this.gapsStart : (this.position - this.gapsStart) / this.gapWidth;
  }

  /** The frequency of posting number `index` of the entered block. */
  private frequencyAt(index: number): number {
    const width = this.tfWidth;
    if (width === 0) return 1;
    if (width === 1) return this.parts.postings[this.tfStart + index]! + 1;
    return readFixed(this.parts.postings, this.tfStart + index * width, width) + 1;
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

  /** The current block's shortest document (after shallowAdvance). */
  get blockMinLength(): number {
    return this.parts.blockMinLength[this.block]!;
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

  /**
   * The most the term adds to a document of the current block (see shallowAdvance): the best of
   * the block's impacts, pairs (frequency, length code) scoring scale * tf / (tf + floorNorms[code])
   * (BM25 with the query term's idf and weight in `scale`). The last block's bound is remembered.
   */
  blockImpactBound(scale: number, floorNorms: Float64Array): number {
    const block = this.block;
    if (block === this.boundBlock) return this.boundValue;
    const { impacts: bytes, blockImpactOffset } = this.parts;
    let position = blockImpactOffset[block]!;
    const end = blockImpactOffset[block + 1]!;
    let best = 0;
    while (position < end) {
      let byte = bytes[position++]!;
      let tf = byte & 0x7f;
      for (let factor = 0x80; byte & 0x80; factor *= 0x80) {
        byte = bytes[position++]!;
        tf += (byte & 0x7f) * factor;
      }
      tf++;
      const score = (scale * tf) / (tf + floorNorms[bytes[position++]!]!);
      if (score > best) best = score;
    }
    this.boundBlock = block;
    return (this.boundValue = best);
  }

  private seekBlock(target: number): boolean {
    const lastDoc = this.parts.blockLastDoc;
    let block = this.block;
    while (block < this.endBlock && lastDoc[block]! < target) block++;
    this.block = block;
    return block < this.endBlock;
  }
}

/** The least frequency whose BM25 score, scale * tf / (tf + norm), is above `score` (0 < score < scale). */
function leastFrequencyAbove(score: number, scale: number, norm: number): number {
  return Math.floor((score * norm) / (scale - score)) + 1;
}

/**
 * Whether a candidate with this lead frequency cannot matter where the lead must add more than
 * leadNeeds (> 0, see intersect): leadScale * tf / (tf + norm) <= leadNeeds, multiplied out.
 */
function cannotMatter(leadTf: number, document: number, leastLeadTf: number, leadNeeds: number, bounds: IntersectBounds): boolean {
  return leadTf < leastLeadTf || bounds.leadScale * leadTf <= leadNeeds * (leadTf + bounds.floorNorms[bounds.floorCodes[document]!]!);
}
