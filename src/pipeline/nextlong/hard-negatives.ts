import type { Bm25Parameters } from "../../search/bm25.js";
import type { SearchEngine } from "../../search/search-engine.js";
import type { ChunkReference } from "../pack/interleave-negatives.js";
import type { PoolChunk } from "./chunk-pool.js";
import type { NegativeQueryBuilder } from "./negative-queries.js";
import type { NegativeFinder } from "./negative-finder.js";

/** Queries sent to the engine's worker pool at once. */
export const QUERY_BATCH = 4096;
/** Terms kept in each chunk's query (see NegativeQueryBuilder): on the demo corpus 16 terms retrieve negatives as similar to their chunk as 32 (tf-idf cosine 0.366 vs 0.361) at 2-4x the queries per second. */
export const NEGATIVE_QUERY_TERMS = 16;

/** `items` in arrays of up to `size`, read lazily (chunk texts are not all held at once). */
export function* inBatches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Finds hard-negative candidates of pool chunks, best first, never from the chunk's own
 * document: the chunk index is queried with each chunk's most informative terms (match any,
 * chosen by `queries`, whose idf counts the retrieved documents' chunks). `candidates` hits are asked for, so that enough remain
 * after dropping same-document chunks and, later, those excluded per topic.
 */
export class HardNegativeFinder implements NegativeFinder {
  /** Candidates by chunk id. */
  readonly negatives = new Map<string, ChunkReference[]>();

  constructor(private readonly chunkIndex: SearchEngine, private readonly queries: NegativeQueryBuilder, private readonly options: { candidates: number; bm25: Bm25Parameters }) {}

  /** Retrieves the candidates of `chunks` in batches on the engine's query workers; returns how many queries ran. */
  async find(chunks: Iterable<PoolChunk>): Promise<number> {
    let queries = 0;
    for (const batch of inBatches(chunks, QUERY_BATCH)) {
      queries += batch.length;
      const hits = await this.chunkIndex.searchMany(batch.map((entry) => this.queries.queryFor(entry.text)), { k: this.options.candidates, match: "any", bm25: this.options.bm25 });
      batch.forEach((entry, i) => {
        this.negatives.set(entry.id, hits[i]!.map((hit) => parseChunkKey(hit.docId)).filter((reference) => reference.docId !== entry.docId));
      });
    }
    return queries;
  }
}

/** Inverse of chunkKey: the chunk number follows the last "#" (document ids may contain "#"). */
export function parseChunkKey(key: string): ChunkReference {
  const hash = key.lastIndexOf("#");
  return { docId: key.slice(0, hash), chunk: Number(key.slice(hash + 1)) };
}
