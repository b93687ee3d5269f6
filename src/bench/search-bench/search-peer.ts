import type { Bm25Parameters } from "../../search/bm25.js";
import type { MatchMode } from "../../search/search-engine.js";

/** What building one engine's index over the benchmark corpus cost. */
export interface BuildCost {
  seconds: number;
  /** CPU seconds (user + system) of the build, all threads. */
  cpuSeconds: number;
  indexBytes: number;
  peakRssBytes: number;
  /** Threads that did the indexing work (1 for every engine here). */
  indexingThreads: number;
}

export interface QueryRunOptions {
  k: number;
  match: MatchMode;
  bm25: Bm25Parameters;
  /**
   * Queries run untimed before the timed pass (JIT, caches): the first `warmupQueries`, or
   * fewer when they take longer than `warmupSeconds` (a slow engine warms up quickly).
   */
  warmupQueries: number;
  warmupSeconds: number;
  /** Leading ids of each result list kept for the overlap comparison. */
  idsKept: number;
  /** The timed pass stops after the query that crosses this wall time. */
  maxSeconds: number;
}

/** One timed pass over the queries, one query at a time. */
export interface QueryRun {
  seconds: number;
  /** Milliseconds per answered query, in query order. */
  latencies: number[];
  /** The first `idsKept` corpus ids of each answered query's hits. */
  ids: string[][];
}

/**
 * A search engine under benchmark. `prepare` throws when the engine cannot run here (the
 * runner reports the message as the reason it was skipped); `close` releases servers and files.
 */
export interface SearchPeer {
  readonly name: string;
  /** The installed version, for engines that come from a package (known after prepare). */
  readonly version?: string | undefined;
  prepare(): Promise<void>;
  build(corpus: string): Promise<BuildCost>;
  run(queries: readonly string[], options: QueryRunOptions): Promise<QueryRun>;
  close(): Promise<void>;
}

/** The timed loop in-process peers share: warm-up, then one query at a time until done or out of time. */
export async function timeQueries(queries: readonly string[], options: QueryRunOptions, search: (query: string) => Promise<string[]> | string[]): Promise<QueryRun> {
  const warmupStart = performance.now();
  for (const query of queries.slice(0, options.warmupQueries)) {
    await search(query);
    if ((performance.now() - warmupStart) / 1000 >= options.warmupSeconds) break;
  }
  const latencies: number[] = [];
  const ids: string[][] = [];
  const start = performance.now();
  for (const query of queries) {
    const queryStart = performance.now();
    const hits = await search(query);
    const end = performance.now();
    latencies.push(end - queryStart);
    ids.push(hits.slice(0, options.idsKept));
    if ((end - start) / 1000 >= options.maxSeconds) break;
  }
  return { seconds: (performance.now() - start) / 1000, latencies, ids };
}
