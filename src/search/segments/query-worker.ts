import { parentPort, workerData } from "node:worker_threads";
import type { QueryTask, QueryTaskResult, QueryWorkerData } from "./query-worker-pool.js";
import { SegmentSearcher } from "./segmented-bm25-engine.js";

// A worker of QueryWorkerPool: answers chunks of queries over the shared segments.
const data = workerData as QueryWorkerData;
const searcher = new SegmentSearcher(data.analysis, data.parts, data.termCount);

parentPort!.on("message", (task: QueryTask) => {
  let result: QueryTaskResult;
  try {
    const hits = task.queries.map((query) => {
      const found = searcher.search(query, task.options);
      return { documents: Float64Array.from(found, (hit) => hit.document), scores: Float64Array.from(found, (hit) => hit.score) };
    });
    result = { id: task.id, hits };
  } catch (error) {
    result = { id: task.id, error: (error as Error).message };
  }
  parentPort!.postMessage(result);
});
