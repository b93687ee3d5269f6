import { createAnalyzer, type AnalysisOptions } from "../../search/analyzer.js";
import { bm25Idf } from "../../search/bm25.js";

/** Words as the analyzer sees them (letters and digits, inner apostrophes kept). */
const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;

/**
 * Turns a meta-chunk into a short BM25 query for its hard negatives. A 2,048-character chunk
 * has a few hundred words; querying with all of them is slow and dominated by common words, so
 * the query keeps the `maxTerms` terms with the highest tf × idf, where idf is computed over
 * all chunks of the pool (ties: the term that sorts first). Each kept term is written as the
 * first word of the chunk that analyses to it, so the engine's analyzer yields the same term.
 */
export class NegativeQueryBuilder {
  /** The engine's analysis (terms as the index has them). */
  readonly analyze: (text: string) => string[];
  private readonly documentFrequency = new Map<string, number>();
  /** Terms of each word seen (analysis dominates query building; vocabularies are Zipfian). */
  private readonly wordTerms = new Map<string, string[]>();
  private chunkCount = 0;

  constructor(analysis: AnalysisOptions, private readonly maxTerms: number) {
    this.analyze = createAnalyzer(analysis);
  }

  /** Counts a chunk's distinct terms towards document frequencies; call for every chunk first. */
  addChunk(text: string): void {
    this.chunkCount++;
    for (const term of new Set(this.analyze(text))) this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
  }

  /** The query for one chunk: its most informative words, best first, space-separated. */
  queryFor(text: string): string {
    return this.selectTerms(text).map((entry) => entry.word).join(" ");
  }

  /** BM25 idf of an analysed term over the chunks counted. */
  idf(term: string): number {
    return bm25Idf(this.chunkCount, this.documentFrequency.get(term) ?? 1);
  }

  /** A chunk's `maxTerms` terms of highest tf × idf, best first, each with its first surface word. */
  selectTerms(text: string): Array<{ term: string; word: string; weight: number }> {
    const terms = new Map<string, { word: string; count: number }>();
    for (const match of text.matchAll(WORD)) {
      let wordTerms = this.wordTerms.get(match[0]);
      if (!wordTerms) {
        if (this.wordTerms.size > 200_000) this.wordTerms.clear();
        this.wordTerms.set(match[0], (wordTerms = this.analyze(match[0])));
      }
      for (const term of wordTerms) {
        const entry = terms.get(term);
        if (entry) entry.count++;
        else terms.set(term, { word: match[0], count: 1 });
      }
    }
    const weighted = [...terms].map(([term, { word, count }]) => ({ term, word, weight: count * this.idf(term) }));
    weighted.sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    return weighted.slice(0, this.maxTerms);
  }
}
