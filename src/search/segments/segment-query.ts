import { bm25ScoreWithNorm, type LengthNormTable } from "../bm25.js";
import { NO_MORE_DOCS, PostingsCursor, type IntersectBounds } from "./postings-cursor.js";
import { BLOCK_SIZE, type SegmentParts } from "./segment-parts.js";
import { LONG_DOCUMENT, type SegmentReader } from "./segment-reader.js";
import type { TopKCollector } from "./top-k-collector.js";

/** A query term with its global statistics; `index` is its place in the query, which fixes the order scores are summed in. */
export interface WeightedTerm {
  index: number;
  term: string;
  idf: number;
  /** Occurrences in the query; multiplies the term's score. */
  weight: number;
}

export interface SegmentQuery {
  terms: WeightedTerm[];
  /** Least number of distinct query terms a hit contains (all terms for match "all"). */
  minimumMatch: number;
  /** BM25's length norms for the query's k1 and b and the index's average length. */
  norms: LengthNormTable;
  /** The norms of the LENGTH_FLOORS values, for score bounds from a document's length floor. */
  floorNorms: Float64Array;
}

/** A query term's dictionary entry in one segment, -1 where the segment lacks it (indexed like SegmentQuery.terms). */
export type SegmentOrdinals = Int32Array;

// Bounds are sums of per-term maxima; widen them a hair so float rounding in the exact score never exceeds them.
const BOUND_SLACK = 1 + 1e-9;

/**
 * Fewest documents a MaxScore window spans. Windows end at an essential list's block end; very
 * short ones (blocks of a frequent term) would cost more to bound than they save.
 */
const MIN_WINDOW = 4096;

/** One query term's postings in a segment, with its score bounds. */
class TermCursor {
  readonly cursor: PostingsCursor;
  /** The most this term adds to any document of the segment. */
  readonly bound: number;
  /** The most it adds to a document of the current window. */
  windowBound = 0;
  /** idf times query weight: BM25's score is scale * tf / (tf + norm) (how impacts are scored). */
  readonly scale: number;
  private readonly blockBound: (maxTf: number, minLength: number) => number;
  private readonly lengths: Uint32Array;

  constructor(readonly term: WeightedTerm, parts: SegmentParts, ordinal: number, private readonly norms: LengthNormTable) {
    const { idf, weight } = term;
    this.lengths = parts.lengths;
    this.scale = weight * idf;
    // BM25 grows with frequency and shrinks with length, so a block's largest frequency and shortest document bound it.
    this.blockBound = (maxTf, minLength) => weight * bm25ScoreWithNorm(idf, maxTf, norms.norm(minLength));
    this.bound = this.blockBound(parts.termMaxTf[ordinal]!, parts.termMinLength[ordinal]!);
    this.cursor = new PostingsCursor(parts, ordinal);
  }

  /**
   * The most this term adds to a document in from..to, 0 when its list has nothing there. Moves
   * the block pointer to `from`, so the cursor must not be advanced below it afterwards.
   */
  boundWithin(from: number, to: number): number {
    return this.reaches(from, to) ? this.cursor.maxBlockBound(to, this.blockBound) : 0;
  }

  /**
   * Whether the list may have documents in from..to (false: it has none), moving the block
   * pointer as boundWithin does.
   */
  reaches(from: number, to: number): boolean {
    const cursor = this.cursor;
    return cursor.doc <= to && cursor.shallowAdvance(Math.max(cursor.doc, from));
  }

  /** The term's score in the cursor's current document. */
  score(): number {
    return this.scoreFor(this.cursor.tf, this.norms.norm(this.lengths[this.cursor.doc]!));
  }

  /** The term's score in a document where it occurs `frequency` times, given the document's length norm. */
  scoreFor(frequency: number, norm: number): number {
    const { term } = this;
    return term.weight * bm25ScoreWithNorm(term.idf, frequency, norm);
  }
}

/**
 * Scores one segment's documents for a query into `collector` (documents numbered from `docBase`);
 * `ordinals` are the query terms' entries in the segment's dictionary.
 * Conjunctive queries walk the rarest list and skip the others forward, skipping whole blocks
 * of it whose block bounds cannot beat the current k-th score; disjunctive ones use block-max
 * MaxScore. Every hit's score is summed in query-term order, so it is bit-identical to the
 * exhaustive scorer's.
 */
export function searchSegment(segment: SegmentReader, query: SegmentQuery, ordinals: SegmentOrdinals, collector: TopKCollector, docBase: number): void {
  const termCursors: TermCursor[] = [];
  for (const term of query.terms) {
    const ordinal = ordinals[term.index]!;
    if (ordinal >= 0) termCursors.push(new TermCursor(term, segment.parts, ordinal, query.norms));
  }
  if (termCursors.length < query.minimumMatch || termCursors.length === 0) return;
  if (termCursors.length === query.terms.length && query.minimumMatch === query.terms.length) conjunction(termCursors, collector, docBase, segment, query);
  else blockMaxScore(termCursors, new HitScorer(query.terms.length, collector, docBase), query.minimumMatch, segment.parts.lengths, query.norms);
}

/**
 * Accumulates one document's per-term scores and offers the total, summed in query-term order.
 * Matched terms are bits (32 terms a word), so offering and clearing visit only matched terms.
 */
class HitScorer {
  private readonly contributions: Float64Array;
  private readonly matched: Uint32Array;

  constructor(termCount: number, readonly collector: TopKCollector, private readonly docBase: number) {
    this.contributions = new Float64Array(termCount);
    this.matched = new Uint32Array(Math.ceil(termCount / 32));
  }

  /** Records the cursor's term for its current document and returns the term's score. */
  add(entry: TermCursor): number {
    return this.record(entry.term, entry.score());
  }

  /** Records a term's score for the current document and returns it. */
  record(term: WeightedTerm, score: number): number {
    this.contributions[term.index] = score;
    const word = term.index >>> 5;
    this.matched[word] = this.matched[word]! | (1 << (term.index & 31));
    return score;
  }

  /** Offers the recorded document if it matched enough terms, then clears the record. */
  offer(document: number, minimumMatch: number): void {
    let score = 0;
    let count = 0;
    const matched = this.matched;
    for (let word = 0; word < matched.length; word++) {
      // Lowest set bit first: query-term order.
      for (let bits = matched[word]!; bits !== 0; bits &= bits - 1) {
        score += this.contributions[word * 32 + 31 - Math.clz32(bits & -bits)]!;
        count++;
      }
      matched[word] = 0;
    }
    if (count >= minimumMatch) this.collector.offer(this.docBase + document, score);
  }

  discard(): void {
    for (let word = 0; word < this.matched.length; word++) this.matched[word] = 0;
  }
}

/**
 * `termCursors` in query-term order (every query term, as all must match). A block of the
 * rarest list at a time: skipped when the terms' bounds within it cannot beat the k-th score,
 * otherwise decoded whole and intersected with each other list in turn (rarest first), and the
 * documents left are scored, the terms summed in query order.
 */
function conjunction(termCursors: TermCursor[], collector: TopKCollector, docBase: number, segment: SegmentReader, query: SegmentQuery): void {
  const { lengths } = segment.parts;
  const { lengthFloors, lengths16 } = segment;
  const { norms, floorNorms } = query;
  const ordered = [...termCursors].sort((a, b) => a.cursor.df - b.cursor.df);
  const count = ordered.length;
  const bound = ordered.reduce((sum, entry) => sum + entry.bound, 0) * BOUND_SLACK;
  const leadEntry = ordered[0]!;
  const lead = leadEntry.cursor;
  const leadScale = leadEntry.scale;
  const { candidates, kept, survivorLengths } = conjunctionScratch;
  // frequencies[i][c]: the frequency of ordered[i]'s term in candidates[c]; byQuery, those rows in query-term order.
  const frequencies = ordered.map(() => new Int32Array(BLOCK_SIZE));
  const byQuery = termCursors.map((entry) => frequencies[ordered.indexOf(entry)]!);
  const windowBounds = new Float64Array(count);
  const bounds: IntersectBounds = { needed: 0, scale: 0, floorNorms, leadScale, leadBound: 0, leadNorm: 0, leadFrequencies: frequencies[0]!, floorCodes: lengthFloors };
  for (let from = 0; lead.shallowAdvance(from); ) {
    const windowStart = from;
    const windowEnd = lead.blockLastDoc;
    from = windowEnd + 1;
    const threshold = collector.threshold;
    if (bound <= threshold) return;
    // Until k documents are found (often for the whole query at large k) nothing can be pruned,
    // so the bounds are not worked out: only a term with no postings in the window rules it out.
    const pruning = threshold > 0;
    let windowBound = 0;
    if (pruning) {
      // The lead's block is bounded by its impacts; the others by their block maxima over the window.
      windowBounds[0] = windowBound = lead.blockImpactBound(leadScale, floorNorms);
      bounds.leadBound = windowBound;
      // Every candidate is at least as long as the lead block's shortest document.
      bounds.leadNorm = norms.norm(lead.blockMinLength);
    }
    let absent = false;
    for (let i = 1; i < count && !absent; i++) {
      const entry = ordered[i]!;
      if (!pruning) absent = !entry.reaches(windowStart, windowEnd);
      else {
        windowBounds[i] = entry.boundWithin(windowStart, windowEnd);
        windowBound += windowBounds[i]!;
        absent = windowBounds[i] === 0;
      }
    }
    // A term with no postings in the window: no document there has every term.
    if (absent || (pruning && windowBound * BOUND_SLACK <= threshold)) continue;
    let found = lead.readBlock(candidates, frequencies[0]!);
    for (let i = 1; i < count && found > 0; i++) {
      const entry = ordered[i]!;
      bounds.needed = pruning ? threshold / BOUND_SLACK - (windowBound - windowBounds[0]! - windowBounds[i]!) : 0;
      bounds.scale = entry.scale;
      found = entry.cursor.intersect(candidates, found, kept, frequencies[i]!, bounds);
      for (let c = 0; c < found; c++) {
        const place = kept[c]!;
        candidates[c] = candidates[place]!;
        for (let earlier = 0; earlier < i; earlier++) frequencies[earlier]![c] = frequencies[earlier]![place]!;
      }
    }
    // The exact length of a candidate is likely a cache miss. Those that may matter (by the length
    // floor, when k documents are found) are listed first, then their lengths read in a loop with no
    // unpredictable branch, so the misses overlap; scoring them one at a time would wait for each.
    let survivors = 0;
    const floorThreshold = collector.threshold;
    for (let c = 0; c < found; c++) {
      if (floorThreshold > 0) {
        const floorNorm = floorNorms[lengthFloors[candidates[c]!]!]!;
        let bound = 0;
        for (let t = 0; t < count; t++) bound += termCursors[t]!.scoreFor(byQuery[t]![c]!, floorNorm);
        if (bound * BOUND_SLACK <= floorThreshold) continue;
      }
      kept[survivors++] = c;
    }
    for (let s = 0; s < survivors; s++) survivorLengths[s] = lengths16[candidates[kept[s]!]!]!;
    for (let s = 0; s < survivors; s++) {
      const c = kept[s]!;
      const document = candidates[c]!;
      const length = survivorLengths[s]!;
      const norm = norms.norm(length === LONG_DOCUMENT ? lengths[document]! : length);
      let score = 0;
      for (let t = 0; t < count; t++) score += termCursors[t]!.scoreFor(byQuery[t]![c]!, norm);
      // Within a segment and across segments documents come in ascending order, so a tie loses.
      if (score > collector.threshold) collector.offer(docBase + document, score);
    }
  }
}

/** Per-candidate arrays of one lead block, reused by every conjunction of the thread (queries run one at a time). */
const conjunctionScratch = {
  candidates: new Int32Array(BLOCK_SIZE),
  kept: new Int32Array(BLOCK_SIZE),
  survivorLengths: new Uint16Array(BLOCK_SIZE),
};

/**
 * MaxScore over windows of documents: in each window the lists are ordered by their bound
 * there (from stored block maxima), and lists whose window bounds together cannot beat the
 * current k-th score are non-essential: only probed for documents found through the others,
 * which are read a list at a time (see gatherWindow).
 */
function blockMaxScore(cursors: TermCursor[], scorer: HitScorer, minimumMatch: number, lengths: Uint32Array, norms: LengthNormTable): void {
  const count = cursors.length;
  // upTo[i]: the most that lists 0..i together add to a document of the window (slack included).
  const upTo = new Float64Array(count);
  const collector = scorer.collector;
  const { frequencies, slots } = windowScratch;
  let firstEssential = 0;
  for (let windowStart = 0; ; ) {
    const windowEnd = nextWindowEnd(cursors, firstEssential, windowStart);
    if (windowEnd === NO_MORE_DOCS) return;
    for (const entry of cursors) entry.windowBound = entry.boundWithin(windowStart, windowEnd);
    sortByWindowBound(cursors);
    let sum = 0;
    for (let i = 0; i < count; i++) upTo[i] = (sum += cursors[i]!.windowBound) * BOUND_SLACK;
    let threshold = collector.threshold;
    firstEssential = 0;
    while (firstEssential < count && upTo[firstEssential]! <= threshold) firstEssential++;
    // The essential lists are read term at a time into the window's slots, then the documents they
    // hold are visited in order. Those lists are then past the window, so they stay essential until
    // it ends even if the k-th score rises.
    const touched = gatherWindow(cursors, firstEssential, windowStart, windowEnd);
    for (let t = 0; t < touched; t++) {
      const slot = slots[t]!;
      const candidate = windowStart + slot;
      const norm = norms.norm(lengths[candidate]!);
      let score = 0;
      for (let i = firstEssential; i < count; i++) {
        const frequency = frequencies[i]![slot]!;
        if (frequency === 0) continue;
        frequencies[i]![slot] = 0;
        score += scorer.record(cursors[i]!.term, cursors[i]!.scoreFor(frequency, norm));
      }
      let pruned = false;
      for (let i = firstEssential - 1; i >= 0; i--) {
        if (score * BOUND_SLACK + upTo[i]! <= threshold) {
          pruned = true;
          break;
        }
        const entry = cursors[i]!;
        if (entry.cursor.doc < candidate) entry.cursor.advance(candidate);
        if (entry.cursor.doc === candidate) score += scorer.add(entry);
      }
      // The sum in visiting order differs from the query-order one by rounding only, far inside the
      // slack: a document it puts at or below the k-th score cannot enter, so skip the exact sum.
      if (pruned || score * BOUND_SLACK <= threshold) scorer.discard();
      else scorer.offer(candidate, minimumMatch);
      threshold = collector.threshold;
    }
    windowStart = windowEnd + 1;
  }
}

/** Most documents a MaxScore window spans, so its slots stay few and in cache. */
const MAX_WINDOW = 16384;

/**
 * Slots of one MaxScore window, reused by every query of the thread (queries run one at a time):
 * frequencies[i][slot] is list i's frequency in document windowStart + slot (0: absent; every
 * slot is cleared again as it is visited); slots lists the slots some list holds.
 */
const windowScratch = { frequencies: [] as Int32Array[], slots: new Int32Array(MAX_WINDOW), seen: new Uint32Array(MAX_WINDOW / 32) };

/**
 * Reads the postings of cursors[first..] in windowStart..windowEnd into windowScratch; returns
 * how many slots they touch, listed in ascending order in windowScratch.slots.
 */
function gatherWindow(cursors: readonly TermCursor[], first: number, windowStart: number, windowEnd: number): number {
  const { frequencies, slots, seen } = windowScratch;
  while (frequencies.length < cursors.length) frequencies.push(new Int32Array(MAX_WINDOW));
  for (let i = first; i < cursors.length; i++) {
    const cursor = cursors[i]!.cursor;
    if (cursor.doc < windowStart) cursor.advance(windowStart);
    const row = frequencies[i]!;
    for (let doc = cursor.doc; doc <= windowEnd; doc = cursor.nextDoc()) {
      const slot = doc - windowStart;
      row[slot] = cursor.tf;
      seen[slot >>> 5] = seen[slot >>> 5]! | (1 << (slot & 31));
    }
  }
  // A bit per slot lists the touched slots in order without sorting them.
  let touched = 0;
  const words = (windowEnd - windowStart + 32) >>> 5;
  for (let word = 0; word < words; word++) {
    for (let bits = seen[word]!; bits !== 0; bits &= bits - 1) slots[touched++] = word * 32 + 31 - Math.clz32(bits & -bits);
    seen[word] = 0;
  }
  return touched;
}

/**
 * Where the window starting at `windowStart` ends: the nearest block end among the lists that
 * were essential (any list once those are done), but at least MIN_WINDOW and at most
 * MAX_WINDOW documents on; NO_MORE_DOCS when no list has documents left.
 */
function nextWindowEnd(cursors: readonly TermCursor[], firstEssential: number, windowStart: number): number {
  for (const from of [firstEssential, 0]) {
    let end = NO_MORE_DOCS;
    for (let i = from; i < cursors.length; i++) {
      const cursor = cursors[i]!.cursor;
      if (cursor.doc === NO_MORE_DOCS || !cursor.shallowAdvance(Math.max(cursor.doc, windowStart))) continue;
      end = Math.min(end, cursor.blockLastDoc);
    }
    if (end !== NO_MORE_DOCS) return Math.min(Math.max(end, windowStart + MIN_WINDOW - 1), windowStart + MAX_WINDOW - 1, NO_MORE_DOCS - 1);
  }
  return NO_MORE_DOCS;
}

/** Insertion sort by window bound (a handful of terms), ties by query order so runs are deterministic. */
function sortByWindowBound(cursors: TermCursor[]): void {
  for (let i = 1; i < cursors.length; i++) {
    const entry = cursors[i]!;
    let j = i - 1;
    while (j >= 0 && (cursors[j]!.windowBound > entry.windowBound || (cursors[j]!.windowBound === entry.windowBound && cursors[j]!.term.index > entry.term.index))) {
      cursors[j + 1] = cursors[j]!;
      j--;
    }
    cursors[j + 1] = entry;
  }
}
