import { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { analysisOptionsSchema } from "../search/analyzer.js";
import { bm25ParametersSchema } from "../search/bm25.js";

const positiveInteger = z.number().int().positive();

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
  analysis: analysisOptionsSchema.default(analysisOptionsSchema.parse({})),
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
  /** Document order inside a topic: by retrieval "score" or "shuffle"d with the seed. */
  order: z.enum(["score", "shuffle"]).default("score"),
  /** Seed for every random choice. Default 0. */
  seed: z.number().int().min(0).default(0),
  /** Text between documents in a sample. Default a blank line. */
  separator: z.string().default("\n\n"),
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
