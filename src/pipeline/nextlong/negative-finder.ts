import type { ChunkReference } from "../pack/interleave-negatives.js";
import type { PoolChunk } from "./chunk-pool.js";

/** Where a topic's hard negatives come from: BM25 over the chunk index, or dense vectors. */
export interface NegativeFinder {
  /** Candidates by chunk id, best first, none from the chunk's own document. */
  readonly negatives: ReadonlyMap<string, readonly ChunkReference[]>;
  /** Finds the candidates of `chunks` (adding them to `negatives`); returns how many chunks were looked up. */
  find(chunks: Iterable<PoolChunk>): Promise<number>;
}
