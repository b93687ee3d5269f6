import { availableParallelism } from "node:os";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readAllJsonLines } from "../core/jsonl-file.js";
import { subjectSchema, topicSchema } from "../core/record-schemas.js";
import { DocumentStore } from "../corpus/index.js";
import { loadTokenizer } from "../tokenizer/load-tokenizer.js";
import { TokenizerPool } from "../tokenizer/tokenizer-pool.js";
import { openRunIndex } from "./index-stage.js";
import { readJsonlSamples, type JsonlSampleEntry } from "./output/jsonl-sample-reader.js";
import { readMdsSamples } from "./output/mds-reader.js";
import type { MdsSample } from "./output/mds-sample-encoding.js";
import { samplesIndexSchema } from "./output/sample-outputs.js";
import { metaChunkSplitter, type ChunkSize } from "./pack/meta-chunks.js";
import { RunDirectory } from "./run-directory.js";
import { documentStretch, sampleProblems, type SampleCheckContext, type TokenizedSample } from "./verify-sample.js";

export interface Violation {
  /** Where: "samples/jsonl/part-00000.jsonl:3 (id)" or a folder. */
  where: string;
  problem: string;
}

export interface VerifyReport {
  samples: number;
  tokens: number;
  /** Samples checked per format. */
  checked: Record<string, number>;
  violations: Violation[];
}

/** Samples re-tokenized together on the worker threads. */
const BATCH = 8;

/**
 * Re-reads every sample a run wrote and checks it from scratch: shard checksums, exact token
 * length by re-tokenizing the text, each document's token span by re-tokenizing its stretch,
 * topic and subject provenance, that each stretch really is text of its document, and that the
 * MDS shards hold exactly the tokens of the same samples. Tokenization runs on worker threads.
 */
export async function verifyRun(root: string, workers = availableParallelism()): Promise<VerifyReport> {
  const run = new RunDirectory(root);
  await run.requireStage("pack", "pack");
  const index = samplesIndexSchema.parse(JSON.parse(await readFile(run.samplesIndexPath, "utf8")));
  const manifest = (await run.readManifest())!;
  const { engine, metadata } = await openRunIndex(run);
  const tokenizer = await loadTokenizer(index.tokenizer);
  const pool = await TokenizerPool.create(index.tokenizer, workers, tokenizer);
  const context: SampleCheckContext = {
    index,
    frame: { before: index.boundaryTokens === "bos" || index.boundaryTokens === "both" ? 1 : 0, after: index.boundaryTokens === "eos" || index.boundaryTokens === "both" ? 1 : 0 },
    separator: String(manifest.stages.pack?.options.separator ?? "\n\n"),
    splitMetaChunks: metaChunkSplitter(packChunkSize(manifest.stages.pack?.options ?? {}), tokenizer),
    tokenizer,
    topics: new Map((await readAllJsonLines(run.topicsPath, topicSchema)).map((topic) => [topic.id, topic])),
    subjects: new Map((await readAllJsonLines(run.subjectsPath, subjectSchema)).map((subject) => [subject.id, subject])),
    engine,
    store: new DocumentStore({ textField: metadata.textField }),
    seenIds: new Set(),
  };
  const report: VerifyReport = { samples: 0, tokens: 0, checked: {}, violations: [] };
  try {
    await verifyAll(run, context, pool, report);
  } finally {
    await pool.close();
    tokenizer.free();
  }
  if (report.samples !== index.samples) report.violations.push({ where: "samples/index.json", problem: `lists ${index.samples} samples, found ${report.samples}` });
  return report;
}

async function verifyAll(run: RunDirectory, context: SampleCheckContext, pool: TokenizerPool, report: VerifyReport) {
  const hasText = context.index.formats.includes("jsonl");
  const hasMds = context.index.formats.includes("mds");
  const records = readJsonlSamples(join(run.samplesDirectory, hasText ? "jsonl" : join("mds", "provenance")));
  const mds = hasMds ? safeMds(readMdsSamples(join(run.samplesDirectory, "mds")), report) : undefined;
  let mdsCount = 0;
  for (;;) {
    const batch = await nextBatch(records, report);
    const mdsBatch: Array<MdsSample | undefined> = [];
    if (mds) for (let i = 0; i < batch.length; i++) mdsBatch.push((await mds.next()).value ?? undefined);
    if (batch.length === 0) break;
    const tokenized = await tokenizeBatch(batch.map((entry) => entry.sample), mdsBatch, hasText, pool, context);
    for (const [i, entry] of tokenized.entries()) {
      if (mds && !entry.mds) report.violations.push({ where: "samples/mds", problem: `no MDS sample for ${entry.sample.id}` });
      if (entry.mds) mdsCount++;
      report.samples++;
      report.tokens += entry.sample.tokenCount;
      for (const problem of await sampleProblems(entry, context)) report.violations.push({ where: `${batch[i]!.where} (${entry.sample.id})`, problem });
    }
  }
  if (mds && !(await mds.next()).done) report.violations.push({ where: "samples/mds", problem: "more MDS samples than provenance records" });
  report.checked[hasText ? "jsonl" : "mds-provenance"] = report.samples;
  if (hasMds) report.checked.mds = mdsCount;
}

async function nextBatch(records: AsyncGenerator<JsonlSampleEntry>, report: VerifyReport) {
  const batch: Array<Extract<JsonlSampleEntry, { sample: unknown }>> = [];
  while (batch.length < BATCH) {
    const next = await records.next();
    if (next.done) break;
    if ("problem" in next.value) report.violations.push({ where: next.value.where, problem: next.value.problem });
    else batch.push(next.value);
  }
  return batch;
}

/** Re-tokenizes a batch's texts and document stretches (or MDS ids' decoded text) on the pool. */
async function tokenizeBatch(samples: TokenizedSample["sample"][], mds: Array<MdsSample | undefined>, hasText: boolean, pool: TokenizerPool, context: SampleCheckContext): Promise<TokenizedSample[]> {
  const texts = samples.map((sample, i) => (hasText ? sample.text : decodedContent(mds[i], context)));
  const stretches = hasText && context.tokenizer.splitsAtWordStarts ? samples.flatMap((sample) => sample.docIds.map((_, i) => documentStretch(sample, i))) : [];
  const encoded = await pool.encodeMany([...texts, ...stretches]);
  let next = samples.length;
  return samples.map((sample, i) => {
    const stretchCounts = stretches.length > 0 ? sample.docIds.map(() => encoded[next++]!.length) : [];
    return { sample, hasText, contentIds: encoded[i]!, stretchCounts, ...(mds[i] ? { mds: mds[i] } : {}) };
  });
}

function decodedContent(mds: MdsSample | undefined, context: SampleCheckContext): string {
  if (!mds) return "";
  const content = mds.inputIds.subarray(context.frame.before, mds.inputIds.length - context.frame.after);
  return Buffer.from(context.tokenizer.decodeBytes(content)).toString("utf8");
}

/** MDS samples; damage ends the stream and becomes a violation instead of an exception. */
async function* safeMds(samples: AsyncGenerator<MdsSample>, report: VerifyReport): AsyncGenerator<MdsSample> {
  try {
    yield* samples;
  } catch (error) {
    report.violations.push({ where: "samples/mds", problem: (error as Error).message });
  }
}

/** The pack stage's meta-chunk size; runs from before chunkUnit existed chunked by characters. */
function packChunkSize(options: Record<string, unknown>): ChunkSize {
  return { size: Number(options.chunkSize ?? 2048), unit: options.chunkUnit === "tokens" ? "tokens" : "characters" };
}
