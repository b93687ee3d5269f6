import { availableParallelism } from "node:os";
import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { embeddingModelsConfigSchema } from "../llm/embedding-config.js";
import { analysisOptionsSchema } from "../search/analyzer.js";
import { bm25ParametersSchema } from "../search/bm25.js";
import { MINIMUM_MEMORY_BYTES } from "../search/segments/segmented-index-writer.js";
import { isSphinxQlUrl } from "../search/sphinxql-address.js";
import { debateOptionsSchema, modelsConfigSchema } from "./topics/debate-options.js";

const positiveInteger = z.number().int().positive();
const CHUNK_SIZE_ERROR = "must be a positive whole number: --chunk-size 2048 (characters) or 512t (tokens)";

/**
 * Every option of every stage, with defaults and ranges. Config files use these keys; command
 * line flags are the same names in kebab-case and override the file.
 */
export const runOptionsSchema = z.strictObject({
  /** Run directory. */
  out: z.string({ error: "required; pass --out <runDir> or set out in the config file" }).min(1),
  /** Corpus files, directories or globs (JSONL[.gz|.zst], parquet, text directories). */
  corpus: z.array(z.string().min(1)).default([]),
  /** Field holding the document text in JSONL/parquet records. Default "text". */
  textField: z.string().min(1).default("text"),
  /** Field holding the document id; records without it get file:line ids. Default "id". */
  idField: z.string().min(1).default("id"),
  /** Bad corpus records: "skip" (counted, first few shown) or "fail". Default "skip". */
  onBadRecord: z.enum(["skip", "fail"]).default("skip"),
  /** "bisac" (embedded) or a taxonomy file. Default "bisac". */
  taxonomy: z.string().min(1).default("bisac"),
  /** Subject label/code globs, case-insensitive, e.g. "COOKING*". Default: all subjects. */
  subjects: z.array(z.string().min(1)).default([]),
  /** Cap on selected subjects. */
  maxSubjects: positiveInteger.optional(),
  /** Your own topics (JSONL with `text`, or TSV/text one per line) instead of headings. */
  topics: z.string().min(1).optional(),
  /** LLMs by name: OpenAI-compatible endpoints or local GGUF files (see src/llm/model-config.ts). */
  models: modelsConfigSchema.optional(),
  /** Topics by debate among `models` instead of headings (see src/pipeline/topics/debate-options.ts). */
  debate: debateOptionsSchema.optional(),
  analysis: analysisOptionsSchema.default(analysisOptionsSchema.parse({})),
  /** "embedded" (default) or a Sphinx/Manticore cluster: sphinxql://host:9306/<table>[?load=shards] (see `litelong engine plan`). */
  engine: z.string().refine((value) => value === "embedded" || isSphinxQlUrl(value), 'must be "embedded" or sphinxql://host:port/table').default("embedded"),
  /** Hits retrieved per topic. Default 1000. */
  k: positiveInteger.default(1000),
  /** "all" query terms must match (Manticore's default, the paper's setting) or "any". */
  match: z.enum(["all", "any"]).default("all"),
  bm25: bm25ParametersSchema.default(bm25ParametersSchema.parse({})),
  /** Exact tokens per sample. Default 131072 (128K). */
  length: positiveInteger.default(131072),
  /** Tokenizer preset ("llama3") or a tokenizer.json path. */
  tokenizer: z.string().min(1).default("llama3"),
  /** Samples per topic at most. Default 4. */
  samplesPerTopic: positiveInteger.default(4),
  /** Document order inside a topic: retrieval "score", "reverse" score, or "shuffle"d with the seed. */
  order: z.enum(["score", "shuffle", "reverse"]).default("score"),
  /** Seed for every random choice. Default 0. */
  seed: z.number().int().min(0).default(0),
  /** Whitespace ending in a newline, after every document. Default a blank line. */
  separator: z.string().regex(/^\s*\n$/, 'must be whitespace ending in a newline, e.g. "\\n\\n"').default("\n\n"),
  /** Special tokens framing each sample: none, bos, eos or both (they count toward --length). */
  boundaryTokens: z.enum(["none", "bos", "eos", "both"]).default("none"),
  /** Cut the boundary document (default) or move it to the next sample, filling with the best-fitting others. */
  split: z.boolean().default(true),
  /** A document longer than a sample: "split" across samples or "skip" it. Default split. */
  longDocuments: z.enum(["split", "skip"]).default("split"),
  /** A topic that fills no sample: "drop" it or emit one sample "flag"ged short. Default drop. */
  shortTopics: z.enum(["drop", "flag"]).default("drop"),
  /** Near-duplicate threshold (estimated Jaccard of word 5-grams); 1 turns it off. Default 0.8. */
  nearDuplicateThreshold: z.number().gt(0).max(1).default(0.8),
  /** Times one document may appear across topics' samples. Default unlimited, like the paper. */
  maxDocUses: positiveInteger.optional(),
  /** Re-query "all terms" topics that fill no sample with "any term". Default true. */
  relax: z.boolean().default(true),
  /** Pack NExtLong-style: each document's meta-chunks with hard negatives from other documents between them. Default false. */
  nextlong: z.boolean().default(false),
  /** With nextlong: target meta-chunk size, in chunkUnit (chunks end at line, then sentence, boundaries). Default 2048. */
  chunkSize: z.number({ error: CHUNK_SIZE_ERROR }).int({ error: CHUNK_SIZE_ERROR }).positive({ error: CHUNK_SIZE_ERROR }).default(2048),
  /** With nextlong: the unit of chunkSize: "characters" or "tokens" (of the run's tokenizer). Default characters. */
  chunkUnit: z.enum(["characters", "tokens"]).default("characters"),
  /** With nextlong: hard negatives between consecutive positive chunks, 0 to 64. Default 1. */
  negativesPerGap: z.number().int().min(0).max(64).default(1),
  /**
   * With nextlong: where negatives come from: "bm25" (default; the chunk index, queried with each
   * chunk's informative terms) or "dense" (nearest chunks by embedding, from the `embeddings` model).
   */
  negatives: z.enum(["bm25", "dense"], { error: 'must be "bm25" or "dense"' }).default("bm25"),
  /** Embedding models by name: OpenAI-compatible /v1/embeddings endpoints (see src/llm/embedding-config.ts). */
  embeddingModels: embeddingModelsConfigSchema.optional(),
  /** With negatives "dense": the embedding model, a name under `embeddingModels`. */
  embeddings: z.string().min(1).optional(),
  /** With nextlong: the documents negatives come from: "retrieved" (all topics' retrieved documents, via a chunk index) or the whole "corpus" (via the corpus index). Default retrieved. */
  negativePool: z.enum(["retrieved", "corpus"]).default("retrieved"),
  /** With nextlong: never take negatives from documents retrieved for the same topic. Default false. */
  negativesExcludeTopic: z.boolean().default(false),
  /** Output formats: "jsonl" (text) and/or "mds" (MosaicML, as ProLong reads). Default jsonl. */
  formats: z.array(z.enum(["jsonl", "mds"])).min(1).default(["jsonl"]),
  /** JSONL compression. Default none. */
  compress: z.enum(["none", "gzip"]).default("none"),
  /** Samples per JSONL shard. Default 256. */
  shardSamples: positiveInteger.default(256),
  /** Worker threads for indexing, retrieval and tokenizing; samples never depend on it. Default: one per core. */
  workers: z.number().int().min(0).max(64).default(availableParallelism()),
  /** Memory budget of the index build in bytes (all threads). Default 1 GiB, at least 320 MiB. */
  memory: z.number().int().min(MINIMUM_MEMORY_BYTES, "must be at least 320M").default(2 ** 30),
  /** With match "any": the least number of distinct query terms a hit contains. Default 1. */
  minimumShouldMatch: positiveInteger.default(1),
  /** "i/N": make only shard i of N of the topics, retrieve and pack stages (see src/pipeline/shard.ts); `litelong merge` joins the N runs. */
  shard: z.string().min(1).optional(),
  /** Redo stages even when they are complete. */
  force: z.boolean().default(false),
});
export type RunOptions = z.infer<typeof runOptionsSchema>;
export type RunOptionsInput = z.input<typeof runOptionsSchema>;

/** Validates options, reporting every problem at once. `origin` names where they came from. */
export function parseRunOptions(input: unknown, origin: string): RunOptions {
  const parsed = runOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const key = issue.path.join(".") || "(root)";
      return `${origin}: ${key}: ${issue.message}`;
    }),
  );
}
