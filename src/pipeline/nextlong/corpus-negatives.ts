import type { Bm25Parameters } from "../../search/bm25.js";
import type { SearchEngine } from "../../search/search-engine.js";
import type { ChunkReference } from "../pack/interleave-negatives.js";
import type { ChunkPool, PoolChunk } from "./chunk-pool.js";
import { inBatches, QUERY_BATCH } from "./hard-negatives.js";
import type { NegativeFinder } from "./negative-finder.js";
import type { NegativeQueryBuilder } from "./negative-queries.js";

/**
 * Hard negatives drawn from the whole corpus (`--negative-pool corpus`) without indexing it a
 * second time: each chunk's query (the same informative terms as for the chunk index) goes to
 * the run's corpus index, which ranks whole documents; each hit document other than the
 * chunk's own is read once through its pointer into the chunk pool (spooled to disk, so the
 * pool's memory stays small) and stands for its chunk that best matches the query: the most
 * query-term idf it contains, ties to the earlier chunk. The cost is one corpus query per chunk
 * plus one read per distinct hit document, instead of chunking and indexing the whole corpus.
 * Candidates keep the corpus ranking, so reruns give the same negatives.
 */
export class CorpusNegativeFinder implements NegativeFinder {
  /** Candidates by chunk id. */
  readonly negatives = new Map<string, ChunkReference[]>();

  constructor(
    private readonly corpusIndex: SearchEngine,
    private readonly pool: ChunkPool,
    private readonly queries: NegativeQueryBuilder,
    private readonly options: { candidates: number; bm25: Bm25Parameters },
  ) {}

  /** Queries the corpus for `chunks` in batches, pooling the hit documents; returns how many queries ran. */
  async find(chunks: Iterable<PoolChunk>): Promise<number> {
    let queries = 0;
    for (const batch of inBatches(chunks, QUERY_BATCH)) {
      queries += batch.length;
      const selected = batch.map((entry) => this.queries.selectTerms(entry.text));
      const hits = await this.corpusIndex.searchMany(selected.map((terms) => terms.map((term) => term.word).join(" ")), { k: this.options.candidates, match: "any", bm25: this.options.bm25 });
      const hitDocuments = hits.map((list, i) => list.map((hit) => hit.docId).filter((docId) => docId !== batch[i]!.docId));
      await this.pool.addDocuments(hitDocuments.flat());
      const chunkTerms = new Map<string, Array<Set<string>>>();
      batch.forEach((entry, i) => {
        const terms = selected[i]!.map((term) => term.term);
        this.negatives.set(entry.id, hitDocuments[i]!.filter((docId) => this.pool.chunkCountOf(docId) > 0).map((docId) => ({ docId, chunk: this.bestChunk(docId, terms, chunkTerms) })));
      });
    }
    return queries;
  }

  /** The chunk of `docId` holding the most idf of `terms`; analysed chunks are kept for the batch. */
  private bestChunk(docId: string, terms: readonly string[], chunkTerms: Map<string, Array<Set<string>>>): number {
    if (this.pool.chunkCountOf(docId) === 1) return 0;
    let analysed = chunkTerms.get(docId);
    if (!analysed) chunkTerms.set(docId, (analysed = [...this.pool.entries([docId])].map((entry) => new Set(this.queries.analyze(entry.text)))));
    let best = 0;
    let bestScore = -1;
    analysed.forEach((chunk, n) => {
      let score = 0;
      for (const term of terms) if (chunk.has(term)) score += this.queries.idf(term);
      if (score > bestScore) [best, bestScore] = [n, score];
    });
    return best;
  }
}
