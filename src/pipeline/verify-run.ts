import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileDigest } from "../core/file-digest.js";
import { readAllJsonLines } from "../core/jsonl-file.js";
import { sampleSchema, subjectSchema, topicSchema } from "../core/record-schemas.js";
import type { Sample, Subject, Topic } from "../core/records.js";
import { DocumentStore } from "../corpus/index.js";
import type { ExactBm25Engine } from "../search/exact-bm25-engine.js";
import { loadTokenizer } from "../tokenizer/load-tokenizer.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { openRunIndex } from "./index-stage.js";
import { samplesIndexSchema } from "./output/jsonl-sample-writer.js";
import { RunDirectory } from "./run-directory.js";

export interface Violation {
  /** Where: "samples/part-00000.jsonl:3" or a sample id. */
  where: string;
  problem: string;
}

export interface VerifyReport {
  samples: number;
  tokens: number;
  violations: Violation[];
}

interface VerifyContext {
  length: number;
  separator: string;
  tokenizer: Tokenizer;
  topics: Map<string, Topic>;
  subjects: Map<string, Subject>;
  engine: ExactBm25Engine;
  store: DocumentStore;
  seenIds: Set<string>;
}

/**
 * Re-reads every sample a run wrote and checks it from scratch: shard checksums, exact token
 * length by re-tokenizing the text, topic and subject provenance, and that each document's
 * stretch of the sample really is text of that document in the corpus.
 */
export async function verifyRun(root: string): Promise<VerifyReport> {
  const run = new RunDirectory(root);
  await run.requireStage("pack", "pack");
  const index = samplesIndexSchema.parse(JSON.parse(await readFile(run.samplesIndexPath, "utf8")));
  const manifest = (await run.readManifest())!;
  const { engine, metadata } = await openRunIndex(run);
  const context: VerifyContext = {
    length: index.length,
    separator: String(manifest.stages.pack?.options.separator ?? "\n\n"),
    tokenizer: await loadTokenizer(index.tokenizer),
    topics: new Map((await readAllJsonLines(run.topicsPath, topicSchema)).map((topic) => [topic.id, topic])),
    subjects: new Map((await readAllJsonLines(run.subjectsPath, subjectSchema)).map((subject) => [subject.id, subject])),
    engine,
    store: new DocumentStore({ textField: metadata.textField }),
    seenIds: new Set(),
  };
  const report: VerifyReport = { samples: 0, tokens: 0, violations: [] };
  try {
    for (const shard of index.shards) await verifyShard(join(run.samplesDirectory, shard.file), shard, context, report);
  } finally {
    context.tokenizer.free();
  }
  if (report.samples !== index.samples) report.violations.push({ where: "samples/index.json", problem: `lists ${index.samples} samples, found ${report.samples}` });
  return report;
}

async function verifyShard(path: string, shard: { file: string; samples: number; sha256: string }, context: VerifyContext, report: VerifyReport) {
  const where = `samples/${shard.file}`;
  if ((await fileDigest(path)) !== shard.sha256) report.violations.push({ where, problem: "SHA-256 differs from samples/index.json (file changed or damaged)" });
  const lines = (await readFile(path, "utf8")).split("\n").filter((line) => line.length > 0);
  if (lines.length !== shard.samples) report.violations.push({ where, problem: `index.json says ${shard.samples} samples, file has ${lines.length}` });
  for (const [i, line] of lines.entries()) {
    const parsed = sampleSchema.safeParse(safeParse(line));
    if (!parsed.success) {
      report.violations.push({ where: `${where}:${i + 1}`, problem: `not a sample record (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})` });
      continue;
    }
    report.samples++;
    report.tokens += parsed.data.tokenCount;
    for (const problem of await sampleProblems(parsed.data, context)) report.violations.push({ where: `${where}:${i + 1} (${parsed.data.id})`, problem });
  }
}

async function sampleProblems(sample: Sample, context: VerifyContext): Promise<string[]> {
  const problems: string[] = [];
  if (context.seenIds.has(sample.id)) problems.push(`duplicate sample id ${sample.id}`);
  context.seenIds.add(sample.id);
  if (sample.tokenCount !== context.length) problems.push(`tokenCount ${sample.tokenCount}, expected ${context.length}`);
  const actual = context.tokenizer.count(sample.text);
  if (actual !== context.length) problems.push(`text re-tokenizes to ${actual} tokens, expected ${context.length}`);
  const topic = context.topics.get(sample.topicId);
  if (!topic) problems.push(`topic ${sample.topicId} is not in topics/topics.jsonl`);
  else if (topic.text !== sample.topic || topic.subjectId !== sample.subjectId) problems.push(`topic/subject fields disagree with topic ${topic.id}`);
  if (sample.subjectId !== "custom" && !context.subjects.has(sample.subjectId)) problems.push(`subject ${sample.subjectId} is not in subjects.jsonl`);
  problems.push(...(await provenanceProblems(sample, context)));
  return problems;
}

/** Each document's stretch of the sample must occur in that document's text. */
async function provenanceProblems(sample: Sample, context: VerifyContext): Promise<string[]> {
  if (sample.docIds.length === 0 || sample.docIds.length !== sample.docOffsets.length) return ["docIds and docOffsets are missing or of different lengths"];
  const sources = sample.docIds.map((id) => context.engine.documentSource(id));
  const missing = sample.docIds.filter((_, i) => sources[i] === undefined);
  if (missing.length > 0) return [`documents not in the index: ${missing.join(", ")}`];
  const texts = await context.store.readTexts(sources.map((source) => source!));
  const problems: string[] = [];
  for (let i = 0; i < sample.docIds.length; i++) {
    const end = sample.docOffsets[i + 1] ?? sample.text.length;
    let stretch = sample.text.slice(sample.docOffsets[i], end);
    if (i + 1 < sample.docIds.length && stretch.endsWith(context.separator)) stretch = stretch.slice(0, stretch.length - context.separator.length);
    if (!texts[i]!.includes(stretch.trim())) problems.push(`text at offset ${sample.docOffsets[i]} does not come from document ${sample.docIds[i]}`);
  }
  return problems;
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
