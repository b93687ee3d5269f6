import type { Subject } from "../../core/records.js";
import { seededRandom } from "../../core/seeded-random.js";
import { createAnalyzer, DEFAULT_ANALYSIS } from "../../search/analyzer.js";
import type { TextFile } from "./bench-text-sources.js";

/** Content words of a corpus paragraph considered together, so a query's words share a topic. */
const PASSAGE_WORDS = 12;
const WORD = /^[a-z]{3,15}$/;

/**
 * `count` topic-like queries of 2-4 lower-case words, deterministic for the inputs and seed.
 * Even positions come from a BISAC heading (2-4 of its label's words, in label order: the
 * queries LiteLong's topics start from); odd positions from the real text (2-4 words, in text
 * order, from a run of 12 consecutive content words of a random paragraph: queries that are
 * answerable, so `all` mode has work to do). Only plain words: no engine sees syntax. A
 * word is kept only if the project's analyzer keeps it (no stopwords) and its stem is new in
 * the query, so every engine gets the same distinct terms.
 */
export function benchQueries(subjects: readonly Subject[], files: readonly TextFile[], count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const analyze = createAnalyzer(DEFAULT_ANALYSIS);
  const headingWords = subjects.map((subject) => contentWords(subject.path.join(" "), analyze)).filter((words) => words.length >= 2);
  const paragraphs = files.flatMap((file) => file.paragraphs);
  const queries: string[] = [];
  while (queries.length < count) {
    let words: string[];
    if (queries.length % 2 === 0) {
      words = headingWords[Math.floor(random() * headingWords.length)]!;
    } else {
      const all = contentWords(paragraphs[Math.floor(random() * paragraphs.length)]!, analyze);
      const start = Math.floor(random() * Math.max(1, all.length - PASSAGE_WORDS));
      words = all.slice(start, start + PASSAGE_WORDS);
      if (words.length < 2) continue;
    }
    queries.push(pickInOrder(words, 2 + Math.floor(random() * 3), random).join(" "));
  }
  return queries;
}

/** Lower-cased plain words whose analysed form is one term not seen before in `text`. */
function contentWords(text: string, analyze: (text: string) => string[]): string[] {
  const stems = new Set<string>();
  const words: string[] = [];
  for (const word of text.toLowerCase().split(/[^a-z]+/)) {
    if (!WORD.test(word)) continue;
    const terms = analyze(word);
    if (terms.length !== 1 || stems.has(terms[0]!)) continue;
    stems.add(terms[0]!);
    words.push(word);
  }
  return words;
}

/** Up to `wanted` of `words`, chosen at random, kept in their original order. */
function pickInOrder(words: readonly string[], wanted: number, random: () => number): string[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(wanted, words.length)) chosen.add(Math.floor(random() * words.length));
  return [...chosen].sort((a, b) => a - b).map((index) => words[index]!);
}
