import type { CorpusDocument, DocumentSource } from "../core/records.js";
import { createAnalyzer, type AnalysisOptions } from "./analyzer.js";
import { bm25Idf, bm25TermScore } from "./bm25.js";
import { requiredTermCount, type IndexStatistics, type SearchEngine, type SearchHit, type SearchIndexBuilder, type SearchOptions } from "./search-engine.js";

/** A term's postings: document numbers (ascending) and term frequencies, side by side. */
interface Postings {
  documents: Uint32Array;
  frequencies: Uint32Array;
}

/** Everything the engine holds. */
interface ExactIndexData {
  analysis: AnalysisOptions;
  docIds: string[];
  sources: DocumentSource[];
  lengths: Uint32Array;
  postings: Map<string, Postings>;
}

/**
 * Exact BM25 in memory: scores every document that contains a query term and sorts them all.
 * No pruning, no approximation: the test oracle the segmented engine must equal.
 */
export class ExactBm25Engine implements SearchEngine {
  private readonly analyze: (text: string) => string[];
  private readonly numberById: Map<string, number>;
  private readonly stats: IndexStatistics;

  constructor(private readonly data: ExactIndexData) {
    this.analyze = createAnalyzer(data.analysis);
    this.numberById = new Map(data.docIds.map((id, number) => [id, number]));
    let totalLength = 0;
    for (const length of data.lengths) totalLength += length;
    const documentCount = data.docIds.length;
    this.stats = {
      documentCount,
      termCount: data.postings.size,
      totalLength,
      averageDocumentLength: documentCount === 0 ? 0 : totalLength / documentCount,
    };
  }

  get analysis(): AnalysisOptions {
    return this.data.analysis;
  }

  statistics(): IndexStatistics {
    return { ...this.stats };
  }

  documentSource(docId: string): DocumentSource | undefined {
    const number = this.numberById.get(docId);
    return number === undefined ? undefined : this.data.sources[number];
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    return this.searchNow(query, options);
  }

  async searchMany(queries: readonly string[], options: SearchOptions): Promise<SearchHit[][]> {
    return queries.map((query) => this.searchNow(query, options));
  }

  async close(): Promise<void> {}

  private searchNow(query: string, options: SearchOptions): SearchHit[] {
    const queryTerms = countTerms(this.analyze(query));
    if (queryTerms.size === 0) return [];
    const required = requiredTermCount(options, queryTerms.size);
    const { documentCount, averageDocumentLength } = this.stats;
    const scores = new Map<number, number>();
    const matchedTerms = new Map<number, number>();
    for (const [term, queryFrequency] of queryTerms) {
      const postings = this.data.postings.get(term);
      // A term absent from the index makes an all-terms query match nothing.
      if (!postings) {
        if (options.match === "all") return [];
        continue;
      }
      const idf = bm25Idf(documentCount, postings.documents.length);
      for (let i = 0; i < postings.documents.length; i++) {
        const document = postings.documents[i]!;
        const length = this.data.lengths[document]!;
        const score = queryFrequency * bm25TermScore(idf, postings.frequencies[i]!, length, averageDocumentLength, options.bm25);
        scores.set(document, (scores.get(document) ?? 0) + score);
        matchedTerms.set(document, (matchedTerms.get(document) ?? 0) + 1);
      }
    }
    const candidates: Array<[number, number]> = [];
    for (const [document, score] of scores) {
      if (matchedTerms.get(document)! < required) continue;
      candidates.push([document, score]);
    }
    candidates.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return candidates.slice(0, options.k).map(([document, score]) => ({ docId: this.data.docIds[document]!, score, source: this.data.sources[document]! }));
  }
}

function countTerms(terms: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/** Collects documents in memory and seals them into an ExactBm25Engine. */
export class ExactBm25IndexBuilder implements SearchIndexBuilder {
  private readonly analyze: (text: string) => string[];
  private readonly docIds: string[] = [];
  private readonly seen = new Set<string>();
  private readonly sources: DocumentSource[] = [];
  private readonly lengths: number[] = [];
  // Interleaved (document, frequency) pairs per term while building.
  private readonly building = new Map<string, number[]>();

  constructor(private readonly analysis: AnalysisOptions) {
    this.analyze = createAnalyzer(analysis);
  }

  add(document: CorpusDocument): boolean {
    if (this.seen.has(document.id)) return false;
    this.seen.add(document.id);
    const number = this.docIds.length;
    this.docIds.push(document.id);
    this.sources.push(document.source);
    const terms = this.analyze(document.text);
    this.lengths.push(terms.length);
    for (const [term, frequency] of countTerms(terms)) {
      let list = this.building.get(term);
      if (!list) this.building.set(term, (list = []));
      list.push(number, frequency);
    }
    return true;
  }

  finish(): ExactBm25Engine {
    const postings = new Map<string, Postings>();
    for (const [term, pairs] of this.building) {
      const documents = new Uint32Array(pairs.length / 2);
      const frequencies = new Uint32Array(pairs.length / 2);
      for (let i = 0; i < documents.length; i++) {
        documents[i] = pairs[2 * i]!;
        frequencies[i] = pairs[2 * i + 1]!;
      }
      postings.set(term, { documents, frequencies });
    }
    this.building.clear();
    return new ExactBm25Engine({
      analysis: this.analysis,
      docIds: this.docIds,
      sources: this.sources,
      lengths: Uint32Array.from(this.lengths),
      postings,
    });
  }
}
