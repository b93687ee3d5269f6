import { readFile } from "node:fs/promises";
import { z } from "zod";
import { ConfigError, InputError } from "../core/errors.js";
import { openRunIndex } from "../pipeline/index-stage.js";
import { RunDirectory } from "../pipeline/run-directory.js";
import { bm25ParametersSchema } from "../search/bm25.js";
import type { SearchHit } from "../search/search-engine.js";
import { parseTokenCount } from "./cli-options.js";

const searchFlagsSchema = z.strictObject({
  index: z.string({ error: "required; pass --index <runDir>" }).min(1),
  queries: z.string().min(1).optional(),
  k: z.number().int().positive().default(10),
  format: z.enum(["json", "trec"]).default("json"),
  match: z.enum(["all", "any"]).default("any"),
  minimumShouldMatch: z.number().int().positive().default(1),
  bm25: bm25ParametersSchema,
});

interface Query {
  id: string;
  text: string;
}

/**
 * `litelong search`: ad-hoc or batch BM25 search over a run's index. Ranks any-term matches by
 * default (as IR evaluation tools do); `--match all` gives the pipeline's retrieval. Returns
 * the lines to print.
 */
export async function searchCommand(query: string | undefined, flags: Record<string, unknown>): Promise<string[]> {
  const parsed = searchFlagsSchema.safeParse({
    index: flags.index,
    queries: flags.queries,
    k: flags.k === undefined ? undefined : parseTokenCount(String(flags.k)),
    format: flags.format,
    match: flags.match,
    minimumShouldMatch: flags.minShouldMatch === undefined ? undefined : Number(flags.minShouldMatch),
    bm25: { k1: flags.k1 === undefined ? undefined : Number(flags.k1), b: flags.b === undefined ? undefined : Number(flags.b) },
  });
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  const options = parsed.data;
  if ((query === undefined) === (options.queries === undefined)) throw new ConfigError(["give either a query or --queries <file.tsv>, not both or neither"]);
  const queries = options.queries ? await readQueries(options.queries) : [{ id: "1", text: query! }];
  const { engine } = await openRunIndex(new RunDirectory(options.index));
  try {
    const results = await engine.searchMany(queries.map((entry) => entry.text), { k: options.k, match: options.match, minimumShouldMatch: options.minimumShouldMatch, bm25: options.bm25 });
    return queries.flatMap((entry, i) => formatHits(entry, results[i]!, options.format));
  } finally {
    await engine.close();
  }
}

function formatHits(query: Query, hits: SearchHit[], format: "json" | "trec"): string[] {
  if (format === "trec") return hits.map((hit, rank) => `${query.id} Q0 ${hit.docId} ${rank + 1} ${hit.score.toFixed(6)} litelong`);
  return [JSON.stringify({ qid: query.id, query: query.text, hits: hits.map((hit, rank) => ({ rank: rank + 1, docId: hit.docId, score: hit.score })) })];
}

/** Queries, one per line: `qid<TAB>query text`. */
async function readQueries(path: string): Promise<Query[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new InputError({ file: path }, `cannot read the queries file (${(error as NodeJS.ErrnoException).code})`);
  }
  const queries: Query[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim().length === 0) return;
    const tab = line.indexOf("\t");
    if (tab <= 0) throw new InputError({ file: path, line: index + 1 }, "expected `qid<TAB>query text`");
    queries.push({ id: line.slice(0, tab).trim(), text: line.slice(tab + 1).trim() });
  });
  if (queries.length === 0) throw new InputError({ file: path }, "no queries");
  return queries;
}
