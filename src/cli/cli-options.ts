import type { Command } from "commander";
import { parseRunOptions, type RunOptions } from "../pipeline/run-options.js";
import type { StageGroup } from "../pipeline/run-pipeline.js";
import { readConfigFile } from "./config-file.js";

type OptionAdder = (command: Command) => void;

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Flags of each stage; `run` takes them all. */
const STAGE_FLAGS: Record<StageGroup, OptionAdder> = {
  index: (command) =>
    command
      .option("--corpus <path|glob>", "corpus file, directory or glob; repeatable", collect)
      .option("--text-field <name>", "record field holding the text (default text)")
      .option("--id-field <name>", "record field holding the document id (default id)")
      .option("--on-bad-record <policy>", "skip (count and show the first few) or fail (default skip)")
      .option("--stopwords <list>", "lucene or none (default lucene)")
      .option("--stemmer <name>", "porter or none (default porter)")

      .option("--engine <embedded|url>", "embedded (default) or a cluster: sphinxql://host:9306/<table>[?load=...] from `litelong engine plan`"),
  topics: (command) =>
    command
      .option("--taxonomy <bisac|file>", "subject taxonomy: bisac or a CSV/JSON/JSONL/parquet file (default bisac)")
      .option("--subjects <glob>", 'subjects to use, matched against "SECTION / Sub" or the code; repeatable', collect)
      .option("--max-subjects <n>", "use at most this many subjects")
      .option("--topics <file>", "your own topics (JSONL with text, or one per line) instead of headings"),
  retrieve: (command) =>
    command
      .option("-k, --k <n>", "hits per topic (default 1000)")
      .option("--match <mode>", "all query terms must match, or any (default all)")
      .option("--min-should-match <n>", "with --match any: hits contain at least n distinct query terms (default 1)")
      .option("--k1 <x>", "BM25 k1 (default 0.9)")
      .option("--b <x>", "BM25 b (default 0.4)"),
  pack: (command) =>
    command
      .option("--length <tokens>", "exact tokens per sample: a number or 64K, 128K, 512K (default 131072)")
      .option("--tokenizer <llama3|file>", "tokenizer preset or tokenizer.json path (default llama3)")
      .option("--samples-per-topic <n>", "samples per topic at most (default 4)")
      .option("--order <order>", "documents by score, reverse or shuffle (default score)")
      .option("--seed <n>", "seed for every random choice (default 0)")
      .option("--separator <text>", "whitespace ending in a newline after each document (default a blank line)")
      .option("--boundary-tokens <policy>", "none, bos, eos or both, counted in --length (default none)")
      .option("--no-split", "move the boundary document to the next sample and fill with the best-fitting others")
      .option("--long-documents <policy>", "a document longer than a sample: split or skip (default split)")
      .option("--short-topics <policy>", "a topic that fills no sample: drop, or flag one short sample (default drop)")
      .option("--near-duplicates <threshold>", "Jaccard estimate at which documents are near-duplicates; 1 = off (default 0.8)")
      .option("--max-doc-uses <n>", "times one document may be used across topics (default unlimited)")
      .option("--no-relax", "do not re-query unfillable all-terms topics with any term")
      .option("--nextlong", "NExtLong: interleave hard-negative chunks of other documents between each document's meta-chunks")
      .option("--chunk-size <size>", "with --nextlong: meta-chunk size: characters (2048, 2048c) or tokens (512t) (default 2048)")
      .option("--negative-pool <pool>", "with --nextlong: negatives from the retrieved documents or the whole corpus (default retrieved)")
      .option("--negatives-per-gap <k>", "with --nextlong: negatives between consecutive positive chunks (default 1)")
      .option("--negatives <source>", "with --nextlong: bm25 (default) or dense (nearest chunks by embedding; needs --embeddings)")
      .option("--embeddings <name>", "with --negatives dense: the embedding model, a name under embeddingModels in the config file")
      .option("--negatives-exclude-topic", "with --nextlong: no negatives from documents retrieved for the same topic")
      .option("--format <format>", "jsonl or mds (MosaicML, for ProLong); repeatable (default jsonl)", collect)
      .option("--compress <codec>", "JSONL compression: none or gzip (default none)")
      .option("--shard-samples <n>", "samples per JSONL shard (default 256)"),
};

/** Adds the shared flags and those of `groups` to a command. */
export function addRunFlags(command: Command, groups: readonly StageGroup[]): Command {
  command
    .option("--out <runDir>", "run directory (required)")
    .option("--config <file>", "YAML or JSON file with options; flags override it")
    .option("--force", "redo stages even when complete")
    .option("--json", "print the summary as JSON")
      .option("--workers <n>", "worker threads for indexing, retrieval and tokenizing; outputs do not depend on it (default: cores)");
  for (const group of groups) STAGE_FLAGS[group](command);
  if (groups.includes("index") || groups.includes("pack")) {
    command.option("--memory <bytes>", "memory budget of the index build and of packing: bytes or 512M, 2G (default 1G, at least 320M)");
  }
  if (groups.some((group) => group !== "index")) {
    command.option("--shard <i/N>", "make only shard i of N of the topics, retrieval and samples (split by topic, round-robin); join the N runs with `litelong merge`");
  }
  return command;
}

/** Parses "131072", "128K" or "1M" into a token count; anything else is left for validation. */
export function parseTokenCount(value: string): number {
  const match = /^(\d+)\s*([kKmM]?)$/.exec(value.trim());
  if (!match) return Number.NaN;
  const scale = { "": 1, k: 1024, m: 1024 * 1024 }[match[2]!.toLowerCase()]!;
  return Number(match[1]) * scale;
}

/** Parses "1073741824", "512M" or "2G" (binary units) into bytes; anything else is left for validation. */
export function parseByteCount(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kKmMgGtT]?)i?[bB]?$/.exec(value.trim());
  if (!match) return Number.NaN;
  const scale = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[match[2]!.toLowerCase()]!;
  return Math.round(Number(match[1]) * scale);
}

/**
 * Parses "2048" or "2048c" (characters) and "512t" (tokens) into chunkSize and chunkUnit: the
 * flag always says its unit, so it overrides both keys of a config file. Anything else gives a
 * NaN size, which validation reports.
 */
export function parseChunkSize(value: string): { chunkSize: number; chunkUnit: "characters" | "tokens" } {
  const match = /^(\d+)\s*(c|chars?|characters?|t|tokens?)?$/i.exec(value.trim());
  if (!match) return { chunkSize: Number.NaN, chunkUnit: "characters" };
  return { chunkSize: Number(match[1]), chunkUnit: match[2]?.toLowerCase().startsWith("t") ? "tokens" : "characters" };
}

const numeric = (value: unknown) => (value === undefined ? undefined : Number(value));

/** Flags given on the command line, in the shape of RunOptions (undefined = not given). */
function flagsToOptions(flags: Record<string, unknown>): Record<string, unknown> {
  const options: Record<string, unknown> = {
    out: flags.out,
    corpus: flags.corpus,
    textField: flags.textField,
    idField: flags.idField,
    onBadRecord: flags.onBadRecord,
    engine: flags.engine,
    taxonomy: flags.taxonomy,
    subjects: flags.subjects,
    maxSubjects: numeric(flags.maxSubjects),
    topics: flags.topics,
    k: numeric(flags.k),
    match: flags.match,
    minimumShouldMatch: numeric(flags.minShouldMatch),
    memory: flags.memory === undefined ? undefined : parseByteCount(String(flags.memory)),
    length: flags.length === undefined ? undefined : parseTokenCount(String(flags.length)),
    tokenizer: flags.tokenizer,
    samplesPerTopic: numeric(flags.samplesPerTopic),
    order: flags.order,
    seed: numeric(flags.seed),
    separator: flags.separator,
    boundaryTokens: flags.boundaryTokens,
    longDocuments: flags.longDocuments,
    shortTopics: flags.shortTopics,
    nearDuplicateThreshold: numeric(flags.nearDuplicates),
    maxDocUses: numeric(flags.maxDocUses),
    // Commander sets a negatable flag's default to true; only an explicit --no-relax counts.
    relax: flags.relax === false ? false : undefined,
    split: flags.split === false ? false : undefined,
    nextlong: flags.nextlong,
    ...(flags.chunkSize === undefined ? {} : parseChunkSize(String(flags.chunkSize))),
    negativePool: flags.negativePool,
    negativesPerGap: numeric(flags.negativesPerGap),
    negatives: flags.negatives,
    embeddings: flags.embeddings,
    negativesExcludeTopic: flags.negativesExcludeTopic,
    formats: flags.format,
    compress: flags.compress,
    shardSamples: numeric(flags.shardSamples),
    workers: numeric(flags.workers),
    shard: flags.shard,
    force: flags.force,
  };
  if (flags.stopwords !== undefined || flags.stemmer !== undefined) options.analysis = { stopwords: flags.stopwords, stemmer: flags.stemmer };
  if (flags.k1 !== undefined || flags.b !== undefined) options.bm25 = { k1: numeric(flags.k1), b: numeric(flags.b) };
  return options;
}

/** Merges config file and flags (flags win, nested groups merge key by key) and validates. */
export async function resolveRunOptions(flags: Record<string, unknown>): Promise<RunOptions> {
  const file = typeof flags.config === "string" ? await readConfigFile(flags.config) : {};
  const merged: Record<string, unknown> = { ...file };
  for (const [key, value] of Object.entries(flagsToOptions(flags))) {
    if (value === undefined) continue;
    const base = merged[key];
    merged[key] = isPlainObject(value) && isPlainObject(base) ? { ...base, ...dropUndefined(value) } : isPlainObject(value) ? dropUndefined(value) : value;
  }
  return parseRunOptions(merged, typeof flags.config === "string" ? `${flags.config} + flags` : "flags");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined));
}
