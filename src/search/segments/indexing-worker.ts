import { rm } from "node:fs/promises";
import { join } from "node:path";
import { parentPort, workerData } from "node:worker_threads";
import type { AnalysisOptions } from "../analyzer.js";
import { SegmentBuilder, type EncodedSources } from "./segment-builder.js";
import { deletionFile, readDeletions } from "./deletion-spool.js";
import { idRunFile, writeIdRun } from "./id-runs.js";
import { readSegmentArrays, readSegmentFile, writeSegmentFile } from "./segment-file.js";
import { mergeSegments } from "./segment-merger.js";
import { SegmentReader } from "./segment-reader.js";
import { SpillingBytes } from "./spilling-bytes.js";

/** Analyse a batch of documents and write it as one segment, with its id run (`idRunFile`). */
export interface BuildTask {
  kind: "build";
  id: number;
  file: string;
  /** The segment's place in corpus order, for the id run. */
  ordinal: number;
  ids: string[];
  sources: EncodedSources;
  texts: string[];
}

/** Write the id run of a segment already in the index (`file`: its full path) to `run` (a full path). */
export interface IdRunTask {
  kind: "ids";
  id: number;
  file: string;
  run: string;
  ordinal: number;
}

/** Merge adjacent segments into one, leaving out the documents in their deletion files. */
export interface MergeTask {
  kind: "merge";
  id: number;
  file: string;
  inputs: Array<{ file: string; hasDeletions: boolean }>;
}

export type IndexingTask = BuildTask | IdRunTask | MergeTask;

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

async function run(task: IndexingTask): Promise<TaskResult> {
  if (task.kind === "ids") {
    const segment = new SegmentReader(await readSegmentArrays(task.file, ["idOffsets", "idBytes"]));
    writeIdRun(task.run, task.ordinal, Array.from({ length: segment.docCount }, (_, local) => segment.docId(local)), () => 0);
    return { id: task.id, file: task.file, docCount: segment.docCount, totalLength: segment.parts.totalLength, bytes: 0 };
  }
  const path = join(directory, task.file);
  return task.kind === "build" ? build(task, path) : merge(task, path);
}

async function build(task: BuildTask, path: string): Promise<TaskResult> {
  const builder = new SegmentBuilder(analysis);
  task.texts.forEach((text, i) => builder.addDocument(task.ids[i]!, text));
  const parts = builder.finish(task.sources);
  writeIdRun(idRunFile(path), task.ordinal, task.ids, (local) => task.texts[local]!.length);
  const bytes = await writeSegmentFile(path, parts);
  return { id: task.id, file: task.file, docCount: parts.docCount, totalLength: parts.totalLength, bytes };
}

/** The merged postings are spilled to a file beside the output as they are made, then copied in. */
async function merge(task: MergeTask, path: string): Promise<TaskResult> {
  // What earlier tasks left (a batch's strings, a merge's inputs and output: hundreds of megabytes,
  // mostly outside the JavaScript heap) is garbage, but V8 may keep it while this merge reads its
  // inputs, and the build's peak memory then passes its budget (measured: 3 GB corpus, 1 GiB budget).
  (globalThis as { gc?: () => void }).gc?.();
  const inputs = await Promise.all(task.inputs.map(async ({ file }) => new SegmentReader(await readSegmentFile(join(directory, file), true))));
  const deleted = task.inputs.map(({ file, hasDeletions }, i) => (hasDeletions ? readDeletions(deletionFile(join(directory, file)), inputs[i]!.docCount) : undefined));
  const postings = new SpillingBytes(`${path}.postings`);
  try {
    const parts = mergeSegments(inputs, deleted, postings);
    postings.close();
    const bytes = await writeSegmentFile(path, parts, { path: postings.path, length: postings.spilled });
    return { id: task.id, file: task.file, docCount: parts.docCount, totalLength: parts.totalLength, bytes };
  } finally {
    postings.close();
    await rm(postings.path, { force: true });
  }
}

parentPort!.on("message", (task: IndexingTask) => {
  run(task).then(
    (result) => parentPort!.postMessage(result),
    (error: Error) => parentPort!.postMessage({ id: task.id, file: task.file, docCount: 0, totalLength: 0, bytes: 0, error: error.message }),
  );
});
