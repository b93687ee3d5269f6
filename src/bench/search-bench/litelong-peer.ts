import { rmSync } from "node:fs";
import { join } from "node:path";
import { openRunIndex } from "../../pipeline/index-stage.js";
import { RunDirectory } from "../../pipeline/run-directory.js";
import type { SearchEngine } from "../../search/search-engine.js";
import { CLI } from "../../test-support/fixtures.js";
import { diskBytes, runMeasured } from "./measured-process.js";
import { timeQueries, type BuildCost, type QueryRun, type QueryRunOptions, type SearchPeer } from "./search-peer.js";

/**
 * Our engine: the index is built by the CLI (`litelong index`, its own process, so its time and
 * peak memory are measured alone) and queried in-process through the run directory, one
 * `search` call per query; `runBatch` times `searchMany` over the same queries.
 */
export class LitelongPeer implements SearchPeer {
  readonly name = "litelong";
  private engine: SearchEngine | undefined;

  /** `memory`: the build's budget ("1G"); `workers`: its threads. */
  constructor(private readonly directory: string, private readonly indexing: { memory: string; workers: number }) {}

  async prepare(): Promise<void> {}

  async build(corpus: string): Promise<BuildCost> {
    rmSync(this.directory, { recursive: true, force: true });
    const { memory, workers } = this.indexing;
    const cost = await runMeasured(process.execPath, [CLI, "index", "--corpus", corpus, "--out", this.directory, "--memory", memory, "--workers", String(workers)]);
    this.engine = (await openRunIndex(new RunDirectory(this.directory))).engine;
    return { ...cost, indexBytes: diskBytes(join(this.directory, "index")), indexingThreads: workers };
  }

  async run(queries: readonly string[], options: QueryRunOptions): Promise<QueryRun> {
    const engine = this.engine!;
    const searchOptions = { k: options.k, match: options.match, bm25: options.bm25 };
    return timeQueries(queries, options, async (query) => (await engine.search(query, searchOptions)).map((hit) => hit.docId));
  }

  /** Wall seconds of one `searchMany` call over all queries (batch throughput). */
  async runBatch(queries: readonly string[], options: QueryRunOptions): Promise<number> {
    const start = performance.now();
    await this.engine!.searchMany(queries, { k: options.k, match: options.match, bm25: options.bm25 });
    return (performance.now() - start) / 1000;
  }

  async close(): Promise<void> {
    await this.engine?.close();
    this.engine = undefined;
    rmSync(this.directory, { recursive: true, force: true });
  }
}
