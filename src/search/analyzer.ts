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
 *
 * The definition is scanUnicodeWords over the whole text. Most text is ASCII, which a scan of
 * character codes splits several times faster, so the text is cut into chunks at characters
 * where the Unicode steps cannot reach across (see isChunkBoundary): ASCII chunks are scanned
 * by codes, and only a chunk holding other characters goes through the Unicode steps.
 */
export function scanWords(text: string, onWord: WordHandler): void {
  // U+0130 lower-cases to two code units, so positions in the lower-cased text would shift.
  if (text.includes("\u0130")) return scanUnicodeWords(text, onWord);
  const lower = text.toLowerCase();
  const length = lower.length;
  let chunkStart = 0;
  let start = -1;
  let hash = 0;
  // Words that ended inside the current chunk: they stand only if the chunk turns out all ASCII.
  let held: number[] | undefined;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? lower.charCodeAt(i) : 32;
    if (isAsciiWordCode(code)) {
      if (start < 0) {
        start = i;
        hash = 0x811c9dc5;
      }
      hash = Math.imul(hash ^ code, 0x01000193);
    } else if (code === 39 && start >= 0 && i + 1 < length && isAsciiWordCode(lower.charCodeAt(i + 1))) {
      // An inner apostrophe joins letters, as in WORD.
      hash = Math.imul(hash ^ code, 0x01000193);
    } else if (code < 128 || isChunkBoundary(code)) {
      const boundary = isChunkBoundary(code);
      if (boundary && held !== undefined && held.length > 0) {
        for (let h = 0; h < held.length; h += 3) onWord(lower, held[h]!, held[h + 1]!, held[h + 2]!);
        held.length = 0;
      }
      if (start >= 0) {
        if (boundary) onWord(lower, start, i, hash);
        else (held ??= []).push(start, i, hash);
        start = -1;
      }
      if (boundary) chunkStart = i + 1;
    } else {
      let chunkEnd = i + 1;
      while (chunkEnd < length && !isChunkBoundary(text.charCodeAt(chunkEnd))) chunkEnd++;
      if (held !== undefined) held.length = 0;
      start = -1;
      scanUnicodeWords(text.slice(chunkStart, chunkEnd), onWord);
      chunkStart = chunkEnd + 1;
      i = chunkEnd;
    }
  }
}

/** The Unicode steps on a whole text: compatibility decomposition, marks removed, lower case, WORD. */
export function scanUnicodeWords(text: string, onWord: WordHandler): void {
  const folded = text.normalize("NFKD").replace(COMBINING_MARKS, "").toLowerCase();
  for (const match of folded.matchAll(WORD)) {
    const end = match.index + match[0].length;
    onWord(folded, match.index, end, hashWord(folded, match.index, end));
  }
}

/**
 * Whether text may be cut before and after this character without changing scanUnicodeWords'
 * words: it is its own decomposition (a starter), neither a letter, digit nor apostrophe (no word
 * spans it), and neither cased nor case-ignorable (lower-casing a final sigma looks across
 * case-ignorable characters only). ASCII punctuation except . : ^ ` ' (case-ignorable), ASCII
 * spaces and controls, and the commonest non-ASCII punctuation of English text.
 */
function isChunkBoundary(code: number): boolean {
  if (code < 128) return !isAsciiWordCode(code) && !(code >= 65 && code <= 90) && code !== 46 && code !== 58 && code !== 94 && code !== 96 && code !== 39;
  // en and em dash, curly double quotes, rightwards arrow.
  return code === 0x2013 || code === 0x2014 || code === 0x201c || code === 0x201d || code === 0x2192;
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
