import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { removeStaleTemporaries } from "../../core/atomic-file.js";
import { makeDirectory } from "../../core/make-directory.js";
import type { CorpusDocument } from "../../core/records.js";
import type { AnalysisOptions } from "../analyzer.js";
import { deletionFile, DeletionSpool } from "./deletion-spool.js";
import { countDistinctTerms } from "./distinct-terms.js";
import { findDuplicateIds, idRunFile } from "./id-runs.js";
import { MANIFEST_FILE, readManifest, writeManifest, type SegmentEntry } from "./index-manifest.js";
import type { IndexingTask, IndexingWorkerData, TaskResult } from "./indexing-worker.js";
import { SourceTable } from "./segment-builder.js";
import { SEGMENT_FORMAT_VERSION } from "./segment-file.js";

export interface IndexWriterOptions {
  analysis: AnalysisOptions;
  /** Memory budget for the whole build (all threads), in bytes. */
  memoryBytes: number;
  /** Worker threads that analyse, write and merge segments (default: one per core). */
  workers?: number;
  /** Keep the segments of an index already in the directory and add documents after them. */
  append?: boolean;
  /** Characters of text per new segment (default: derived from the budget). For tests and tuning. */
  segmentCharacters?: number;
  /** Largest segment a merge may produce, in bytes (default: derived from the budget; 0: never merge). */
  maxMergeBytes?: number;
}

export interface IndexWriterSummary {
  /** Documents in the index (kept ones included). */
  documents: number;
  /** Documents added whose id an earlier document (in the index or added before) has: left out. */
  duplicateIds: number;
  /** Characters of text of those duplicates. */
  duplicateCharacters: number;
  segments: number;
  segmentsWritten: number;
  merges: number;
  termCount: number;
  indexBytes: number;
}

/** The smallest budget accepted: below it the fixed cost of the threads leaves nothing for documents. */
export const MINIMUM_MEMORY_BYTES = 320 * 2 ** 20;
// Measured resident size of the main thread and of each worker before any documents.
const MAIN_THREAD_BYTES = 120 * 2 ** 20;
const WORKER_BYTES = 60 * 2 ** 20;
// A batch of text costs about this many times its character count while it is analysed into a segment
// (the strings, the flat postings, the encoded segment): measured, with margin.
const BATCH_BYTES_PER_CHARACTER = 10;
// Least JavaScript heap of a worker: batch strings and dictionaries (postings live in typed arrays outside it).
const WORKER_OLD_GENERATION_MB = 256;
const MERGE_BYTES_PER_SEGMENT_BYTE = 2.5;
const SEGMENT_FILE = /^segment-(\d+)\.llsg$/;
/** New segments are written and merged here, and moved into the index only when the build succeeds. */
const STAGING_DIRECTORY = ".building";

/**
 * Builds an index under a memory budget: documents are cut into batches sized from the budget,
 * each batch becomes a segment on a worker thread, and adjacent segments are merged while the
 * merged size stays within what one worker may hold. The manifest is written last, atomically.
 */
export class SegmentedIndexWriter {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waitingForWorker: Array<(worker: Worker) => void> = [];
  private readonly resolvers = new Map<number, (result: TaskResult) => void>();
  private batch = newBatch();
  private readonly newSegments: Array<Promise<TaskResult>> = [];
  private nextTask = 0;
  private nextSegment = 0;
  private failure: Error | undefined;

  private constructor(
    private readonly directory: string,
    private readonly options: IndexWriterOptions,
    private readonly keptSegments: SegmentEntry[],
    private readonly batchCharacters: number,
    private readonly maxMergeBytes: number,
  ) {
    const workerData: IndexingWorkerData = { directory: join(directory, STAGING_DIRECTORY), analysis: options.analysis };
    // Workers collect garbage before each merge (see indexing-worker.ts), which needs gc() in their
    // isolates: the flag must be set before they exist.
    setFlagsFromString("--expose-gc");
    // A larger young generation collects less often (faster) but holds more garbage: scale it with the budget.
    const youngGenerationMb = Math.min(48, Math.max(8, Math.floor(batchCharacters * BATCH_BYTES_PER_CHARACTER / 2 ** 20 / 8)));
    for (let i = 0; i < (options.workers ?? availableParallelism()); i++) {
      // A small young generation and a capped old one make the worker collect garbage early instead of
      // growing its heap: the budget is about resident memory, and V8 otherwise grows lazily.
      // The old generation may hold a whole batch as the budget counts it: a fixed cap made large budgets
      // (bigger batches) run out of heap (3 GB corpus, --memory 4G).
      const oldGenerationMb = Math.max(WORKER_OLD_GENERATION_MB, Math.ceil((batchCharacters * BATCH_BYTES_PER_CHARACTER) / 2 ** 20));
      const resourceLimits = { maxYoungGenerationSizeMb: youngGenerationMb, maxOldGenerationSizeMb: oldGenerationMb };
      const worker = new Worker(new URL("./indexing-worker.js", import.meta.url), { workerData, resourceLimits });
      worker.on("message", (result: TaskResult) => {
        this.resolvers.get(result.id)?.(result);
        this.resolvers.delete(result.id);
        this.release(worker);
      });
      worker.on("error", (error) => {
        this.failure ??= error;
        for (const [id, resolve] of this.resolvers) resolve({ id, file: "", docCount: 0, totalLength: 0, bytes: 0, error: error.message });
        this.resolvers.clear();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  static async create(directory: string, options: IndexWriterOptions): Promise<SegmentedIndexWriter> {
    if (options.memoryBytes < MINIMUM_MEMORY_BYTES) throw new RangeError(`memory budget ${options.memoryBytes} bytes is below the minimum of ${MINIMUM_MEMORY_BYTES} (320 MiB)`);
    await makeDirectory(directory);
    await removeStaleTemporaries(directory);
    const existing = options.append ? await readManifest(directory) : await readManifest(directory).catch(() => undefined);
    if (options.append && JSON.stringify(existing!.analysis) !== JSON.stringify(options.analysis)) {
      throw new RangeError(`${join(directory, MANIFEST_FILE)}: the index was built with other analysis settings; rebuild it instead of appending`);
    }
    const kept = options.append ? existing!.segments : [];
    // Segment files the current manifest does not name are leftovers of an interrupted build.
    const current = new Set(existing?.segments.map((entry) => entry.file));
    for (const name of await readdir(directory)) if (SEGMENT_FILE.test(name) && !current.has(name)) await rm(join(directory, name));
    await rm(join(directory, STAGING_DIRECTORY), { recursive: true, force: true });
    await mkdir(join(directory, STAGING_DIRECTORY));
    const workers = options.workers ?? availableParallelism();
    const available = options.memoryBytes - MAIN_THREAD_BYTES - workers * WORKER_BYTES;
    if (available <= 0) throw new RangeError(`memory budget ${options.memoryBytes} bytes is too small for ${workers} worker threads`);
    // Each worker holds one batch while the main thread fills the next one.
    const batchCharacters = options.segmentCharacters ?? Math.max(1 << 20, Math.floor(available / ((workers + 1) * BATCH_BYTES_PER_CHARACTER)));
    // A merge holds its inputs and all of the merged segment except its postings (spilled to disk as
    // they are made), on every worker at once: about twice the merged size (measured: 3 GB corpus, 1 GiB budget).
    const maxMergeBytes = options.maxMergeBytes ?? Math.floor(available / (MERGE_BYTES_PER_SEGMENT_BYTE * workers));
    return new SegmentedIndexWriter(directory, options, kept, batchCharacters, maxMergeBytes);
  }

  /**
   * Adds a document. One whose id an earlier document has is found when the index is finished
   * (from the segments' id runs, so no structure grows with the corpus) and left out then.
   */
  async add(document: CorpusDocument): Promise<void> {
    if (this.failure) throw this.failure;
    const batch = this.batch;
    batch.ids.push(document.id);
    batch.sources.add(document.source);
    batch.texts.push(document.text);
    batch.characters += document.text.length;
    if (batch.characters >= this.batchCharacters) await this.flush();
  }

  /** Writes the last batch, merges, writes the manifest and stops the workers. */
  async finish(): Promise<IndexWriterSummary> {
    try {
      await this.flush();
      const built = await Promise.all(this.newSegments);
      for (const result of built) if (result.error !== undefined) throw new Error(`building ${result.file}: ${result.error}`);
      const duplicates = await this.deleteDuplicateIds(built.map((result) => result.file));
      let segments: StagedSegment[] = built.map(({ file, docCount, totalLength, bytes }) => ({ file, docCount, totalLength, bytes, hasDeletions: duplicates.segments.has(file) }));
      let merges = 0;
      for (;;) {
        const runs = this.mergeRuns(segments);
        if (runs.length === 0) break;
        const merged = await Promise.all(runs.map((run) => this.submit({ kind: "merge", id: 0, file: this.segmentName(), inputs: run.map(({ file, hasDeletions }) => ({ file, hasDeletions })) })));
        for (const result of merged) if (result.error !== undefined) throw new Error(`merging into ${result.file}: ${result.error}`);
        merges += runs.filter((run) => run.length >= 2).length;
        const replaced = new Map(runs.map((run, i) => [run[0]!.file, merged[i]!] as const));
        const absorbed = new Set(runs.flatMap((run) => run.slice(1).map((entry) => entry.file)));
        // Merged-away inputs are no longer needed: free their disk space now.
        for (const run of runs) for (const entry of run) await rm(join(this.directory, STAGING_DIRECTORY, entry.file));
        segments = segments.filter((entry) => !absorbed.has(entry.file)).map((entry) => {
          const result = replaced.get(entry.file);
          return result ? { file: result.file, docCount: result.docCount, totalLength: result.totalLength, bytes: result.bytes, hasDeletions: false } : entry;
        });
        // A segment whose documents were all duplicates is left out of the index.
        for (const entry of segments) if (entry.docCount === 0) await rm(join(this.directory, STAGING_DIRECTORY, entry.file));
        segments = segments.filter((entry) => entry.docCount > 0);
      }
      const indexed = [...this.keptSegments, ...(await this.moveIntoIndex(segments.map(({ hasDeletions: _, ...entry }) => entry)))];
      const termCount = await countDistinctTerms(indexed.map((entry) => join(this.directory, entry.file)), join(this.directory, STAGING_DIRECTORY));
      await writeManifest(this.directory, {
        formatVersion: SEGMENT_FORMAT_VERSION,
        analysis: this.options.analysis,
        segments: indexed,
        documentCount: indexed.reduce((sum, entry) => sum + entry.docCount, 0),
        totalLength: indexed.reduce((sum, entry) => sum + entry.totalLength, 0),
        termCount,
      });
      await rm(join(this.directory, STAGING_DIRECTORY), { recursive: true, force: true, maxRetries: 5 });
      return {
        documents: indexed.reduce((sum, entry) => sum + entry.docCount, 0),
        duplicateIds: duplicates.count,
        duplicateCharacters: duplicates.characters,
        segments: indexed.length,
        segmentsWritten: built.length,
        merges,
        termCount,
        indexBytes: indexed.reduce((sum, entry) => sum + entry.bytes, 0),
      };
    } finally {
      await this.close();
    }
  }

  /**
   * Finds the new documents whose id an earlier one has (in a kept segment or earlier in the
   * corpus) by merging the id runs of all segments, and lists them in deletion files beside their
   * segments; the first merge round leaves them out. Returns the new segments with deletions.
   */
  private async deleteDuplicateIds(builtFiles: readonly string[]): Promise<{ count: number; characters: number; segments: Set<string> }> {
    const staging = join(this.directory, STAGING_DIRECTORY);
    const keptRuns = this.keptSegments.map((entry, ordinal) => join(staging, `kept-${ordinal}.ids`));
    const described = await Promise.all(this.keptSegments.map((entry, ordinal) => this.submit({ kind: "ids", id: 0, file: join(this.directory, entry.file), run: keptRuns[ordinal]!, ordinal })));
    for (const result of described) if (result.error !== undefined) throw new Error(`reading the ids of ${result.file}: ${result.error}`);
    const runs = [...keptRuns, ...builtFiles.map((file) => idRunFile(join(staging, file)))];
    // Kept segments come first in corpus order and hold no duplicates, so only new segments lose documents.
    const fileOf = (ordinal: number) => builtFiles[ordinal - this.keptSegments.length]!;
    const spool = new DeletionSpool((ordinal) => deletionFile(join(staging, fileOf(ordinal))));
    let count = 0;
    let characters = 0;
    findDuplicateIds(runs, staging, (record) => {
      spool.add(record.segment, record.local);
      count++;
      characters += record.characters;
    });
    const segments = new Set([...spool.flush()].map(fileOf));
    for (const run of runs) await rm(run);
    return { count, characters, segments };
  }

  /**
   * Replaces the index's segments (other than kept ones) with the new ones, named in order after the
   * kept ones, so an index of the same documents has the same files however often it was rebuilt.
   * Until the manifest is rewritten the index is inconsistent: the caller records the build complete
   * only after that, and an interrupted build is redone.
   */
  private async moveIntoIndex(segments: SegmentEntry[]): Promise<SegmentEntry[]> {
    const kept = new Set(this.keptSegments.map((entry) => entry.file));
    for (const name of await readdir(this.directory)) if (SEGMENT_FILE.test(name) && !kept.has(name)) await rm(join(this.directory, name));
    const moved: SegmentEntry[] = [];
    for (const entry of segments) {
      const file = segmentFileName(this.keptSegments.length + moved.length);
      await rename(join(this.directory, STAGING_DIRECTORY, entry.file), join(this.directory, file));
      moved.push({ ...entry, file });
    }
    return moved;
  }

  /** Stops the worker threads (after finish, or to abandon a build). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private async flush(): Promise<void> {
    if (this.batch.ids.length === 0) return;
    const { ids, sources, texts } = this.batch;
    this.batch = newBatch();
    const ordinal = this.keptSegments.length + this.newSegments.length;
    // Sources go as arrays, moved to the worker: copying an object per document cost more.
    const encoded = sources.encode();
    const result = this.submit({ kind: "build", id: 0, file: this.segmentName(), ordinal, ids, sources: encoded, texts }, [encoded.sourceFile.buffer, encoded.numbers.buffer]);
    this.newSegments.push(result);
    // Back-pressure: do not read further ahead than one batch per worker.
    await this.acquireSlot();
  }

  /**
   * Adjacent runs of at least two segments whose merged size stays within what one worker may hold,
   * and, alone, each other segment that has documents to delete (rewritten without them). Runs
   * are as few as fit and of about equal size: every segment more costs each query a dictionary
   * lookup per term and its own pass over the lists. Merged segments are then too large to pair
   * again, unless merging shrank them much (small segments, whose fixed parts dominate).
   */
  private mergeRuns(segments: StagedSegment[]): StagedSegment[][] {
    const total = segments.reduce((sum, entry) => sum + entry.bytes, 0);
    const target = total / Math.max(1, Math.ceil(total / this.maxMergeBytes));
    const runs: StagedSegment[][] = [];
    let run: StagedSegment[] = [];
    let runBytes = 0;
    const endRun = () => {
      if (run.length >= 2 || (run.length === 1 && run[0]!.hasDeletions)) runs.push(run);
      run = [];
      runBytes = 0;
    };
    for (const entry of segments) {
      // A segment joins the run whose size it brings closer to the target.
      if (runBytes + entry.bytes > this.maxMergeBytes || runBytes + entry.bytes / 2 > target) endRun();
      run.push(entry);
      runBytes += entry.bytes;
    }
    endRun();
    return runs;
  }

  private segmentName(): string {
    return segmentFileName(this.nextSegment++);
  }

  private submit(task: IndexingTask, transfer: ArrayBuffer[] = []): Promise<TaskResult> {
    const id = this.nextTask++;
    const result = new Promise<TaskResult>((resolve) => this.resolvers.set(id, resolve));
    void this.takeWorker().then((worker) => worker.postMessage({ ...task, id }, transfer));
    return result;
  }

  private takeWorker(): Promise<Worker> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waitingForWorker.push(resolve));
  }

  /** Resolves when some worker is idle or about to be (without taking it). */
  private async acquireSlot(): Promise<void> {
    if (this.idle.length > 0) return;
    const worker = await this.takeWorker();
    this.release(worker);
  }

  private release(worker: Worker): void {
    const waiting = this.waitingForWorker.shift();
    if (waiting) waiting(worker);
    else this.idle.push(worker);
  }
}

/** The documents gathered for the next segment. */
function newBatch() {
  return { ids: [] as string[], sources: new SourceTable(), texts: [] as string[], characters: 0 };
}

/** A new segment while the build merges: whether it has documents to delete (its deletion file). */
type StagedSegment = SegmentEntry & { hasDeletions: boolean };

function segmentFileName(number: number): string {
  return `segment-${String(number).padStart(6, "0")}.llsg`;
}
