import type { Bm25Parameters } from "./bm25.js";
import type { MatchMode } from "./search-engine.js";

/**
 * How the engine computes IDF over a distributed table:
 * - "local": each shard (local or on an agent) from its own N and document frequencies (Sphinx
 *   2.2's and Manticore's default);
 * - "local-df": document frequencies summed over the local shards of the distributed table
 *   (`OPTION local_df=1`); agents still use their own;
 * - "global-idf": from the table's `global_idf` file (`OPTION global_idf=1`), which must be built
 *   with `indextool --dumpdict --stats` and `indextool --buildidf` and named in every shard's
 *   settings; the only way to give remote agents the collection's statistics.
 */
export type IdfStatistics = "local" | "local-df" | "global-idf";

/** Scores come back as integers (WEIGHT()); BM25F is scaled by this before truncation. */
export const WEIGHT_SCALE = 10_000_000;

/** Sphinx adds 0.5 to every BM25F value ("map to [0..1]"); we take it off again. */
const BM25F_OFFSET = 0.5;

/** Query words: letters and digits, apostrophes joined as the analyzer and ignore_chars do. */
const QUERY_WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;

/**
 * The MATCH() text for a query: its words, lower-cased (upper-case words are operators in
 * SphinxQL) and stripped of every query-syntax character, joined with "|" for `any`. The engine
 * stems them and drops stopwords itself, with the settings sphinx-cluster-layout.ts writes.
 */
export function matchText(query: string, mode: MatchMode, minimumShouldMatch = 1): string {
  const words = [...query.toLowerCase().matchAll(QUERY_WORD)].map((match) => match[0].replace(/['\u2019]/g, ""));
  if (mode === "all") return words.join(" ");
  // The quorum operator: at least n of the words.
  return minimumShouldMatch > 1 ? `"${words.join(" ")}"/${minimumShouldMatch}` : words.join(" | ");
}

/** Size statistics of the collection, summed over every shard. */
export interface ShardedCollection {
  documentCount: number;
  totalLength: number;
  shardCount: number;
}

/**
 * bm25f() arguments that give BM25 with length normalisation against the collection's average
 * document length. Engines that keep field-length totals (Manticore) take k1 and b as they are.
 * Sphinx 2.2 real-time tables keep none: in a RAM chunk BM25F divides by an average length of
 * 1/N_shard (and by 0 once a disk chunk exists, which the adapter refuses), so the
 * length term b·dl/avgdl becomes b·dl·N_shard. Solving
 *   k1'(1 - b') = k1(1 - b)  and  k1'·b'·N_shard = k1·b / avgdl
 * restores k1(1 - b + b·dl/avgdl) exactly, with N_shard taken as N / shards (round robin loading
 * makes shards equal to within one document).
 */
export function bm25fArguments(parameters: Bm25Parameters, collection: ShardedCollection, lengthTotalsKept: boolean): { k1: number; b: number } {
  if (lengthTotalsKept || collection.totalLength === 0) return { k1: parameters.k1, b: parameters.b };
  const averageLength = collection.totalLength / collection.documentCount;
  const shardSize = collection.documentCount / collection.shardCount;
  const lengthTerm = (parameters.k1 * parameters.b) / (averageLength * shardSize);
  const k1 = parameters.k1 * (1 - parameters.b) + lengthTerm;
  return { k1, b: k1 === 0 ? 0 : lengthTerm / k1 };
}

/** A number as a SphinxQL literal: fixed notation (the expression parser takes no exponents). */
function literal(value: number): string {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a usable BM25 parameter: ${value}`);
  const shortest = String(value);
  return shortest.includes("e") ? value.toFixed(20).replace(/0+$/, "") : shortest;
}

/** The OPTION clause: BM25F ranker, Lucene-like IDF without extra normalisation, room for k hits. */
export function rankingOptions(bm25f: { k1: number; b: number }, k: number, idf: IdfStatistics): string {
  // bm25f clamps k1 below 0.001; such a corrected k1 (b near 1 on a huge shard) cannot be expressed.
  if (bm25f.k1 < 0.001) throw new RangeError(`BM25 k1 ${bm25f.k1} after length correction is below the engine's floor of 0.001; lower b`);
  const options = [
    `ranker=expr('${WEIGHT_SCALE}*bm25f(${literal(bm25f.k1)},${literal(bm25f.b)})')`,
    // "plain": ln(N/df), not ln((N-df+1)/df); "tfidf_unnormalized": not divided by the query's word count.
    "idf='plain,tfidf_unnormalized'",
    `max_matches=${Math.max(1000, k)}`,
  ];
  if (idf === "local-df") options.push("local_df=1");
  if (idf === "global-idf") options.push("global_idf=1");
  return options.join(", ");
}

/** A WEIGHT() value back to the BM25 sum (in the engine's IDF units: ln(N/df) / (2·ln(N+1))). */
export function scoreFromWeight(weight: number): number {
  return weight / WEIGHT_SCALE - BM25F_OFFSET;
}
