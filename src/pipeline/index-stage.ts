import { join } from "node:path";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeFileAtomic } from "../core/atomic-file.js";
import { CorruptFileError } from "../core/checksummed-file.js";
import { ConfigError, InputError, RunDirectoryError } from "../core/errors.js";
import { startProgress } from "../core/progress.js";
import { hashValue } from "../core/stable-json.js";
import type { CorpusDocument } from "../core/records.js";
import { readCorpus, resolveCorpusFiles, type BadRecord, type CorpusFile } from "../corpus/index.js";
import { ExactBm25Engine, ExactBm25IndexBuilder } from "../search/exact-bm25-engine.js";
import { analysisOptionsSchema } from "../search/analyzer.js";
import type { SearchEngine } from "../search/search-engine.js";
import { isSphinxQlUrl, parseSphinxQlUrl } from "../search/sphinxql-address.js";
import { SphinxQlEngine } from "../search/sphinxql-engine.js";
import { SphinxQlIndexBuilder } from "../search/sphinxql-index-builder.js";
import type { RunDirectory } from "./run-directory.js";
import type { RunOptions } from "./run-options.js";
import { runStage, type StageContext, type StageResult } from "./stage-runner.js";

type IndexOptions = Pick<RunOptions, "corpus" | "textField" | "idField" | "onBadRecord" | "analysis" | "engine">;

/** How many bad records are shown one by one before only counting. */
const BAD_RECORDS_SHOWN = 5;

const indexMetadataSchema = z.object({
  engine: z.enum(["exact-bm25", "sphinxql"]),
  /** The embedded engine's index file, in index/. */
  file: z.string().optional(),
  /** The cluster's sphinxql:// address (engine "sphinxql"). */
  address: z.string().optional(),
  textField: z.string(),
  idField: z.string(),
  corpusFiles: z.array(z.object({ path: z.string(), name: z.string(), size: z.number(), mtimeMs: z.number() })),
});
export type IndexMetadata = z.infer<typeof indexMetadataSchema>;

/** The index file is named in index.json; this is the name every run writes. */
const INDEX_FILE = "exact-bm25.idx";

/** Reads the corpus and builds the search index in index/ (rebuilt when the index file is damaged). */
export async function runIndexStage(context: StageContext, options: IndexOptions): Promise<StageResult> {
  if (options.corpus.length === 0) throw new ConfigError(["corpus: required; pass --corpus <path|glob> (repeatable)"]);
  const files = await resolveCorpusFiles(options.corpus);
  const fingerprint = hashValue({
    files: files.map(({ path, size, mtimeMs }) => ({ path, size, mtimeMs })),
    textField: options.textField,
    idField: options.idField,
    onBadRecord: options.onBadRecord,
    analysis: options.analysis,
    // Only a cluster is named, so embedded runs keep their fingerprint.
    ...(isSphinxQlUrl(options.engine) ? { engine: options.engine } : {}),
  });
  const { run } = context;
  const metadataPath = join(run.indexDirectory, "index.json");
  const remote = isSphinxQlUrl(options.engine);
  const stageOptions = { corpus: options.corpus, textField: options.textField, idField: options.idField, onBadRecord: options.onBadRecord, analysis: options.analysis, ...(remote ? { engine: options.engine } : {}) };
  return runStage(context, "index", stageOptions, fingerprint, [metadataPath], async () => {
    const counts = await buildIndex(run, files, options, context.log);
    const metadata: IndexMetadata = {
      ...(remote ? { engine: "sphinxql", address: options.engine } : { engine: "exact-bm25", file: INDEX_FILE }),
      textField: options.textField,
      idField: options.idField,
      corpusFiles: files.map(({ path, name, size, mtimeMs }) => ({ path, name, size, mtimeMs })),
    };
    await writeFileAtomic(metadataPath, JSON.stringify(metadata, null, 2) + "\n");
    return { counts, facts: { engine: metadata.engine } };
  }, remote ? undefined : () => ExactBm25Engine.checkFile(join(run.indexDirectory, INDEX_FILE)));
}

/** The same adding and sealing for the embedded builder and the (asynchronous) cluster loader. */
interface AnyIndexBuilder {
  add(document: CorpusDocument): boolean | Promise<boolean>;
  finish(): Promise<SearchEngine>;
  /** Drops connections when reading the corpus failed half way. */
  abort?(): void;
}

async function startBuilder(run: RunDirectory, options: IndexOptions): Promise<AnyIndexBuilder> {
  if (isSphinxQlUrl(options.engine)) return SphinxQlIndexBuilder.start(parseSphinxQlUrl(options.engine), options.analysis);
  const builder = new ExactBm25IndexBuilder(options.analysis);
  return {
    add: (document) => builder.add(document),
    finish: async () => {
      const engine = builder.finish();
      await engine.save(join(run.indexDirectory, INDEX_FILE));
      return engine;
    },
  };
}

async function buildIndex(run: RunDirectory, files: CorpusFile[], options: IndexOptions, log: (line: string) => void) {
  const builder = await startBuilder(run, options);
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
      if (await builder.add(document)) {
        documents++;
        characters += document.text.length;
      } else duplicateIds++;
    }
  } catch (error) {
    builder.abort?.();
    throw error;
  } finally {
    progress.stop();
  }
  if (badRecords > BAD_RECORDS_SHOWN) log(`skipped ${badRecords - BAD_RECORDS_SHOWN} more bad records`);
  if (documents === 0) {
    builder.abort?.();
    throw new InputError({ file: files.map((file) => file.path).join(", ") }, "no usable documents in the corpus");
  }
  const statistics = (await builder.finish()).statistics();
  const badCounts = Object.fromEntries(Object.entries(badByReason).map(([reason, count]) => [`skipped.${reason}`, count]));
  // A cluster does not report its vocabulary size (termCount 0), so it is left out.
  const terms: Record<string, number> = statistics.termCount > 0 ? { terms: statistics.termCount } : {};
  return { files: files.length, documents, characters, duplicateIds, ...terms, ...badCounts };
}

/** Opens the index a run built, with its metadata. */
export async function openRunIndex(run: RunDirectory): Promise<{ engine: SearchEngine; metadata: IndexMetadata }> {
  await run.requireStage("index", "index");
  const metadataPath = join(run.indexDirectory, "index.json");
  const metadata = indexMetadataSchema.parse(JSON.parse(await readFile(metadataPath, "utf8")));
  if (metadata.engine === "sphinxql") return { engine: await SphinxQlEngine.open(parseSphinxQlUrl(metadata.address!), analysisOptionsSchema.parse((await run.requireStage("index", "index")).options.analysis)), metadata };
  try {
    return { engine: await ExactBm25Engine.load(join(run.indexDirectory, metadata.file!)), metadata };
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
    throw new RunDirectoryError(`${error.message}; rebuild it with \`litelong index\` (or \`litelong run\`)`, { cause: error });
  }
}
