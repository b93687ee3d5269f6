import { mkdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../core/atomic-file.js";
import type { EmbeddingClient } from "../../llm/embedding-client.js";
import { VectorIndex } from "../../search/vector-index.js";
import type { ChunkReference } from "../pack/interleave-negatives.js";
import type { PoolChunk } from "./chunk-pool.js";
import type { NegativeFinder } from "./negative-finder.js";

/** Chunks embedded and searched per round (bounds the vectors of relaxed chunks held at once). */
const QUERY_BATCH = 4096;
/** The HNSW graph inside the vector index directory. */
export const VECTOR_INDEX_FILE = "index.usearch";
/** The chunk id of each key of the graph, as a JSON array in key order. */
export const VECTOR_CHUNKS_FILE = "chunk-ids.json";

export interface DenseNegativeOptions {
  /** Neighbours asked for per chunk (before dropping same-document ones). */
  candidates: number;
  /** Threads searching the graph; results do not depend on it. */
  threads: number;
}

/** Milliseconds spent embedding the pool's chunks and building the graph. */
export interface DenseBuildTimes {
  embedMilliseconds: number;
  indexMilliseconds: number;
}

/**
 * Hard negatives by meaning: every pool chunk's text embedded (through the embedding client,
 * so cached vectors cost no call), the vectors put in an HNSW graph (keys in pool order),
 * and each chunk's negatives are its nearest chunks by cosine distance, nearest first (equal
 * distances by pool order), never from its own document. The graph is written to the run
 * directory and searched from there.
 */
export class DenseNegativeFinder implements NegativeFinder {
  readonly negatives = new Map<string, ChunkReference[]>();

  private constructor(
    private readonly client: EmbeddingClient,
    private readonly index: VectorIndex,
    /** Chunk of each key. */
    private readonly keyed: readonly ChunkReference[],
    /** Vectors of the indexed chunks by chunk id, so their own searches need no second embedding. */
    private readonly vectors: Map<string, Float32Array>,
    private readonly options: DenseNegativeOptions,
  ) {}

  /**
   * Embeds `chunks` and indexes them; the graph is saved to `directory` (replacing any earlier
   * one, through a temporary directory and a rename) and opened from there.
   */
  static async build(chunks: Iterable<PoolChunk>, client: EmbeddingClient, directory: string, options: DenseNegativeOptions): Promise<{ finder: DenseNegativeFinder; times: DenseBuildTimes }> {
    const entries = [...chunks];
    if (entries.length === 0) throw new RangeError("no chunks to embed: the retrieved documents are all empty");
    const embedStart = performance.now();
    const embedded = await client.embed(entries.map((entry) => entry.text));
    const indexStart = performance.now();
    const built = VectorIndex.build(embedded, { searchBreadth: Math.max(128, options.candidates) });
    await writeIndexDirectory(directory, built, entries.map((entry) => entry.id));
    const index = VectorIndex.load(join(directory, VECTOR_INDEX_FILE), built.dimensions, { searchBreadth: Math.max(128, options.candidates) });
    const times = { embedMilliseconds: indexStart - embedStart, indexMilliseconds: performance.now() - indexStart };
    const vectors = new Map(entries.map((entry, i) => [entry.id, embedded[i]!]));
    const keyed = entries.map(({ docId, chunk }) => ({ docId, chunk }));
    return { finder: new DenseNegativeFinder(client, index, keyed, vectors, options), times };
  }

  get indexedChunks(): number {
    return this.keyed.length;
  }

  /** Length of the vectors indexed. */
  get dimensions(): number {
    return this.index.dimensions;
  }

  async find(chunks: Iterable<PoolChunk>): Promise<number> {
    const entries = [...chunks];
    for (let start = 0; start < entries.length; start += QUERY_BATCH) {
      const batch = entries.slice(start, start + QUERY_BATCH);
      const unseen = batch.filter((entry) => !this.vectors.has(entry.id));
      const fresh = new Map<string, Float32Array>();
      (await this.client.embed(unseen.map((entry) => entry.text))).forEach((vector, i) => fresh.set(unseen[i]!.id, vector));
      const neighbors = this.index.search(batch.map((entry) => this.vectors.get(entry.id) ?? fresh.get(entry.id)!), this.options.candidates, this.options.threads);
      batch.forEach((entry, i) => {
        this.negatives.set(entry.id, neighbors[i]!.map((neighbor) => this.keyed[neighbor.key]!).filter((reference) => reference.docId !== entry.docId));
      });
    }
    return entries.length;
  }
}

/** Written beside its final name and renamed; a crashed run's partial directory is removed by the next. */
async function writeIndexDirectory(directory: string, index: VectorIndex, chunkIds: readonly string[]): Promise<void> {
  const temporary = `${directory}.partial`;
  await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  await index.save(join(temporary, VECTOR_INDEX_FILE));
  await writeFileAtomic(join(temporary, VECTOR_CHUNKS_FILE), JSON.stringify(chunkIds) + "\n");
  await rm(directory, { recursive: true, force: true });
  await rename(temporary, directory);
}
