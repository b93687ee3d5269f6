import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "../core/atomic-file.js";
import { CorruptFileError } from "../core/corrupt-file-error.js";
import { ConfigError, InputError, RunDirectoryError } from "../core/errors.js";
import { startProgress } from "../core/progress.js";
import type { CorpusDocument } from "../core/records.js";
import { hashValue } from "../core/stable-json.js";
import { readCorpus, resolveCorpusFiles, type BadRecord, type CorpusFile } from "../corpus/index.js";
import { analysisOptionsSchema } from "../search/analyzer.js";
import type { IndexStatistics, SearchEngine } from "../search/search-engine.js";
import { MANIFEST_FILE, readManifest } from "../search/segments/index-manifest.js";
import { verifySegmentFile } from "../search/segments/segment-file.js";
import { SegmentedBm25Engine } from "../search/segments/segmented-bm25-engine.js";
import { SegmentedIndexWriter } from "../search/segments/segmented-index-writer.js";
import { isSphinxQlUrl, parseSphinxQlUrl } from "../search/sphinxql-address.js";
import { SphinxQlEngine } from "../search/sphinxql-engine.js";
import { SphinxQlIndexBuilder } from "../search/sphinxql-index-builder.js";
import type { RunDirectory } from "./run-directory.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageResult } from "./stage-runner.js";

type IndexOptions = Pick<RunOptions, "corpus" | "textField" | "idField" | "onBadRecord" | "analysis" | "memory" | "workers" | "engine">;

/** How many bad records are shown one by one before only counting. */
const BAD_RECORDS_SHOWN = 5;

const indexMetadataSchema = z.object({
  engine: z.enum(["segmented-bm25", "sphinxql"]),
  /** The embedded engine's segment manifest, in index/. */
  file: z.string().optional(),
  /** The cluster's sphinxql:// address (engine "sphinxql"). */
  address: z.string().optional(),
  textField: z.string(),
  idField: z.string(),
  corpusFiles: z.array(z.object({ path: z.string(), name: z.string(), size: z.number(), mtimeMs: z.number() })),
});
export type IndexMetadata = z.infer<typeof indexMetadataSchema>;

/** Reads the corpus and builds the search index: segments in index/ (rebuilt when one is damaged) or a cluster's tables. */
export async function runIndexStage(context: StageContext, options: IndexOptions): Promise<StageResult> {
  if (options.corpus.length === 0) throw new ConfigError(["corpus: required; pass --corpus <path|glob> (repeatable)"]);
  const files = await resolveCorpusFiles(options.corpus);
  const remote = isSphinxQlUrl(options.engine);
  // Only a cluster is named, so embedded runs keep their fingerprint.
  const engineKey = remote ? { engine: options.engine } : {};
  const fingerprint = hashValue({
    files: files.map(({ path, size, mtimeMs }) => ({ path, size, mtimeMs })),
    textField: options.textField,
    idField: options.idField,
    onBadRecord: options.onBadRecord,
    analysis: options.analysis,
    ...engineKey,
  });
  const { run } = context;
  const metadataPath = join(run.indexDirectory, "index.json");
  const stageOptions = { corpus: options.corpus, textField: options.textField, idField: options.idField, onBadRecord: options.onBadRecord, analysis: options.analysis, ...engineKey };
  const outputs = remote ? [metadataPath] : [join(run.indexDirectory, MANIFEST_FILE), metadataPath];
  return runStage(context, "index", stageOptions, fingerprint, outputs, async () => {
    const previous = remote || context.force ? undefined : await appendableIndex(run, files, stageOptions);
    if (previous) context.log(`index: adding ${files.length - previous.files} new corpus file(s) to the existing index`);
    const counts = previous
      ? addCounts(previous.counts, await buildIndex(run, files.slice(previous.files), options, context.log, true))
      : await buildIndex(run, files, options, context.log, false);
    const metadata: IndexMetadata = {
      ...(remote ? { engine: "sphinxql" as const, address: options.engine } : { engine: "segmented-bm25" as const, file: MANIFEST_FILE }),
      textField: options.textField,
      idField: options.idField,
      corpusFiles: files.map(({ path, name, size, mtimeMs }) => ({ path, name, size, mtimeMs })),
    };
    await writeFileAtomic(metadataPath, JSON.stringify(metadata, null, 2) + "\n");
    return { counts, facts: { engine: metadata.engine } };
  }, remote ? undefined : () => checkSegments(run.indexDirectory));
}

/**
 * The completed embedded index of this run when the corpus only grew: same fields, policy and
 * analysis, its files an unchanged prefix of today's, its segments intact. New files are then
 * added after it instead of rebuilding.
 */
async function appendableIndex(run: RunDirectory, files: CorpusFile[], stageOptions: Record<string, unknown>): Promise<{ files: number; counts: Record<string, number> } | undefined> {
  const record = (await run.readManifest())?.stages.index;
  if (!record || record.status !== "done" || record.facts.engine !== "segmented-bm25") return undefined;
  const settings = (options: Record<string, unknown>) => hashValue(Object.entries(options).filter(([key]) => key !== "corpus").sort(([a], [b]) => (a < b ? -1 : 1)));
  if (settings(record.options) !== settings(stageOptions)) return undefined;
  let metadata: IndexMetadata;
  try {
    metadata = indexMetadataSchema.parse(JSON.parse(await readFile(join(run.indexDirectory, "index.json"), "utf8")));
    await checkSegments(run.indexDirectory);
  } catch {
    return undefined;
  }
  const indexed = metadata.corpusFiles;
  if (indexed.length >= files.length) return undefined;
  const unchanged = indexed.every((file, i) => file.path === files[i]!.path && file.size === files[i]!.size && file.mtimeMs === files[i]!.mtimeMs);
  return unchanged ? { files: indexed.length, counts: record.counts } : undefined;
}

/** Counts of the whole index after an append: per-document counts add up, whole-index ones are the new build's. */
function addCounts(previous: Record<string, number>, added: Record<string, number>): Record<string, number> {
  const wholeIndex = new Set(["terms", "segments", "indexBytes"]);
  const total: Record<string, number> = { ...previous };
  for (const [key, value] of Object.entries(added)) total[key] = wholeIndex.has(key) ? value : (total[key] ?? 0) + value;
  return total;
}

/** Indexing needs at least one worker thread; `--workers 0` (tokenize in-process) means one here. */
const indexWorkers = (options: IndexOptions) => Math.max(1, options.workers);

/** Verifies every segment's layout and checksum; throws CorruptFileError naming a damaged one. */
async function checkSegments(directory: string): Promise<void> {
  for (const entry of (await readManifest(directory)).segments) await verifySegmentFile(join(directory, entry.file));
}

/** The same adding and sealing for the embedded writer and the cluster loader. */
interface IndexLoader {
  /** Adds a document; false when its id is known at once to repeat an earlier one's. */
  add(document: CorpusDocument): Promise<boolean>;
  /**
   * Seals the index; returns its statistics, counts worth reporting, and the repeated ids found
   * only while sealing (documents and characters that `add` accepted but the index left out).
   */
  finish(): Promise<{ statistics?: IndexStatistics; counts: Record<string, number>; lateDuplicates?: { documents: number; characters: number } }>;
  /** Gives up after a failure: stops threads, drops connections. */
  abort(): Promise<void>;
}

async function startLoader(run: RunDirectory, options: IndexOptions, append: boolean): Promise<IndexLoader> {
  if (isSphinxQlUrl(options.engine)) {
    const builder = await SphinxQlIndexBuilder.start(parseSphinxQlUrl(options.engine), options.analysis);
    return {
      add: (document) => builder.add(document),
      // A cluster does not report its vocabulary size, so terms are left out.
      finish: async () => ((await builder.finish()), { counts: {} }),
      abort: async () => builder.abort(),
    };
  }
  const writer = await SegmentedIndexWriter.create(run.indexDirectory, { analysis: options.analysis, memoryBytes: options.memory, workers: indexWorkers(options), append });
  return {
    add: async (document) => (await writer.add(document), true),
    finish: async () => {
      const summary = await writer.finish();
      return {
        counts: { terms: summary.termCount, segments: summary.segments, segmentsWritten: summary.segmentsWritten, merges: summary.merges, indexBytes: summary.indexBytes },
        lateDuplicates: { documents: summary.duplicateIds, characters: summary.duplicateCharacters },
      };
    },
    abort: () => writer.close(),
  };
}

async function buildIndex(run: RunDirectory, files: CorpusFile[], options: IndexOptions, log: (line: string) => void, append: boolean) {
  const loader = await startLoader(run, options, append);
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
      if (await loader.add(document)) {
        documents++;
        characters += document.text.length;
      } else duplicateIds++;
    }
  } catch (error) {
    await loader.abort();
    throw error;
  } finally {
    progress.stop();
  }
  if (badRecords > BAD_RECORDS_SHOWN) log(`skipped ${badRecords - BAD_RECORDS_SHOWN} more bad records`);
  if (documents === 0) {
    await loader.abort();
    throw new InputError({ file: files.map((file) => file.path).join(", ") }, "no usable documents in the corpus");
  }
  const { counts, lateDuplicates } = await loader.finish();
  const badCounts = Object.fromEntries(Object.entries(badByReason).map(([reason, count]) => [`skipped.${reason}`, count]));
  return {
    files: files.length,
    documents: documents - (lateDuplicates?.documents ?? 0),
    characters: characters - (lateDuplicates?.characters ?? 0),
    duplicateIds: duplicateIds + (lateDuplicates?.documents ?? 0),
    ...counts,
    ...badCounts,
  };
}

/** Opens the index a run built, with its metadata. */
export async function openRunIndex(run: RunDirectory): Promise<{ engine: SearchEngine; metadata: IndexMetadata }> {
  const stage = await run.requireStage("index", "index");
  const metadataPath = join(run.indexDirectory, "index.json");
  const metadata = indexMetadataSchema.parse(JSON.parse(await readFile(metadataPath, "utf8")));
  if (metadata.engine === "sphinxql") return { engine: await SphinxQlEngine.open(parseSphinxQlUrl(metadata.address!), analysisOptionsSchema.parse(stage.options.analysis)), metadata };
  try {
    return { engine: await SegmentedBm25Engine.open(run.indexDirectory), metadata };
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
    throw new RunDirectoryError(`${error.message}; rebuild it with \`litelong index\` (or \`litelong run\`)`, { cause: error });
  }
}
