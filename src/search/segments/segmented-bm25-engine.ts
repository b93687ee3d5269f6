import { join } from "node:path";
import type { DocumentSource } from "../../core/records.js";
import { createAnalyzer, type AnalysisOptions } from "../analyzer.js";
import { bm25Idf, LengthNormTable } from "../bm25.js";
import { requiredTermCount, type IndexStatistics, type SearchEngine, type SearchHit, type SearchOptions } from "../search-engine.js";
import { readManifest, type IndexManifest } from "./index-manifest.js";
import { LENGTH_FLOORS } from "./length-floors.js";
import { readSegmentFile } from "./segment-file.js";
import type { SegmentParts } from "./segment-parts.js";
import { SegmentReader } from "./segment-reader.js";
import { searchSegment, type SegmentOrdinals, type WeightedTerm } from "./segment-query.js";
import { TopKCollector } from "./top-k-collector.js";
import { QueryWorkerPool } from "./query-worker-pool.js";

const textEncoder = new TextEncoder();

/** A hit before its id is looked up: global document number and score. */
export interface NumberedHit {
  document: number;
  score: number;
}

/**
 * Queries a list of segments as one index: BM25 statistics (N, average length, df) are
 * global, scoring runs per segment into one top-k collector, segments visited in corpus order.
 */
export class SegmentSearcher {
  readonly segments: SegmentReader[];
  readonly docBases: number[];
  readonly statistics: IndexStatistics;
  private readonly analyze: (text: string) => string[];
  private readonly longestDocument: number;
  /** The norms of the last k1 and b queried (a run uses one pair), and those of the LENGTH_FLOORS values. */
  private norms: { table: LengthNormTable; floors: Float64Array } | undefined;

  constructor(readonly analysis: AnalysisOptions, parts: readonly SegmentParts[], termCount: number) {
    this.segments = parts.map((segment) => new SegmentReader(segment));
    this.docBases = [];
    let documentCount = 0;
    let totalLength = 0;
    for (const segment of parts) {
      this.docBases.push(documentCount);
      documentCount += segment.docCount;
      totalLength += segment.totalLength;
    }
    this.statistics = { documentCount, termCount, totalLength, averageDocumentLength: documentCount === 0 ? 0 : totalLength / documentCount };
    this.analyze = createAnalyzer(analysis);
    this.longestDocument = parts.reduce((longest, segment) => segment.lengths.reduce((a, b) => Math.max(a, b), longest), 0);
  }

  search(query: string, options: SearchOptions): NumberedHit[] {
    const counts = new Map<string, number>();
    for (const term of this.analyze(query)) counts.set(term, (counts.get(term) ?? 0) + 1);
    if (counts.size === 0) return [];
    const minimumMatch = requiredTermCount(options, counts.size);
    const terms: WeightedTerm[] = [];
    // ordinals[s][t]: term t's dictionary entry in segment s, looked up once per query.
    const ordinals: SegmentOrdinals[] = this.segments.map(() => new Int32Array(counts.size));
    for (const [term, weight] of counts) {
      const index = terms.length;
      const utf8 = textEncoder.encode(term);
      let df = 0;
      this.segments.forEach((segment, s) => {
        const ordinal = segment.findTermBytes(utf8);
        ordinals[s]![index] = ordinal;
        if (ordinal >= 0) df += segment.parts.termDf[ordinal]!;
      });
      // Absent terms add nothing, but still count towards what "all" requires.
      if (df > 0) terms.push({ index, term, idf: bm25Idf(this.statistics.documentCount, df), weight });
    }
    if (terms.length < minimumMatch) return [];
    const collector = new TopKCollector(options.k);
    const norms = this.lengthNorms(options);
    const segmentQuery = { terms, minimumMatch, norms: norms.table, floorNorms: norms.floors };
    this.segments.forEach((segment, i) => searchSegment(segment, segmentQuery, ordinals[i]!, collector, this.docBases[i]!));
    return collector.results();
  }

  private lengthNorms(options: SearchOptions): { table: LengthNormTable; floors: Float64Array } {
    if (!this.norms?.table.fits(options.bm25)) {
      const table = new LengthNormTable(this.statistics.averageDocumentLength, options.bm25, this.longestDocument);
      this.norms = { table, floors: Float64Array.from(LENGTH_FLOORS, (length) => table.norm(length)) };
    }
    return this.norms;
  }

  /**
   * The ids and sources of numbered hits, in their order. A hit's entries sit in arrays of several
   * megabytes, so each read is likely a cache miss. A first pass copies every hit's id range,
   * file and locator numbers in a loop free of unpredictable branches, so those misses overlap;
   * decoding ids and building objects in the same loop would take them one after another.
   */
  describeHits(hits: readonly NumberedHit[]): SearchHit[] {
    const count = hits.length;
    const segmentOf = new Int32Array(count);
    const localOf = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const document = hits[i]!.document;
      const segment = this.segmentIndexOf(document);
      segmentOf[i] = segment;
      localOf[i] = document - this.docBases[segment]!;
    }
    const idRanges = new Uint32Array(2 * count);
    const files = new Uint32Array(count);
    const numbers = new Float64Array(3 * count);
    for (let i = 0; i < count; i++) {
      const parts = this.segments[segmentOf[i]!]!.parts;
      const local = localOf[i]!;
      idRanges[2 * i] = parts.idOffsets[local]!;
      idRanges[2 * i + 1] = parts.idOffsets[local + 1]!;
      files[i] = parts.sourceFile[local]!;
      numbers[3 * i] = parts.sourceNumbers[3 * local]!;
      numbers[3 * i + 1] = parts.sourceNumbers[3 * local + 1]!;
      numbers[3 * i + 2] = parts.sourceNumbers[3 * local + 2]!;
    }
    const described = new Array<SearchHit>(count);
    for (let i = 0; i < count; i++) {
      const segment = this.segments[segmentOf[i]!]!;
      const source = segment.sourceFromEntries(files[i]!, numbers[3 * i]!, numbers[3 * i + 1]!, numbers[3 * i + 2]!);
      described[i] = { docId: segment.idBytesAsText(idRanges[2 * i]!, idRanges[2 * i + 1]!), score: hits[i]!.score, source };
    }
    return described;
  }

  /** The index of the segment holding a global document number. */
  private segmentIndexOf(document: number): number {
    let low = 0;
    let high = this.docBases.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.docBases[middle]! <= document) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/** Below this many queries a batch is answered on the calling thread (workers cost more to start). */
const PARALLEL_BATCH = 64;

/** The embedded on-disk BM25 engine: an index directory of segments named by its manifest. */
export class SegmentedBm25Engine implements SearchEngine {
  private pool: QueryWorkerPool | undefined;

  private constructor(private readonly searcher: SegmentSearcher, private readonly parts: readonly SegmentParts[], private readonly workers: number) {}

  /**
   * Opens the index in `directory`; `workers` threads answer large batches (default: one per core).
   * Checksums are verified unless told otherwise (hashing runs at over 1 GB/s): a damaged index is refused, never trusted.
   */
  static async open(directory: string, options: { workers?: number; verifyChecksums?: boolean } = {}): Promise<SegmentedBm25Engine> {
    const manifest: IndexManifest = await readManifest(directory);
    const parts: SegmentParts[] = [];
    for (const entry of manifest.segments) parts.push(await readSegmentFile(join(directory, entry.file), options.verifyChecksums ?? true));
    const workers = options.workers ?? (await import("node:os")).availableParallelism();
    return new SegmentedBm25Engine(new SegmentSearcher(manifest.analysis, parts, manifest.termCount), parts, workers);
  }

  get analysis(): AnalysisOptions {
    return this.searcher.analysis;
  }

  statistics(): IndexStatistics {
    return { ...this.searcher.statistics };
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    return this.toHits(this.searcher.search(query, options));
  }

  async searchMany(queries: readonly string[], options: SearchOptions): Promise<SearchHit[][]> {
    if (queries.length < PARALLEL_BATCH || this.workers <= 1) return queries.map((query) => this.toHits(this.searcher.search(query, options)));
    this.pool ??= new QueryWorkerPool(this.workers, this.searcher.analysis, this.parts, this.searcher.statistics.termCount);
    const numbered = await this.pool.searchMany(queries, options);
    return numbered.map((hits) => this.toHits(hits));
  }

  documentSource(docId: string): DocumentSource | undefined {
    const { segments } = this.searcher;
    for (let i = 0; i < segments.length; i++) {
      const local = segments[i]!.findDocument(docId);
      if (local >= 0) return segments[i]!.source(local);
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }

  private toHits(hits: NumberedHit[]): SearchHit[] {
    return this.searcher.describeHits(hits);
  }
}
