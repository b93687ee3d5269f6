import { join } from "node:path";
import { EmbeddingCache } from "../../llm/embedding-cache.js";
import { openEmbeddingClient } from "../../llm/embedding-client.js";
import type { EmbeddingModelConfig } from "../../llm/embedding-config.js";
import type { RunDirectory } from "../run-directory.js";
import type { PoolChunk } from "./chunk-pool.js";
import { DenseNegativeFinder, type DenseNegativeOptions } from "./dense-negatives.js";

/** The dense finder of a run, what it did, and a way to release its client and cache. */
export interface DenseNegatives {
  finder: DenseNegativeFinder;
  /** `nextlong.*` counts: chunks indexed, negative queries, timings, embedding calls and cache hits. */
  counts(): Record<string, number>;
  close(): Promise<void>;
}

/** Embedding vectors of a run, kept across reruns (like the debate's LLM cache), beside the chunk index. */
export function embeddingCachePath(run: RunDirectory): string {
  return join(run.root, "nextlong", "embedding-cache.bin");
}

/** The HNSW graph of the pool's chunks. */
export function vectorIndexDirectory(run: RunDirectory): string {
  return join(run.root, "nextlong", "vector-index");
}

/**
 * Opens the embedding model's client over the run's embedding cache, embeds and indexes
 * `chunks`, and finds their negatives. `apiKey`s come from the environment only.
 */
export async function openDenseNegatives(run: RunDirectory, chunks: () => Iterable<PoolChunk>, model: { name: string; config: EmbeddingModelConfig }, options: DenseNegativeOptions): Promise<DenseNegatives> {
  const cache = await EmbeddingCache.open(embeddingCachePath(run));
  const client = openEmbeddingClient(model.name, model.config, { cache });
  const close = async () => {
    await client.close();
    await cache.close();
  };
  try {
    const { finder, times } = await DenseNegativeFinder.build(chunks(), client, vectorIndexDirectory(run), options);
    const negativeStart = performance.now();
    const negativeQueries = await finder.find(chunks());
    const negativeMilliseconds = performance.now() - negativeStart;
    const counts = () => ({
      "nextlong.chunksIndexed": finder.indexedChunks,
      "nextlong.negativeQueries": negativeQueries,
      "nextlong.embedMilliseconds": Math.round(times.embedMilliseconds),
      "nextlong.indexMilliseconds": Math.round(times.indexMilliseconds),
      "nextlong.negativeMilliseconds": Math.round(negativeMilliseconds),
      "nextlong.embeddingDimensions": finder.dimensions,
      "nextlong.embeddedTexts": client.embeddedTexts,
      "nextlong.embeddingCacheHits": client.usage.cacheHits,
      "nextlong.embeddingRequests": client.usage.requests,
      "nextlong.embeddingRetries": client.usage.retries,
      "nextlong.embeddingTokens": client.usage.promptTokens,
    });
    return { finder, counts, close };
  } catch (error) {
    await close();
    throw error;
  }
}
