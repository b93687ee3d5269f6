import type { Bm25Parameters } from "../../search/bm25.js";
import type { SearchEngine } from "../../search/search-engine.js";
import type { ChunkReference } from "../pack/interleave-negatives.js";
import type { PoolChunk } from "./chunk-pool.js";
import { NegativeQueryBuilder } from "./negative-queries.js";

/** Queries sent to the engine's worker pool at once. */
const QUERY_BATCH = 4096;
/** Terms kept in each chunk's query (see NegativeQueryBuilder). */
export const NEGATIVE_QUERY_TERMS = 32;

/**
 * Finds hard-negative candidates of pool chunks, best first, never from the chunk's own
 * document: the chunk index is queried with each chunk's most informative terms (match any),
 * idf taken over the chunks indexed. `candidates` hits are asked for, so that enough remain
 * after dropping same-document chunks and, later, those excluded per topic.
 */
export class HardNegativeFinder {
  /** Candidates by chunk id. */
  readonly negatives = new Map<string, ChunkReference[]>();
  private readonly queries: NegativeQueryBuilder;

  constructor(private readonly chunkIndex: SearchEngine, indexed: Iterable<PoolChunk>, private readonly options: { candidates: number; bm25: Bm25Parameters }) {
    this.queries = new NegativeQueryBuilder(chunkIndex.analysis, NEGATIVE_QUERY_TERMS);
    for (const entry of indexed) this.queries.addChunk(entry.text);
  }

  /** Retrieves the candidates of `chunks` in batches on the engine's query workers; returns how many queries ran. */
  async find(chunks: Iterable<PoolChunk>): Promise<number> {
    const entries = [...chunks];
    for (let start = 0; start < entries.length; start += QUERY_BATCH) {
      const batch = entries.slice(start, start + QUERY_BATCH);
      const hits = await this.chunkIndex.searchMany(batch.map((entry) => this.queries.queryFor(entry.text)), { k: this.options.candidates, match: "any", bm25: this.options.bm25 });
      batch.forEach((entry, i) => {
        this.negatives.set(entry.id, hits[i]!.map((hit) => parseChunkKey(hit.docId)).filter((reference) => reference.docId !== entry.docId));
      });
    }
    return entries.length;
  }
}

/** Inverse of chunkKey: the chunk number follows the last "#" (document ids may contain "#"). */
export function parseChunkKey(key: string): ChunkReference {
  const hash = key.lastIndexOf("#");
  return { docId: key.slice(0, hash), chunk: Number(key.slice(hash + 1)) };
}
