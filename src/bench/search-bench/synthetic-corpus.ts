import { seededRandom } from "../../core/seeded-random.js";
import { sentencesOf } from "./real-text.js";
import type { TextFile } from "./bench-text-sources.js";

/** How the benchmark corpus is scaled past the real text. */
export interface CorpusShape {
  /** Corpus size in bytes of JSONL (the last document that would cross it is left out). */
  bytes: number;
  seed: number;
  /**
   * Expected novel words per word of synthetic text. Recombined sentences alone would freeze
   * the vocabulary at the real text's; novel words drawn from a Zipf(1) law over 10^9 ranks
   * make it keep growing as web text does (about 2M new terms per 3 GB at 0.01).
   */
  novelWordRate: number;
}

/** Median document length in bytes, and the clipping range: web-page sized short documents. */
const MEDIAN_DOCUMENT_BYTES = 900;
const LENGTH_SPREAD = 0.8;
const MIN_DOCUMENT_BYTES = 300;
const MAX_DOCUMENT_BYTES = 6000;
/** Sentences within this distance of a document's anchor sentence supply its text (one topic). */
const TOPIC_WINDOW = 60;
const NOVEL_WORD_RANKS = 1e9;
/** Novel words start at three syllables so they never collide with short real words. */
const NOVEL_WORD_FIRST_RANK = 105 ** 2;
const CONSONANTS = "bcdfghjklmnpqrstvwxyz";
const VOWELS = "aeiou";

/**
 * The benchmark corpus, one JSONL line at a time, with ids "1", "2", ...: first the real
 * paragraphs, packed in file order into documents of a sampled length; then synthetic
 * documents until `shape.bytes` is reached. A synthetic document picks a source file (weighted
 * by its sentences) and an anchor sentence, then strings together short runs of consecutive
 * sentences from the window around the anchor, so its words co-occur as in one real passage.
 * The same text, shape and seed give the same bytes.
 */
export function* benchCorpusLines(files: readonly TextFile[], shape: CorpusShape): Generator<string> {
  const random = seededRandom(shape.seed);
  const documentLength = () => Math.min(MAX_DOCUMENT_BYTES, Math.max(MIN_DOCUMENT_BYTES, Math.exp(Math.log(MEDIAN_DOCUMENT_BYTES) + LENGTH_SPREAD * gaussian(random))));
  let bytes = 0;
  let id = 0;
  const emit = (text: string): string | undefined => {
    const line = JSON.stringify({ id: String(id + 1), text });
    const lineBytes = Buffer.byteLength(line) + 1;
    if (bytes + lineBytes > shape.bytes) return undefined;
    bytes += lineBytes;
    id++;
    return line;
  };
  for (const text of realDocuments(files, documentLength)) {
    const line = emit(text);
    if (line === undefined) return;
    yield line;
  }
  const sources = files.map((file) => file.paragraphs.flatMap(sentencesOf));
  const cumulative = cumulativeSums(sources.map((sentences) => sentences.length));
  const novelWord = () => novelWordOf(Math.floor(Math.exp(random() * Math.log(NOVEL_WORD_RANKS))) + NOVEL_WORD_FIRST_RANK);
  while (true) {
    const sentences = sources[pickWeighted(cumulative, random())]!;
    const line = emit(syntheticDocument(sentences, documentLength(), random, (sentence) => withNovelWords(sentence, shape.novelWordRate, random, novelWord)));
    if (line === undefined) return;
    yield line;
  }
}

function* realDocuments(files: readonly TextFile[], documentLength: () => number): Generator<string> {
  for (const file of files) {
    let parts: string[] = [];
    let length = 0;
    let target = documentLength();
    for (const paragraph of file.paragraphs) {
      parts.push(paragraph);
      length += paragraph.length + 2;
      if (length >= target) {
        yield parts.join("\n\n");
        parts = [];
        length = 0;
        target = documentLength();
      }
    }
    if (parts.length > 0) yield parts.join("\n\n");
  }
}

function syntheticDocument(sentences: readonly string[], target: number, random: () => number, transform: (sentence: string) => string): string {
  const anchor = Math.floor(random() * sentences.length);
  const first = Math.max(0, anchor - TOPIC_WINDOW);
  const span = Math.min(sentences.length, anchor + TOPIC_WINDOW + 1) - first;
  let text = "";
  let sentencesInParagraph = 0;
  while (text.length < target) {
    // A run of 1-3 consecutive sentences keeps local coherence; runs start anywhere in the window.
    const start = first + Math.floor(random() * span);
    const end = Math.min(first + span, start + 1 + Math.floor(random() * 3));
    for (let index = start; index < end; index++) {
      const separator = text.length === 0 ? "" : sentencesInParagraph >= 4 && random() < 0.5 ? "\n\n" : " ";
      if (separator === "\n\n") sentencesInParagraph = 0;
      text += separator + transform(sentences[index]!);
      sentencesInParagraph++;
    }
  }
  return text;
}

/** Replaces about `rate` of the words of a sentence by novel words (at most one per sentence draw). */
function withNovelWords(sentence: string, rate: number, random: () => number, novelWord: () => string): string {
  const words = sentence.split(" ");
  if (random() >= rate * words.length) return sentence;
  const index = Math.floor(random() * words.length);
  if (!/^[a-z]+$/.test(words[index]!)) return sentence;
  words[index] = novelWord();
  return words.join(" ");
}

/** A pronounceable lower-case word for a rank: its base-105 digits as consonant-vowel syllables. */
export function novelWordOf(rank: number): string {
  let word = "";
  for (let rest = rank; rest > 0; rest = Math.floor(rest / 105)) {
    const syllable = rest % 105;
    word += CONSONANTS[syllable % 21]! + VOWELS[Math.floor(syllable / 21)]!;
  }
  return word;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function cumulativeSums(counts: readonly number[]): number[] {
  let sum = 0;
  return counts.map((count) => (sum += count));
}

/** Index of the first cumulative weight above `fraction` of the total. */
function pickWeighted(cumulative: readonly number[], fraction: number): number {
  const target = fraction * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! > target) high = middle;
    else low = middle + 1;
  }
  return low;
}
