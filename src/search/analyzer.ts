import { stemmer } from "stemmer";
import { z } from "zod";

/**
 * Lucene's classic English stopword list (33 words): what Anserini's default BM25 baseline
 * drops, so our CACM numbers compare with its published run.
 */
export const LUCENE_ENGLISH_STOPWORDS = [
  "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
  "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
  "they", "this", "to", "was", "will", "with",
];

/** Analysis settings; recorded in every index so queries are analysed exactly like documents. */
export const analysisOptionsSchema = z.strictObject({
  /** Stopword list: "lucene" (Lucene/Anserini English, 33 words) or "none". Default "lucene". */
  stopwords: z.enum(["lucene", "none"]).default("lucene"),
  /** Stemmer: "porter" (Porter 1980, as Lucene's PorterStemFilter) or "none". Default "porter". */
  stemmer: z.enum(["porter", "none"]).default("porter"),
});
export type AnalysisOptions = z.infer<typeof analysisOptionsSchema>;

export const DEFAULT_ANALYSIS: AnalysisOptions = analysisOptionsSchema.parse({});

// Letters and digits, with inner apostrophes kept so possessives can be dropped whole.
const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const POSSESSIVE = /['\u2019]s$/;
const APOSTROPHES = /['\u2019]/g;

/**
 * Turns text into index terms: Unicode word splitting, lower-casing, ASCII folding of
 * accented letters, English possessive removal, stopwords, English stemming. The same
 * function analyses documents and queries, so query-syntax characters simply vanish.
 */
export function createAnalyzer(options: AnalysisOptions): (text: string) => string[] {
  const stopwords = new Set(options.stopwords === "lucene" ? LUCENE_ENGLISH_STOPWORDS : []);
  const stem = options.stemmer === "porter" ? stemmer : (word: string) => word;
  // Stemming dominates analysis time and vocabularies are Zipfian: remember recent results.
  const stemCache = new Map<string, string>();
  return (text) => {
    const terms: string[] = [];
    const folded = text.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase();
    for (const match of folded.matchAll(WORD)) {
      const word = match[0].replace(POSSESSIVE, "").replace(APOSTROPHES, "");
      if (word.length === 0 || stopwords.has(word)) continue;
      let stemmed = stemCache.get(word);
      if (stemmed === undefined) {
        stemmed = stem(word);
        if (stemCache.size > 200_000) stemCache.clear();
        stemCache.set(word, stemmed);
      }
      terms.push(stemmed);
    }
    return terms;
  };
}
