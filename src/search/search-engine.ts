import type { CorpusDocument, DocumentSource } from "../core/records.js";
import type { AnalysisOptions } from "./analyzer.js";
import type { Bm25Parameters } from "./bm25.js";

/** "all": a document must contain every query term (Manticore's default); "any": at least one. */
export type MatchMode = "all" | "any";

export interface SearchOptions {
  /** Number of hits wanted, >= 1. */
  k: number;
  match: MatchMode;
  /** With match "any": the least number of distinct query terms a hit contains (default 1). */
  minimumShouldMatch?: number;
  bm25: Bm25Parameters;
}

export interface SearchHit {
  docId: string;
  score: number;
  /** Where the document's text lives. */
  source: DocumentSource;
}

/** Collection statistics; BM25 uses them over the whole index, never per part of it. */
export interface IndexStatistics {
  documentCount: number;
  /** Distinct terms. */
  termCount: number;
  /** Sum of all document lengths in terms. */
  totalLength: number;
  averageDocumentLength: number;
}

/**
 * A BM25 search engine over a corpus. Hits are ordered by score, ties by corpus order.
 * Implementations: the exact in-memory engine (also the test oracle), later on-disk and remote.
 */
export interface SearchEngine {
  readonly analysis: AnalysisOptions;
  statistics(): IndexStatistics;
  search(query: string, options: SearchOptions): Promise<SearchHit[]>;
  searchMany(queries: readonly string[], options: SearchOptions): Promise<SearchHit[][]>;
  /** Where a document's text lives, or undefined for an unknown id. */
  documentSource(docId: string): DocumentSource | undefined;
  /**
   * Engines whose pointers live elsewhere (a remote cluster) fetch them here, before
   * documentSource is asked for ids that did not come from this engine's own hit lists.
   */
  loadDocumentSources?(docIds: readonly string[]): Promise<void>;
  /** Releases worker threads and connections; the engine is unusable afterwards. */
  close(): Promise<void>;
}

/** How many distinct query terms a hit must contain. */
export function requiredTermCount(options: SearchOptions, distinctTerms: number): number {
  return options.match === "all" ? distinctTerms : Math.min(distinctTerms, Math.max(1, options.minimumShouldMatch ?? 1));
}

/** Builds an index document by document. */
export interface SearchIndexBuilder {
  /** Adds a document; returns false (and ignores it) when its id is already indexed. */
  add(document: CorpusDocument): boolean;
  /** Seals the index; the builder is unusable afterwards. */
  finish(): SearchEngine;
}
