import { bm25TermScore, type Bm25Parameters } from "../bm25.js";
import { NO_MORE_DOCS, PostingsCursor } from "./postings-cursor.js";
import type { SegmentReader } from "./segment-reader.js";
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
  bm25: Bm25Parameters;
  averageDocumentLength: number;
}

// Bounds are sums of per-term maxima; widen them a hair so float rounding in the exact score never exceeds them.
const BOUND_SLACK = 1 + 1e-9;

interface TermCursor {
  term: WeightedTerm;
  cursor: PostingsCursor;
  bound: number;
}

/**
 * Scores one segment's documents for a query into `collector` (documents numbered from `docBase`).
 * Conjunctive queries walk the rarest list and skip the others forward; disjunctive ones use
 * MaxScore: lists whose bounds together cannot beat the current k-th score are only probed for
 * documents found through the others. Every hit's score is summed in query-term order, so it is
 * bit-identical to the exhaustive scorer's.
 */
export function searchSegment(segment: SegmentReader, query: SegmentQuery, collector: TopKCollector, docBase: number): void {
  const parts = segment.parts;
  const { bm25, averageDocumentLength } = query;
  const termCursors: TermCursor[] = [];
  for (const term of query.terms) {
    const ordinal = segment.findTerm(term.term);
    if (ordinal < 0) continue;
    const bound = term.weight * bm25TermScore(term.idf, parts.termMaxTf[ordinal]!, parts.termMinLength[ordinal]!, averageDocumentLength, bm25);
    termCursors.push({ term, cursor: new PostingsCursor(parts, ordinal), bound });
  }
  if (termCursors.length < query.minimumMatch || termCursors.length === 0) return;
  const scorer = new HitScorer(query, parts.lengths, collector, docBase);
  if (termCursors.length === query.terms.length && query.minimumMatch === query.terms.length) conjunction(termCursors, scorer);
  else maxScore(termCursors, scorer, query.minimumMatch);
}

/** Accumulates one document's per-term scores and offers the total, summed in query-term order. */
class HitScorer {
  private readonly contributions: Float64Array;
  private readonly matched: Uint8Array;

  constructor(private readonly query: SegmentQuery, private readonly lengths: Uint32Array, readonly collector: TopKCollector, private readonly docBase: number) {
    this.contributions = new Float64Array(query.terms.length);
    this.matched = new Uint8Array(query.terms.length);
  }

  /** Records the cursor's term for its current document and returns the term's score. */
  add(entry: TermCursor): number {
    const { term, cursor } = entry;
    const score = term.weight * bm25TermScore(term.idf, cursor.tf, this.lengths[cursor.doc]!, this.query.averageDocumentLength, this.query.bm25);
    this.contributions[term.index] = score;
    this.matched[term.index] = 1;
    return score;
  }

  /** Offers the recorded document if it matched enough terms, then clears the record. */
  offer(document: number, minimumMatch: number): void {
    let score = 0;
    let count = 0;
    for (let i = 0; i < this.matched.length; i++) {
      if (this.matched[i] === 0) continue;
      score += this.contributions[i]!;
      count++;
      this.matched[i] = 0;
    }
    if (count >= minimumMatch) this.collector.offer(this.docBase + document, score);
  }

  discard(): void {
    this.matched.fill(0);
  }
}

function conjunction(termCursors: TermCursor[], scorer: HitScorer): void {
  const ordered = [...termCursors].sort((a, b) => a.cursor.df - b.cursor.df);
  const bound = ordered.reduce((sum, entry) => sum + entry.bound, 0) * BOUND_SLACK;
  const lead = ordered[0]!.cursor;
  const collector = scorer.collector;
  let document = lead.nextDoc();
  outer: while (document !== NO_MORE_DOCS) {
    if (bound <= collector.threshold) return;
    for (let i = 1; i < ordered.length; i++) {
      const cursor = ordered[i]!.cursor;
      if (cursor.doc < document) cursor.advance(document);
      if (cursor.doc > document) {
        if (cursor.doc === NO_MORE_DOCS) return;
        document = lead.advance(cursor.doc);
        continue outer;
      }
    }
    for (const entry of ordered) scorer.add(entry);
    scorer.offer(document, ordered.length);
    document = lead.nextDoc();
  }
}

function maxScore(termCursors: TermCursor[], scorer: HitScorer, minimumMatch: number): void {
  const ordered = [...termCursors].sort((a, b) => a.bound - b.bound || a.term.index - b.term.index);
  // upTo[i]: the most that lists 0..i together can add.
  const upTo: number[] = [];
  ordered.reduce((sum, entry, i) => (upTo[i] = sum + entry.bound), 0);
  const collector = scorer.collector;
  for (const entry of ordered) entry.cursor.nextDoc();
  let firstEssential = 0;
  let threshold = collector.threshold;
  const raiseEssentialBoundary = () => {
    while (firstEssential < ordered.length && upTo[firstEssential]! * BOUND_SLACK <= threshold) firstEssential++;
  };
  raiseEssentialBoundary();
  while (firstEssential < ordered.length) {
    let candidate = NO_MORE_DOCS;
    for (let i = firstEssential; i < ordered.length; i++) {
      const doc = ordered[i]!.cursor.doc;
      if (doc < candidate) candidate = doc;
    }
    if (candidate === NO_MORE_DOCS) return;
    let score = 0;
    for (let i = firstEssential; i < ordered.length; i++) {
      const entry = ordered[i]!;
      if (entry.cursor.doc !== candidate) continue;
      score += scorer.add(entry);
      entry.cursor.nextDoc();
    }
    let pruned = false;
    for (let i = firstEssential - 1; i >= 0; i--) {
      if ((score + upTo[i]!) * BOUND_SLACK <= threshold) {
        pruned = true;
        break;
      }
      const entry = ordered[i]!;
      if (entry.cursor.doc < candidate) entry.cursor.advance(candidate);
      if (entry.cursor.doc === candidate) score += scorer.add(entry);
    }
    if (pruned) scorer.discard();
    else scorer.offer(candidate, minimumMatch);
    if (collector.threshold !== threshold) {
      threshold = collector.threshold;
      raiseEssentialBoundary();
    }
  }
}
