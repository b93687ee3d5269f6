import { Worker } from "node:worker_threads";
import type { AnalysisOptions } from "../analyzer.js";
import type { SearchOptions } from "../search-engine.js";
import type { SegmentParts } from "./segment-parts.js";
import type { NumberedHit } from "./segmented-bm25-engine.js";

/** What a query worker is started with: the segments live in shared memory, so nothing is copied. */
export interface QueryWorkerData {
  analysis: AnalysisOptions;
  parts: readonly SegmentParts[];
  termCount: number;
}

export interface QueryTask {
  id: number;
  queries: readonly string[];
  options: SearchOptions;
}

export interface QueryTaskResult {
  id: number;
  /** Per query: global document numbers and scores. */
  hits?: Array<{ documents: Float64Array; scores: Float64Array }>;
  error?: string;
}

/** Queries per message: small enough to balance the workers, large enough to amortise messaging. */
const CHUNK = 32;

/** Worker threads answering batches of queries over the same shared segments. */
export class QueryWorkerPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (result: QueryTaskResult) => void; reject: (error: Error) => void }>();
  private nextTask = 0;

  constructor(size: number, analysis: AnalysisOptions, parts: readonly SegmentParts[], termCount: number) {
    const workerData: QueryWorkerData = { analysis, parts, termCount };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL("./query-worker.js", import.meta.url), { workerData });
      worker.on("message", (result: QueryTaskResult) => this.settle(result));
      worker.on("error", (error) => this.failAll(error));
      worker.unref();
      this.workers.push(worker);
    }
  }

  async searchMany(queries: readonly string[], options: SearchOptions): Promise<NumberedHit[][]> {
    const tasks: Array<Promise<QueryTaskResult>> = [];
    for (let first = 0, n = 0; first < queries.length; first += CHUNK, n++) {
      const task: QueryTask = { id: this.nextTask++, queries: queries.slice(first, first + CHUNK), options };
      tasks.push(new Promise((resolve, reject) => {
        this.pending.set(task.id, { resolve, reject });
        const worker = this.workers[n % this.workers.length]!;
        worker.ref();
        worker.postMessage(task);
      }));
    }
    try {
      const results = await Promise.all(tasks);
      return results.flatMap((result) => {
        if (result.error !== undefined) throw new Error(`query worker failed: ${result.error}`);
        return result.hits!.map(({ documents, scores }) => Array.from(documents, (document, i) => ({ document, score: scores[i]! })));
      });
    } finally {
      for (const worker of this.workers) worker.unref();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.workers.length = 0;
  }

  private settle(result: QueryTaskResult): void {
    const waiting = this.pending.get(result.id);
    this.pending.delete(result.id);
    waiting?.resolve(result);
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
