import { open, rename, rm } from "node:fs/promises";
import { BatchMatches, Index, MetricKind, ScalarKind, type Matches } from "usearch";
import { temporaryPathFor } from "../core/atomic-file.js";

/** A stored vector's key (its position in the list it was built from) and its cosine distance to the query. */
export interface VectorNeighbor {
  key: number;
  distance: number;
}

export interface VectorIndexOptions {
  /** Candidates kept while searching (HNSW's ef); at least the k asked for. Default 128. */
  searchBreadth?: number;
}

/** Graph degree (HNSW's M) and candidates kept while inserting (efConstruction): usearch's defaults, written out so they never drift. */
const CONNECTIVITY = 16;
const INSERTION_BREADTH = 128;
/** Vectors handed to usearch per insertion call. */
const ADD_SLICE = 4096;

/**
 * An approximate nearest-neighbour index of vectors by cosine distance: usearch's HNSW graph.
 * Built single-threaded in key order, so the same vectors always give the same graph (and the
 * same file); searched on many threads, each query alone, so results do not depend on the
 * thread count. Equal distances are ordered by key.
 */
export class VectorIndex {
  private constructor(
    private readonly index: Index,
    readonly dimensions: number,
  ) {}

  /** Indexes `vectors` (all of one length) under keys 0, 1, 2, ... in order. */
  static build(vectors: readonly Float32Array[], options: VectorIndexOptions = {}): VectorIndex {
    const dimensions = vectors[0]?.length ?? 0;
    if (dimensions === 0) throw new RangeError("a vector index needs at least one non-empty vector");
    const index = createIndex(dimensions, options);
    // In slices, so no second copy of every vector is ever held; one thread keeps the order.
    for (let start = 0; start < vectors.length; start += ADD_SLICE) {
      const slice = vectors.slice(start, start + ADD_SLICE);
      const matrix = new Float32Array(slice.length * dimensions);
      slice.forEach((vector, i) => {
        if (vector.length !== dimensions) throw new RangeError(`vector ${start + i} has ${vector.length} dimensions, not ${dimensions}`);
        matrix.set(vector, i * dimensions);
      });
      index.add(BigUint64Array.from(slice, (_, i) => BigInt(start + i)), matrix, 1);
    }
    return new VectorIndex(index, dimensions);
  }

  /** Reads an index written by save; `dimensions` must be those it was built with. */
  static load(path: string, dimensions: number, options: VectorIndexOptions = {}): VectorIndex {
    const index = createIndex(dimensions, options);
    index.load(path);
    return new VectorIndex(index, dimensions);
  }

  get size(): number {
    return this.index.size();
  }

  /**
   * The `k` nearest stored vectors of each query (fewer when the index is smaller), closest
   * first, equal distances by key. `threads` only changes how fast: use 1 on an index just
   * built (usearch reserves search state for the threads it was built with); a loaded one takes any.
   */
  search(queries: readonly Float32Array[], k: number, threads: number): VectorNeighbor[][] {
    if (queries.length === 0) return [];
    const matrix = new Float32Array(queries.length * this.dimensions);
    queries.forEach((vector, query) => matrix.set(vector, query * this.dimensions));
    // usearch answers a single query with Matches, several with BatchMatches.
    const found = this.index.search(matrix, Math.min(k, this.size), threads) as Matches | BatchMatches;
    return queries.map((_, query) => {
      const matches = found instanceof BatchMatches ? found.get(query) : found;
      const neighbors = Array.from(matches.keys, (key, i) => ({ key: Number(key), distance: matches.distances[i]! }));
      return neighbors.sort((a, b) => a.distance - b.distance || a.key - b.key);
    });
  }

  /** Writes the index to `path` so readers see the old file or the whole new one (temporary name, fsync, rename). */
  async save(path: string): Promise<void> {
    const temporary = temporaryPathFor(path);
    try {
      this.index.save(temporary);
      const handle = await open(temporary, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}

function createIndex(dimensions: number, options: VectorIndexOptions): Index {
  return new Index({
    dimensions,
    metric: MetricKind.Cos,
    quantization: ScalarKind.F32,
    connectivity: CONNECTIVITY,
    expansion_add: INSERTION_BREADTH,
    expansion_search: options.searchBreadth ?? 128,
    multi: false,
  });
}
