import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import type { DocumentSource } from "../../core/records.js";
import type { AnalysisOptions } from "../analyzer.js";
import { SegmentBuilder } from "./segment-builder.js";
import { readSegmentFile, writeSegmentFile } from "./segment-file.js";
import { mergeSegments } from "./segment-merger.js";
import { SegmentReader } from "./segment-reader.js";

/** Analyse a batch of documents and write it as one segment. */
export interface BuildTask {
  kind: "build";
  id: number;
  file: string;
  ids: string[];
  sources: DocumentSource[];
  texts: string[];
}

/** Merge adjacent segments into one. */
export interface MergeTask {
  kind: "merge";
  id: number;
  file: string;
  inputs: string[];
}

export interface TaskResult {
  id: number;
  file: string;
  docCount: number;
  totalLength: number;
  bytes: number;
  error?: string;
}

export interface IndexingWorkerData {
  directory: string;
  analysis: AnalysisOptions;
}

const { directory, analysis } = workerData as IndexingWorkerData;

async function run(task: BuildTask | MergeTask): Promise<TaskResult> {
  const parts = task.kind === "build" ? build(task) : mergeSegments(await Promise.all(task.inputs.map(async (file) => new SegmentReader(await readSegmentFile(join(directory, file), true)))));
  const bytes = await writeSegmentFile(join(directory, task.file), parts);
  return { id: task.id, file: task.file, docCount: parts.docCount, totalLength: parts.totalLength, bytes };
}

function build(task: BuildTask) {
  const builder = new SegmentBuilder(analysis);
  task.texts.forEach((text, i) => builder.addDocument(task.ids[i]!, task.sources[i]!, text));
  return builder.finish();
}

parentPort!.on("message", (task: BuildTask | MergeTask) => {
  run(task).then(
    (result) => parentPort!.postMessage(result),
    (error: Error) => parentPort!.postMessage({ id: task.id, file: task.file, docCount: 0, totalLength: 0, bytes: 0, error: error.message }),
  );
});
