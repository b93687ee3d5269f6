import type { RowDataPacket } from "mysql2/promise";
import type { DocumentSource } from "../core/records.js";
import type { AnalysisOptions } from "./analyzer.js";
import { createAnalyzer } from "./analyzer.js";
import type { SphinxQlAddress, SphinxQlTable } from "./sphinxql-address.js";
import { SphinxQlError, withSphinxQl } from "./sphinxql-connection.js";
import { bm25fArguments, matchText, rankingOptions, scoreFromWeight, type IdfStatistics } from "./sphinxql-ranking.js";
import type { IndexStatistics, SearchEngine, SearchHit, SearchOptions } from "./search-engine.js";

/** Queries in flight at once in searchMany: searchd runs each on its own thread. */
const QUERY_CONNECTIONS = 4;
/** Document ids looked up per statement when fetching pointers. */
const LOOKUP_BATCH = 500;

/** What the adapter learns about the cluster when it opens. */
export interface ClusterFacts {
  documentCount: number;
  totalLength: number;
  shardCount: number;
  /** False for Sphinx 2.x real-time tables, whose BM25F needs the length correction. */
  lengthTotalsKept: boolean;
}

/**
 * The SearchEngine over a Sphinx 2.2 / Manticore cluster. Documents live in the engine as
 * (id = corpus order + 1, text, doc_key, source); queries go to the distributed table and are
 * ranked by BM25F with k1 and b, ties by corpus order. Texts are never stored: the source
 * pointer each hit carries is remembered so texts are read back from the corpus files.
 */
export class SphinxQlEngine implements SearchEngine {
  private readonly sources = new Map<string, DocumentSource>();
  private readonly analyze: (text: string) => string[];

  private constructor(
    readonly address: SphinxQlAddress,
    readonly analysis: AnalysisOptions,
    readonly facts: ClusterFacts,
    readonly idf: IdfStatistics,
  ) {
    this.analyze = createAnalyzer(analysis);
  }

  /**
   * Connects to the cluster, reads its size and checks every shard can rank with true BM25.
   * Throws SphinxQlError when a host is unreachable or a Sphinx 2 shard has disk chunks.
   */
  static async open(address: SphinxQlAddress, analysis: AnalysisOptions, idf: IdfStatistics = "local"): Promise<SphinxQlEngine> {
    const { sizes, lengthTotalsKept } = await withSphinxQl(address.query, 1, async (run) => {
      const version = await run("SHOW STATUS LIKE 'version'");
      const [row] = await run(`SELECT COUNT(*) AS documents, SUM(content_len) AS terms FROM ${address.query.table}`);
      // Sphinx 2.x has no version row; Manticore and Sphinx 3 have one.
      return { sizes: row!, lengthTotalsKept: version.length > 0 && !String(version[0]!.Value).startsWith("2.") };
    });
    if (!lengthTotalsKept) await Promise.all(address.load.map((shard) => requireRamOnly(shard)));
    const facts: ClusterFacts = { documentCount: Number(sizes.documents), totalLength: Number(sizes.terms ?? 0), shardCount: address.load.length, lengthTotalsKept };
    return new SphinxQlEngine(address, analysis, facts, idf);
  }

  /** termCount is 0: SphinxQL does not report vocabulary sizes. */
  statistics(): IndexStatistics {
    const { documentCount, totalLength } = this.facts;
    return { documentCount, termCount: 0, totalLength, averageDocumentLength: documentCount === 0 ? 0 : totalLength / documentCount };
  }

  documentSource(docId: string): DocumentSource | undefined {
    return this.sources.get(docId);
  }

  /** Fetches the pointers of documents not seen in a hit list yet (by doc_key, in batches). */
  async loadDocumentSources(docIds: readonly string[]): Promise<void> {
    const missing = [...new Set(docIds.filter((id) => !this.sources.has(id)))];
    if (missing.length === 0) return;
    const { table } = this.address.query;
    await withSphinxQl(this.address.query, 1, async (run) => {
      for (let first = 0; first < missing.length; first += LOOKUP_BATCH) {
        const batch = missing.slice(first, first + LOOKUP_BATCH);
        const rows = await run(`SELECT id, doc_key, source FROM ${table} WHERE doc_key IN (?) LIMIT ${batch.length} OPTION max_matches=${Math.max(1000, batch.length)}`, [batch]);
        for (const row of rows) this.remember(row);
      }
    });
  }

  async search(query: string, options: SearchOptions): Promise<SearchHit[]> {
    return (await this.searchMany([query], options))[0]!;
  }

  async searchMany(queries: readonly string[], options: SearchOptions): Promise<SearchHit[][]> {
    const results: SearchHit[][] = new Array(queries.length);
    const ranking = rankingOptions(bm25fArguments(options.bm25, this.facts, this.facts.lengthTotalsKept), options.k, this.idf);
    await withSphinxQl(this.address.query, QUERY_CONNECTIONS, async (run) => {
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < queries.length; i = next++) results[i] = await this.searchOne(run, queries[i]!, options, ranking);
      };
      await Promise.all(Array.from({ length: Math.min(QUERY_CONNECTIONS, queries.length) }, worker));
    });
    return results;
  }

  private async searchOne(run: (sql: string, values?: unknown[]) => Promise<RowDataPacket[]>, query: string, options: SearchOptions, ranking: string): Promise<SearchHit[]> {
    // A query our analyzer reduces to nothing (stopwords only) matches nothing, as in the embedded engine.
    if (this.analyze(query).length === 0) return [];
    const sql = `SELECT id, doc_key, source, WEIGHT() AS relevance FROM ${this.address.query.table} WHERE MATCH(?) ORDER BY relevance DESC, id ASC LIMIT ${options.k} OPTION ${ranking}`;
    // The alias must not be "weight": agents' rows are then sorted by a different value.
    const rows = await run(sql, [matchText(query, options.match, options.minimumShouldMatch)]);
    return rows.map((row) => {
      const source = this.remember(row);
      return { docId: String(row.doc_key), score: scoreFromWeight(Number(row.relevance)), source };
    });
  }

  /** Connections are opened per call, so there is nothing to release. */
  async close(): Promise<void> {}

  private remember(row: RowDataPacket): DocumentSource {
    const source = JSON.parse(String(row.source)) as DocumentSource;
    this.sources.set(String(row.doc_key), source);
    return source;
  }
}

/** Sphinx 2 BM25F divides by a zero average length in disk chunks: such shards cannot rank by BM25. */
async function requireRamOnly(shard: SphinxQlTable): Promise<void> {
  const rows = await withSphinxQl(shard, 1, (run) => run(`SHOW INDEX ${shard.table} STATUS`));
  const diskChunks = Number(rows.find((row) => row.Variable_name === "disk_chunks")?.Value ?? 0);
  if (diskChunks > 0) {
    throw new SphinxQlError(shard, `has ${diskChunks} disk chunk(s); Sphinx 2 keeps no field-length totals there, so BM25 length normalisation is impossible (raise rt_mem_limit and reload, or use Manticore)`, false);
  }
}
