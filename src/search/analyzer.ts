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
const NON_ASCII = /[^ -~\t\n\r]/;
const POSSESSIVE = /['\u2019]s$/;
const APOSTROPHES = /['\u2019]/g;

/**
 * Receives one word of scanned text: text.slice(start, end), lower-cased and folded, with
 * `hash`, the FNV-1a hash of its UTF-16 code units (see hashWord), so callers can look words up
 * without making a string for each.
 */
export type WordHandler = (text: string, start: number, end: number, hash: number) => void;

/** FNV-1a over text[start..end)'s UTF-16 code units: the hash a WordHandler receives. */
export function hashWord(text: string, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

/**
 * Finds the words of a text: Unicode word splitting, lower-casing, ASCII folding of accented
 * letters. Query-syntax characters simply vanish. Words still carry inner apostrophes and may
 * be stopwords: createWordFilter decides what they index as.
 */
export function scanWords(text: string, onWord: WordHandler): void {
  if (NON_ASCII.test(text)) {
    const folded = text.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase();
    for (const match of folded.matchAll(WORD)) {
      const end = match.index + match[0].length;
      onWord(folded, match.index, end, hashWord(folded, match.index, end));
    }
    return;
  }
  // Pure ASCII (most of an English corpus): nothing to fold, and a scan of character codes
  // finds the same words as WORD several times faster, hashing them on the way.
  const lower = text.toLowerCase();
  const length = lower.length;
  let start = -1;
  let hash = 0;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? lower.charCodeAt(i) : 0;
    if (isAsciiWordCode(code)) {
      if (start < 0) {
        start = i;
        hash = 0x811c9dc5;
      }
      hash = Math.imul(hash ^ code, 0x01000193);
    } else if (code === 39 && start >= 0 && i + 1 < length && isAsciiWordCode(lower.charCodeAt(i + 1))) {
      // An inner apostrophe joins letters, as in WORD.
      hash = Math.imul(hash ^ code, 0x01000193);
    } else if (start >= 0) {
      onWord(lower, start, i, hash);
      start = -1;
    }
  }
}

/**
 * What a scanned word indexes as before stemming: English possessives and apostrophes removed,
 * stopwords dropped (undefined).
 */
export function createWordFilter(options: AnalysisOptions): (word: string) => string | undefined {
  const stopwords = new Set(options.stopwords === "lucene" ? LUCENE_ENGLISH_STOPWORDS : []);
  return (word) => {
    if (word.includes("'") || word.includes("\u2019")) word = word.replace(POSSESSIVE, "").replace(APOSTROPHES, "");
    return word.length > 0 && !stopwords.has(word) ? word : undefined;
  };
}

/** The stemmer the options name (Porter, as Lucene's PorterStemFilter), or the identity. */
export function createStemmer(options: AnalysisOptions): (word: string) => string {
  return options.stemmer === "porter" ? stemmer : (word) => word;
}

/**
 * Turns text into index terms: the words of scanWords, filtered and stemmed. The same function
 * analyses documents and queries.
 */
export function createAnalyzer(options: AnalysisOptions): (text: string) => string[] {
  const filter = createWordFilter(options);
  const stem = createStemmer(options);
  // Stemming dominates analysis time and vocabularies are Zipfian: remember recent results.
  const stemCache = new Map<string, string>();
  return (text) => {
    const terms: string[] = [];
    scanWords(text, (scanned, start, end) => {
      const word = filter(scanned.slice(start, end));
      if (word === undefined) return;
      let stemmed = stemCache.get(word);
      if (stemmed === undefined) {
        stemmed = stem(word);
        if (stemCache.size > 200_000) stemCache.clear();
        stemCache.set(word, stemmed);
      }
      terms.push(stemmed);
    });
    return terms;
  };
}

function isAsciiWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
}
