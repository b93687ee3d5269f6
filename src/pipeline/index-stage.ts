import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "../core/atomic-file.js";
import { CorruptFileError } from "../core/corrupt-file-error.js";
import { ConfigError, InputError, RunDirectoryError } from "../core/errors.js";
import { startProgress } from "../core/progress.js";
import { hashValue } from "../core/stable-json.js";
import { readCorpus, resolveCorpusFiles, type BadRecord, type CorpusFile } from "../corpus/index.js";
import type { SearchEngine } from "../search/search-engine.js";
import { MANIFEST_FILE, readManifest } from "../search/segments/index-manifest.js";
import { readSegmentFile } from "../search/segments/segment-file.js";
import { SegmentedBm25Engine } from "../search/segments/segmented-bm25-engine.js";
import { SegmentedIndexWriter } from "../search/segments/segmented-index-writer.js";
import type { RunDirectory } from "./run-directory.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageResult } from "./stage-runner.js";

type IndexOptions = Pick<RunOptions, "corpus" | "textField" | "idField" | "onBadRecord" | "analysis" | "memory" | "workers">;

/** How many bad records are shown one by one before only counting. */
const BAD_RECORDS_SHOWN = 5;

const indexMetadataSchema = z.object({
  engine: z.literal("segmented-bm25"),
  file: z.string(),
  textField: z.string(),
  idField: z.string(),
  corpusFiles: z.array(z.object({ path: z.string(), name: z.string(), size: z.number(), mtimeMs: z.number() })),
});
export type IndexMetadata = z.infer<typeof indexMetadataSchema>;

/** Reads the corpus and builds the search index in index/ (rebuilt when a segment is damaged). */
export async function runIndexStage(context: StageContext, options: IndexOptions): Promise<StageResult> {
  if (options.corpus.length === 0) throw new ConfigError(["corpus: required; pass --corpus <path|glob> (repeatable)"]);
  const files = await resolveCorpusFiles(options.corpus);
  const fingerprint = hashValue({
    files: files.map(({ path, size, mtimeMs }) => ({ path, size, mtimeMs })),
    textField: options.textField,
    idField: options.idField,
    onBadRecord: options.onBadRecord,
    analysis: options.analysis,
  });
  const { run } = context;
  const metadataPath = join(run.indexDirectory, "index.json");
  const stageOptions = { corpus: options.corpus, textField: options.textField, idField: options.idField, onBadRecord: options.onBadRecord, analysis: options.analysis };
  const manifestPath = join(run.indexDirectory, MANIFEST_FILE);
  return runStage(context, "index", stageOptions, fingerprint, [manifestPath, metadataPath], async () => {
    const counts = await buildIndex(run, files, options, context.log);
    const metadata: IndexMetadata = {
      engine: "segmented-bm25",
      file: MANIFEST_FILE,
      textField: options.textField,
      idField: options.idField,
      corpusFiles: files.map(({ path, name, size, mtimeMs }) => ({ path, name, size, mtimeMs })),
    };
    await writeFileAtomic(metadataPath, JSON.stringify(metadata, null, 2) + "\n");
    return { counts, facts: { engine: "segmented-bm25" } };
  }, () => checkSegments(run.indexDirectory));
}

/** Indexing needs at least one worker thread; `--workers 0` (tokenize in-process) means one here. */
const indexWorkers = (options: IndexOptions) => Math.max(1, options.workers);

/** Verifies every segment's checksum; throws CorruptFileError naming a damaged one. */
async function checkSegments(directory: string): Promise<void> {
  for (const entry of (await readManifest(directory)).segments) await readSegmentFile(join(directory, entry.file), true);
}

async function buildIndex(run: RunDirectory, files: CorpusFile[], options: IndexOptions, log: (line: string) => void) {
  const writer = await SegmentedIndexWriter.create(run.indexDirectory, { analysis: options.analysis, memoryBytes: options.memory, workers: indexWorkers(options) });
  const badByReason: Record<string, number> = {};
  let badRecords = 0;
  const reportBadRecord = (bad: BadRecord) => {
    badByReason[bad.reason] = (badByReason[bad.reason] ?? 0) + 1;
    if (++badRecords <= BAD_RECORDS_SHOWN) log(`skipped bad record: ${bad.message}`);
  };
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  const progress = startProgress({ label: "index", total: totalBytes / 1e6, unit: "MB" });
  let bytesBefore = 0;
  let currentFile: CorpusFile | undefined;
  const onBytesRead = (file: CorpusFile, bytes: number) => {
    if (file !== currentFile) {
      if (currentFile) bytesBefore += currentFile.size;
      currentFile = file;
    }
    progress.update((bytesBefore + bytes) / 1e6);
  };
  let documents = 0;
  let duplicateIds = 0;
  let characters = 0;
  try {
    for await (const document of readCorpus(files, { ...options, reportBadRecord, onBytesRead })) {
      if (await writer.add(document)) {
        documents++;
        characters += document.text.length;
      } else duplicateIds++;
    }
  } catch (error) {
    await writer.close();
    throw error;
  } finally {
    progress.stop();
  }
  if (badRecords > BAD_RECORDS_SHOWN) log(`skipped ${badRecords - BAD_RECORDS_SHOWN} more bad records`);
  if (documents === 0) {
    await writer.close();
    throw new InputError({ file: files.map((file) => file.path).join(", ") }, "no usable documents in the corpus");
  }
  const summary = await writer.finish();
  const badCounts = Object.fromEntries(Object.entries(badByReason).map(([reason, count]) => [`skipped.${reason}`, count]));
  return {
    files: files.length, documents, characters, duplicateIds, terms: summary.termCount,
    segments: summary.segments, segmentsWritten: summary.segmentsWritten, merges: summary.merges, indexBytes: summary.indexBytes, ...badCounts,
  };
}

/** Opens the index a run built, with its metadata. */
export async function openRunIndex(run: RunDirectory): Promise<{ engine: SearchEngine; metadata: IndexMetadata }> {
  await run.requireStage("index", "index");
  const metadataPath = join(run.indexDirectory, "index.json");
  const metadata = indexMetadataSchema.parse(JSON.parse(await readFile(metadataPath, "utf8")));
  try {
    return { engine: await SegmentedBm25Engine.open(run.indexDirectory), metadata };
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
    throw new RunDirectoryError(`${error.message}; rebuild it with \`litelong index\` (or \`litelong run\`)`, { cause: error });
  }
}
